"""One student's emulator: tools/emulator.sh started in its own process group, COM1 as a TCP
connection to a port this server listens on, the recent output kept for a reattaching page.

The emulator can never outlive the server: it gets PR_SET_PDEATHSIG=SIGKILL (the kernel kills it
when the server dies, even by SIGKILL) and its own process group, which stop() signals as a whole.
"""
import asyncio
import ctypes
import os
import re
import signal
import shutil
import tempfile
import time

SCROLLBACK = 64 * 1024          # bytes of recent output replayed to a reattaching page
CONNECT_TIMEOUT = 60.0          # seconds for the emulator to open COM1 (Bochs on a busy host)
PROMPT = re.compile(rb"(^|\n)> ")
# The lab runner's result line (scripts/labs.lua, documented in docs/labs.md), alone on a line.
LAB_RESULT = re.compile(r"^vmxlab-lab: n=(\d+) name=(\S+) result=(pass|fail)$")
PR_SET_PDEATHSIG = 1


def _child_setup(parent):
    """Runs in the child between fork and exec: die with the server, never outlive it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:      # the server died before prctl took effect
        os._exit(127)


class EmulatorSpec:
    """How to start one machine: the emulator.sh mode and its options (fixed for the server)."""

    def __init__(self, tools, image, emulator, cpu):
        self.tools, self.image, self.emulator, self.cpu = tools, image, emulator, cpu

    def command(self, port, workdir):
        mode = "bochs" if self.emulator == "bochs" else "qemu-iso"
        cmd = ["bash", os.path.join(self.tools, "emulator.sh"), mode, "--image", self.image,
               "--port", str(port), "--workdir", workdir]
        if self.cpu:
            cmd += ["--cpu", self.cpu]
        if self.emulator == "bochs":
            # Emulated time follows real time, so an idle prompt's HLT really waits: a few percent
            # of a core instead of 100% with the tests' --clock fast (docs/classroom.md).
            cmd += ["--clock", "live"]
        return cmd

    def cpu_name(self):
        if self.cpu:
            return self.cpu
        return "corei7_skylake_x" if self.emulator == "bochs" else "max"


class Machine:
    """States: booting (started, no prompt yet), running (the prompt was seen), stopped (why)."""

    def __init__(self, spec, root, listener):
        self.spec, self.listener = spec, listener
        self.workdir = tempfile.mkdtemp(prefix="machine.", dir=root)
        self.state, self.reason = "booting", ""
        self.started = time.time()
        self.scrollback = bytearray()
        self.proc = None
        self._writer = None
        self._line = b""
        self._server = None
        self._connected = asyncio.Event()
        self._tasks = []

    # -- life cycle --------------------------------------------------------------------------
    async def start(self):
        self._server = await asyncio.start_server(self._on_connect, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        log = open(os.path.join(self.workdir, "emulator.log"), "wb")
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *self.spec.command(port, self.workdir), stdin=asyncio.subprocess.DEVNULL,
                stdout=log, stderr=log, start_new_session=True,
                preexec_fn=lambda parent=os.getpid(): _child_setup(parent))
        finally:
            log.close()
        self._tasks.append(asyncio.create_task(self._watch_exit()))
        self._tasks.append(asyncio.create_task(self._watch_connect()))

    async def _watch_connect(self):
        try:
            await asyncio.wait_for(self._connected.wait(), CONNECT_TIMEOUT)
        except asyncio.TimeoutError:
            await self.stop("the emulator did not open COM1 within %d s" % CONNECT_TIMEOUT)

    async def _watch_exit(self):
        code = await self.proc.wait()
        if self.state != "stopped":
            await self.stop(self._exit_reason(code))

    def _exit_reason(self, code):
        """Why the emulator ended, in the words of what is known: the guest's power-off port, or
        the emulator's status and its log's last panic line."""
        log = _read_tail(os.path.join(self.workdir, "bochs.log"))
        if self.spec.emulator == "bochs" and "Shutdown port: shutdown requested" in log:
            return "the machine powered itself off (its last output says why)"
        if self.spec.emulator == "qemu" and code > 0 and code % 2 == 1:
            return "the machine powered itself off (exit code %d)" % (code >> 1)
        panic = [l for l in log.splitlines() if ">>PANIC<<" in l]
        return "the emulator exited (status %d)%s" % (
            code, (": " + panic[-1].split(">>PANIC<<", 1)[1].strip()) if panic else "")

    async def _on_connect(self, reader, writer):
        if self._writer is not None:     # COM1 is one connection; anything else is refused
            writer.close()
            return
        self._writer = writer
        self._connected.set()
        self._server.close()             # no further connections to this port
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                self._output(data)
        except (ConnectionError, OSError):
            pass

    async def stop(self, reason):
        """Stops the emulator's whole process group; the first reason given is kept."""
        if self.state == "stopped":
            return
        self.state, self.reason = "stopped", reason
        self.listener.machine_state(self)
        if self.proc and self.proc.returncode is None:
            _signal_group(self.proc.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 3)
            except asyncio.TimeoutError:
                _signal_group(self.proc.pid, signal.SIGKILL)
                await self.proc.wait()
        if self._writer:
            self._writer.close()
        if self._server:
            self._server.close()
        for t in self._tasks:
            if t is not asyncio.current_task():
                t.cancel()
        shutil.rmtree(self.workdir, ignore_errors=True)

    # -- serial ------------------------------------------------------------------------------
    def write(self, data):
        if self._writer is not None and self.state != "stopped":
            self._writer.write(data)

    def _output(self, data):
        self.scrollback += data
        if len(self.scrollback) > SCROLLBACK:
            del self.scrollback[:len(self.scrollback) - SCROLLBACK]
        self.listener.machine_output(self, data)
        if self.state == "booting" and PROMPT.search(bytes(self.scrollback[-4096:])):
            self.state = "running"
            self.listener.machine_state(self)
        self._scan_lines(data)

    def _scan_lines(self, data):
        buf = self._line + data
        lines = buf.split(b"\n")
        self._line = lines.pop()[-512:]
        for raw in lines:
            m = LAB_RESULT.match(raw.decode("utf-8", "replace").strip("\r"))
            if m:
                self.listener.lab_result(self, int(m.group(1)), m.group(2), m.group(3))


def _read_tail(path, size=8192):
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - size))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _signal_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
