"""The classroom server's pure logic, without a browser or an emulator (ctest classroom.logic):
the lab result line, names, the origin check, the input bound, wrong-guess blocking, the labs
list and the docs table."""
import os
import sys
import unittest
from types import SimpleNamespace
from unittest import mock

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "web"))

from classroom import content, guard                 # noqa: E402
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


if __name__ == "__main__":
    unittest.main()
