"""./vmxlab serve: the classroom web server (aiohttp). See docs/classroom.md.

  python3 -m classroom --top REPO [--port 8686] [--host 127.0.0.1] [--max-sessions N]
                       [--emulator bochs|qemu] [--cpu MODEL] [--grace S] [--idle S]
"""
import argparse
import asyncio
import os
import pathlib
import secrets
import shutil
import signal
import socket
import sys
import tempfile

from aiohttp import web

from . import content, guard, side, student, teacher
from .machine import EmulatorSpec
from .sessions import Classroom


class Room:
    """Everything the handlers share: the classroom, the secrets, the rendered content."""

    def __init__(self, args, top, workroot):
        self.top, self.static = top, top / "web" / "static"
        self.vendor = top / "web" / "node_modules" / "@xterm"
        spec = EmulatorSpec(str(top / "tools"), args.image, args.emulator,
                            args.cpu)
        self.classroom = Classroom(spec, workroot, args.max_sessions, args.grace, args.idle)
        self.teacher_token = secrets.token_urlsafe(18)
        self.join_code = guard.join_code() if args.host != "127.0.0.1" else ""
        self.admitted = set()
        self.attempts = guard.Attempts()
        self.docs = content.render_docs(str(top))
        self.labs = content.lab_list(str(top))


def parse(argv):
    p = argparse.ArgumentParser(prog="./vmxlab serve", description="the vmxlab classroom server")
    p.add_argument("--top", required=True, help=argparse.SUPPRESS)   # tools/serve.sh gives it
    p.add_argument("--image", default="", metavar="ISO", help="the ISO to boot (default: build/vmxlab.iso)")
    p.add_argument("--port", type=int, default=8686, metavar="N", help="TCP port (0: any free one)")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="address to listen on; "
                   "anything but 127.0.0.1 asks students for a join code")
    p.add_argument("--max-sessions", type=int, default=20, metavar="N", help="machines at once")
    p.add_argument("--emulator", choices=["bochs", "qemu"], default="bochs",
                   help="bochs emulates VMX; qemu (TCG) boots faster but has none")
    p.add_argument("--cpu", default="", metavar="MODEL", help="Bochs CPU model (or QEMU -cpu)")
    p.add_argument("--grace", type=float, default=600, metavar="S", help="seconds a machine waits for its page")
    p.add_argument("--idle", type=float, default=3600, metavar="S", help="seconds without input before a stop")
    p.add_argument("--workdir", default="", metavar="DIR", help="where the machines' files go (default: /tmp)")
    return p.parse_args(argv)


def make_app(room):
    app = web.Application(client_max_size=16 * 1024)
    app["room"] = room
    student.routes(app)
    teacher.routes(app)
    side.routes(app)
    return app


async def serve(args):
    top = pathlib.Path(args.top).resolve()
    args.image = os.path.abspath(args.image or top / "build" / "vmxlab.iso")
    if not os.path.exists(args.image):
        sys.exit("vmxlab serve: %s is missing (./vmxlab build)" % args.image)
    workroot = tempfile.mkdtemp(prefix="vmxlab-classroom.", dir=args.workdir or None)
    room = Room(args, top, workroot)
    runner = web.AppRunner(make_app(room), access_log=None)
    try:
        await runner.setup()
        site = web.TCPSite(runner, args.host, args.port)
        await site.start()
        room.classroom.start_reaper()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, stop.set)
        announce(args, room, site._server.sockets[0].getsockname()[1], workroot)
        await stop.wait()
        print("vmxlab serve: stopping every machine", flush=True)
    except BrokenPipeError:          # whoever read our output is gone: stop all the same
        pass
    finally:
        await room.classroom.shutdown()
        await runner.cleanup()
        shutil.rmtree(workroot, ignore_errors=True)


def announce(args, room, port, workroot):
    shown = "127.0.0.1" if args.host == "127.0.0.1" else (
        socket.gethostname() if args.host in ("0.0.0.0", "::") else args.host)
    url = "http://%s:%d/" % (shown, port)
    spec = room.classroom.spec
    print("vmxlab classroom: %s  (%s, CPU %s, at most %d machines%s)" % (
        url, spec.emulator, spec.cpu_name(), args.max_sessions,
        ", Bochs clock: real time" if spec.emulator == "bochs" else ""))
    print("  teacher page: %steacher?token=%s" % (url, room.teacher_token))
    if room.join_code:
        print("  join code:    %s" % room.join_code)
    print("  machines in:  %s" % workroot)
    print("  stop with Ctrl-C: every machine stops with the server", flush=True)


def main():
    args = parse(sys.argv[1:])
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
