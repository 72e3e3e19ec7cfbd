"""Classroom figures for ./vmxlab bench (run by tools/bench_classroom.sh):

  host CPU and memory per idle session, and how many sessions this machine holds with every
  prompt answering 1+1 within 1 s when all of them type it at once.

Starts its own `./vmxlab serve` on a free port and talks to it exactly as the student page does:
GET / for the session cookie, then the WebSocket with a hello, input frames, output frames.
  /usr/bin/python3 tools/bench_classroom.py TOP [--steps 10,20,30,40,50,60] [--limit 1.0]
"""
import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import aiohttp

TICK = os.sysconf("SC_CLK_TCK")


class Student:
    """One WebSocket session; `text` is everything its machine printed."""

    def __init__(self, url):
        self.url, self.text, self.changed = url, bytearray(), asyncio.Event()

    async def open(self, name):
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        await (await self.http.get(self.url)).release()
        self.ws = await self.http.ws_connect(self.url + "ws", origin=self.url.rstrip("/"))
        await self.ws.send_str(json.dumps({"t": "hello", "name": name}))
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.text += msg.data
                self.changed.set()

    async def wait(self, pattern, start, timeout):
        end = time.monotonic() + timeout
        found = re.compile(pattern)
        while not found.search(self.text, start):      # from start on, without copying
            left = end - time.monotonic()
            if left <= 0:                  # also while output keeps coming
                raise asyncio.TimeoutError("no %r in %s s" % (pattern, timeout))
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), left)

    async def ask(self, line, answer, timeout=30):
        start, t0 = len(self.text), time.monotonic()
        await self.ws.send_str(json.dumps({"t": "in", "d": line + "\r"}))
        await self.wait(answer, start, timeout)
        return time.monotonic() - t0

    async def close(self):
        self.reader.cancel()
        await self.ws.close()
        await self.http.close()


def emulator_pids(workdir):
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        try:
            with open("/proc/%s/comm" % pid) as f:
                comm = f.read().strip()
        except OSError:
            continue
        if workdir.encode() in cmd and comm.startswith(("bochs", "qemu-system")):
            pids.append(int(pid))
    return pids


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def pss_kib(pid):
    with open("/proc/%d/smaps_rollup" % pid) as f:
        return sum(int(l.split()[1]) for l in f if l.startswith("Pss:"))


async def idle_cost(workdir, seconds=10):
    pids = emulator_pids(workdir)
    c0 = {p: cpu_seconds(p) for p in pids}
    await asyncio.sleep(seconds)
    cpu = [(cpu_seconds(p) - c0[p]) / seconds * 100 for p in pids]
    return statistics.mean(cpu), statistics.mean(pss_kib(p) for p in pids) / 1024


async def run(args):
    workdir = tempfile.mkdtemp(prefix="vmxlab-bench-classroom.")
    steps = [int(s) for s in args.steps.split(",")]
    server = subprocess.Popen([os.path.join(args.top, "tools", "serve.sh"), "--port", "0",
                               "--workdir", workdir, "--max-sessions", str(max(steps))],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    url = None
    for line in server.stdout:
        m = re.search(r"classroom: (http://\S+)", line)
        url = url or (m and m.group(1))
        if "stop with Ctrl-C" in line:
            break
    students, held = [], 0
    try:
        for n in steps:
            new = [Student(url) for _ in range(n - len(students))]
            t0 = time.monotonic()
            await asyncio.gather(*(s.open("bench %d" % (len(students) + i)) for i, s in enumerate(new)))
            await asyncio.gather(*(s.wait(rb"\n> ", 0, 180) for s in new))
            boot = time.monotonic() - t0
            students += new
            await asyncio.sleep(3)                     # let the last boots settle into idle
            cpu, mem = await idle_cost(workdir)
            lat = await asyncio.gather(*(s.ask("1+1", rb"\n2\r?\n") for s in students))
            ok = max(lat) <= args.limit
            print("  %2d sessions: booted %d in %4.1f s; idle %4.1f%% CPU and %3.0f MiB (PSS) each; "
                  "1+1 all at once: median %.2f s, slowest %.2f s %s" % (
                      n, len(new), boot, cpu, mem, statistics.median(lat), max(lat),
                      "ok" if ok else "(over %.1f s)" % args.limit), flush=True)
            if not ok:
                break
            held = n
    finally:
        await asyncio.gather(*(s.close() for s in students), return_exceptions=True)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    print("  concurrent sessions with every 1+1 answered within %.1f s: %d%s (goal >= 20; %d cores)" % (
        args.limit, held, "+" if held == max(steps) else "", os.cpu_count()))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("top")
    p.add_argument("--steps", default="10,20,30,40,50,60")
    p.add_argument("--limit", type=float, default=1.0)
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
