"""The classroom: one Session per browser (a random id in a cookie), each with at most one
Machine and at most one attached page. Sessions never share anything: a page only ever reaches
the machine of the session its own cookie names.
"""
import asyncio
import json
import secrets
import time

from .machine import Machine

OUTBOX = 256 * 1024     # bytes of output waiting for a slow page; older output is dropped


class Session:
    def __init__(self, sid):
        self.sid = sid
        self.tag = secrets.token_hex(4)   # names the session on the teacher page (sid stays secret)
        self.name = ""
        self.created = time.time()
        self.last_activity = self.created
        self.machine = None
        self.page = None               # the attached WebSocket, if any
        self.detached_since = self.created
        self.labs = {}                 # n -> {"name", "result", "when"}
        self.stop_reason = ""
        self.outbox = bytearray()      # output not yet sent to the page (see Classroom._pump)
        self.skipped = 0
        self.wake = asyncio.Event()


class Classroom:
    def __init__(self, spec, workroot, max_sessions, grace, idle_limit):
        self.spec, self.workroot = spec, workroot
        self.max_sessions, self.grace, self.idle_limit = max_sessions, grace, idle_limit
        self.sessions = {}             # sid -> Session with a machine (live or within grace)
        self._by_machine = {}
        self._reaper = None

    # -- admission ---------------------------------------------------------------------------
    def is_full_for(self, sid):
        return sid not in self.sessions and len(self.sessions) >= self.max_sessions

    def session(self, sid):
        s = self.sessions.get(sid)
        if s is None:
            s = self.sessions[sid] = Session(sid)
        return s

    async def start_machine(self, s):
        m = Machine(self.spec, self.workroot, self)
        s.machine, s.stop_reason = m, ""
        self._by_machine[m] = s
        await m.start()
        self.send_status(s)

    async def new_machine(self, s):
        old, s.machine = s.machine, None      # the page hears "booting", not the old one's stop
        if old:
            await old.stop("replaced by a new machine at the student's request")
        await self.start_machine(s)

    async def end_session(self, s, reason):
        """Stops the machine and forgets the session (it no longer counts toward the limit)."""
        s.stop_reason = reason
        if s.machine:
            await s.machine.stop(reason)
        self.sessions.pop(s.sid, None)
        if s.page is not None:
            page, s.page = s.page, None
            s.wake.set()
            await _send(page, self.status(s) | {"state": "stopped", "reason": reason})
            await page.close()

    async def shutdown(self):
        if self._reaper:
            self._reaper.cancel()
        await asyncio.gather(*(self.end_session(s, "the classroom server stopped")
                               for s in list(self.sessions.values())), return_exceptions=True)

    # -- pages ---------------------------------------------------------------------------------
    async def attach(self, s, ws):
        if s.page is not None and s.page is not ws:
            old, s.page = s.page, None
            s.wake.set()               # the old page's pump ends
            await _send(old, {"t": "status", "state": "stopped",
                              "reason": "this machine was opened in another window"})
            await old.close()
        s.page = ws
        s.last_activity = time.time()
        s.outbox.clear()
        if s.machine is not None and s.machine.scrollback:
            await ws.send_bytes(b"\x1b[0m" + bytes(s.machine.scrollback))
        asyncio.ensure_future(self._pump(s, ws))
        self.send_status(s)

    async def _pump(self, s, ws):
        """Sends a page its machine's output, everything that came meanwhile in one message; a
        page that cannot keep up (QEMU prints at ~500 KB/s) loses the oldest part, not memory."""
        while s.page is ws:
            await s.wake.wait()
            s.wake.clear()
            if s.page is not ws or not s.outbox:
                continue
            note = b""
            if s.skipped:
                note = b"\r\n\x1b[33m[classroom: %d bytes of output skipped: the page could not keep up]\x1b[0m\r\n" % s.skipped
                s.skipped = 0
            data, s.outbox = note + bytes(s.outbox), bytearray()
            await _send_bytes(ws, data)

    def detach(self, s, ws):
        if s.page is ws:
            s.page = None
            s.detached_since = time.time()
            s.wake.set()               # its pump ends

    def send_status(self, s):
        if s.page is not None:
            asyncio.ensure_future(_send(s.page, self.status(s)))

    def status(self, s):
        m = s.machine
        msg = {"t": "status", "emulator": self.spec.emulator, "cpu": self.spec.cpu_name(),
               "name": s.name}
        if m is None:
            msg.update(state="stopped", reason=s.stop_reason or "no machine yet")
        else:
            msg.update(state=m.state, reason=m.reason, started=m.started)
        return msg

    # -- machine events (Machine calls these) ---------------------------------------------------
    def machine_output(self, m, data):
        s = self._by_machine.get(m)
        if s is not None and s.machine is m and s.page is not None:
            s.outbox += data
            if len(s.outbox) > OUTBOX:
                cut = len(s.outbox) - OUTBOX
                del s.outbox[:cut]
                s.skipped += cut
            s.wake.set()

    def machine_state(self, m):
        s = self._by_machine.get(m)
        if m.state == "stopped":
            self._by_machine.pop(m, None)
        if s is not None and s.machine is m:
            if m.state == "stopped":
                s.stop_reason = m.reason
            self.send_status(s)

    def lab_result(self, m, n, name, result):
        s = self._by_machine.get(m)
        if s is not None:
            s.labs[n] = {"name": name, "result": result, "when": time.time()}

    # -- the reaper: grace period and idle limit -------------------------------------------------
    def start_reaper(self):
        self._reaper = asyncio.ensure_future(self._reap_loop())

    async def _reap_loop(self):
        while True:
            await asyncio.sleep(min(5.0, self.grace / 4, self.idle_limit / 4))
            now = time.time()
            for s in list(self.sessions.values()):
                if s.page is None and now - s.detached_since > self.grace:
                    await self.end_session(s, "no page was connected for %s" % _span(self.grace))
                elif now - s.last_activity > self.idle_limit:
                    await self.end_session(s, "idle for %s" % _span(self.idle_limit))

    def by_tag(self, tag):
        return next((s for s in self.sessions.values() if s.tag == tag), None)

    def overview(self):
        now = time.time()
        out = []
        for s in self.sessions.values():
            m = s.machine
            out.append({"tag": s.tag, "name": s.name, "connected": s.page is not None,
                        "uptime": round(now - m.started) if m and m.state != "stopped" else 0,
                        "idle": round(now - s.last_activity), "emulator": self.spec.emulator,
                        "cpu": self.spec.cpu_name(),
                        "state": m.state if m else "stopped", "reason": m.reason if m else s.stop_reason,
                        "labs": [dict(n=n, **v) for n, v in sorted(s.labs.items())]})
        return sorted(out, key=lambda e: e["name"].lower())


def _span(seconds):
    return "%d minutes" % (seconds // 60) if seconds >= 120 else "%d seconds" % seconds


async def _send(ws, msg):
    try:
        await ws.send_str(json.dumps(msg))
    except (ConnectionError, RuntimeError):
        pass


async def _send_bytes(ws, data):
    try:
        await ws.send_bytes(data)
    except (ConnectionError, RuntimeError):
        pass
