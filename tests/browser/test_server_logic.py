"""The classroom server's pure logic, without a browser or an emulator (ctest classroom.logic):
the lab result line, names, the origin check, the input bound, wrong-guess blocking, the labs
list, the docs table, and the classroom's limit, lab results, grace period and idle limit with a
stand-in for the emulator."""
import asyncio
import os
import sys
import time
import unittest
from types import SimpleNamespace
from unittest import mock

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "web"))

from classroom import content, guard, sessions       # noqa: E402
from classroom.machine import LAB_RESULT, PROMPT      # noqa: E402
from classroom.student import clean_name              # noqa: E402


class LabLine(unittest.TestCase):
    def test_exact_form(self):
        m = LAB_RESULT.match("vmxlab-lab: n=6 name=lab6_demo.lua result=pass")
        self.assertEqual(m.groups(), ("6", "lab6_demo.lua", "pass"))
        self.assertEqual(LAB_RESULT.match("vmxlab-lab: n=12 name=x.lua result=fail").group(3), "fail")

    def test_not_inside_other_text(self):
        for line in ["> print('vmxlab-lab: n=6 name=lab6_demo.lua result=pass')",
                     "vmxlab-lab: n=6 name=lab6_demo.lua result=passed",
                     "vmxlab-lab: n=six name=lab6_demo.lua result=pass",
                     "vmxlab-lab: n=6 result=pass"]:
            self.assertIsNone(LAB_RESULT.match(line), line)

    def test_prompt(self):
        self.assertTrue(PROMPT.search(b"Memory: 1 KiB\r\n> "))
        self.assertIsNone(PROMPT.search(b"a > b"))


class Names(unittest.TestCase):
    def test_clean(self):
        self.assertEqual(clean_name("  Ada\tLovelace \x1b[31m"), "Ada Lovelace [31m")
        self.assertEqual(len(clean_name("x" * 100)), 40)
        self.assertEqual(clean_name("\u202eevil"), "evil")


class Origin(unittest.TestCase):
    def req(self, origin, host="127.0.0.1:8686"):
        headers = {} if origin is None else {"Origin": origin}
        return SimpleNamespace(headers=headers, host=host)

    def test_same(self):
        self.assertTrue(guard.same_origin(self.req("http://127.0.0.1:8686")))

    def test_other(self):
        for o in [None, "", "null", "http://evil.example", "http://127.0.0.1:8687",
                  "http://127.0.0.1:8686.evil.example", "file://127.0.0.1:8686"]:
            self.assertFalse(guard.same_origin(self.req(o)), o)


class Bounds(unittest.TestCase):
    def test_bucket(self):
        with mock.patch("time.monotonic", return_value=100.0):
            b = guard.TokenBucket(rate=1000, burst=4000)
            self.assertTrue(b.take(4000))
            self.assertFalse(b.take(1))
        with mock.patch("time.monotonic", return_value=101.0):
            self.assertTrue(b.take(1000))
            self.assertFalse(b.take(1))

    def test_attempts(self):
        a = guard.Attempts(limit=3, window=60)
        with mock.patch("time.monotonic", return_value=10.0):
            for _ in range(3):
                self.assertFalse(a.blocked("x"))
                a.fail("x")
            self.assertTrue(a.blocked("x"))
            self.assertFalse(a.blocked("y"))
        with mock.patch("time.monotonic", return_value=71.0):
            self.assertFalse(a.blocked("x"))

    def test_join_code(self):
        codes = {guard.join_code() for _ in range(50)}
        self.assertGreater(len(codes), 45)
        for c in codes:
            self.assertRegex(c, r"^[A-HJ-NP-Z2-9]{6}$")


class Content(unittest.TestCase):
    def test_labs_from_labs_lua(self):
        labs = content.lab_list(TOP)
        self.assertEqual([l["n"] for l in labs], list(range(1, len(labs) + 1)))
        self.assertEqual(labs[5]["name"], "demo")
        self.assertTrue(all(l["line"] for l in labs))

    def test_docs_fixed(self):
        docs = content.render_docs(TOP)
        self.assertEqual(sorted(docs), ["labs", "lua-api", "vmx-api"])
        self.assertIn("<table>", docs["labs"])
        self.assertTrue(docs["vmx-api"].startswith("<h1>"))


class FakeMachine:
    """Stands in for an emulator: records the stop and tells the classroom, as Machine does."""

    def __init__(self, spec, root, listener):
        self.listener, self.state, self.reason, self.started = listener, "booting", "", time.time()
        self.scrollback = bytearray()

    async def start(self):
        self.state = "running"

    async def stop(self, reason):
        if self.state != "stopped":
            self.state, self.reason = "stopped", reason
            self.listener.machine_state(self)


class Rooms(unittest.TestCase):
    def setUp(self):
        spec = SimpleNamespace(emulator="bochs", cpu_name=lambda: "corei7_skylake_x")
        self.room = sessions.Classroom(spec, "/nonexistent", max_sessions=2, grace=600, idle_limit=3600)
        patcher = mock.patch.object(sessions, "Machine", FakeMachine)
        patcher.start()
        self.addCleanup(patcher.stop)

    def run_async(self, coro):
        return asyncio.run(coro)

    def test_limit_and_results(self):
        async def go():
            a, b = self.room.session("a"), self.room.session("b")
            await self.room.start_machine(a)
            await self.room.start_machine(b)
            self.assertTrue(self.room.is_full_for("c"))
            self.assertFalse(self.room.is_full_for("a"))      # a reload of a known session
            self.room.lab_result(a.machine, 6, "lab6_demo.lua", "pass")
            self.room.lab_result(a.machine, 6, "lab6_demo.lua", "fail")   # the last one counts
            rows = {r["tag"]: r for r in self.room.overview()}
            self.assertEqual([l["result"] for l in rows[a.tag]["labs"]], ["fail"])
            self.assertEqual(rows[b.tag]["labs"], [])
            for row in rows.values():                         # tags name sessions, never ids
                self.assertNotIn("sid", row)
                self.assertNotIn(row["tag"], ("a", "b"))
            await self.room.end_session(a, "stopped by the teacher")
            self.assertEqual(a.machine.reason, "stopped by the teacher")
            self.assertFalse(self.room.is_full_for("c"))
        self.run_async(go())

    def test_grace_and_idle(self):
        async def go():
            gone, idle, fine = (self.room.session(x) for x in ("gone", "idle", "fine"))
            for s in (gone, idle, fine):
                await self.room.start_machine(s)
            now = time.time()
            gone.detached_since = now - 601                   # no page for longer than the grace
            idle.last_activity, idle.detached_since = now - 3601, now   # page gone just now
            fine.page = object()                              # connected, typed recently
            with mock.patch("asyncio.sleep", side_effect=[None, asyncio.CancelledError]):
                with self.assertRaises(asyncio.CancelledError):
                    await self.room._reap_loop()
            self.assertEqual(gone.machine.reason, "no page was connected for 10 minutes")
            self.assertEqual(idle.machine.reason, "idle for 60 minutes")
            self.assertEqual(fine.machine.state, "running")
            self.assertEqual(sorted(self.room.sessions), ["fine"])
        self.run_async(go())


if __name__ == "__main__":
    unittest.main()
