"""The student's side: the page, the join code, the WebSocket to the session's own machine."""
import json
import secrets
import time
import unicodedata

from aiohttp import WSMsgType, web

from . import guard, pages

COOKIE = "vmxlab_session"


def session_id(request):
    sid = request.cookies.get(COOKIE, "")
    return sid if len(sid) == 43 else ""          # token_urlsafe(32): anything else is not ours


def set_cookie(resp, name, value):
    resp.set_cookie(name, value, httponly=True, samesite="Strict", path="/")


async def index(request):
    room = request.app["room"]
    sid = session_id(request) or secrets.token_urlsafe(32)
    if room.join_code and sid not in room.admitted:
        resp = pages.join_page()
    elif room.classroom.is_full_for(sid):
        resp = pages.full_page(room.classroom.max_sessions)
    else:
        resp = web.FileResponse(room.static / "student.html", headers={"Cache-Control": "no-store"})
    set_cookie(resp, COOKIE, sid)
    return resp


async def join(request):
    room = request.app["room"]
    sid, who = session_id(request), request.remote
    if not guard.same_origin(request) or not sid:
        return pages.refused("This form must be sent from the classroom's own page.")
    if room.attempts.blocked(who):
        return pages.refused("Too many wrong join codes: wait a minute.", status=429)
    form = await request.post()
    code = str(form.get("code", "")).strip().upper()
    if not guard.equal(code, room.join_code):
        room.attempts.fail(who)
        return pages.refused("Wrong join code. Ask your teacher for the code shown when the "
                             "classroom started.", retry="/")
    room.admitted.add(sid)
    raise web.HTTPSeeOther("/")


def clean_name(text):
    """At most 40 characters, no control or format characters, whitespace as single spaces."""
    text = "".join(" " if c.isspace() else c for c in str(text))
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    return " ".join(text.split())[:40]


async def socket(request):
    room = request.app["room"]
    sid = session_id(request)
    if not guard.same_origin(request):
        return web.Response(status=403, text="WebSocket refused: wrong origin")
    if not sid or (room.join_code and sid not in room.admitted):
        return web.Response(status=403, text="WebSocket refused: not admitted")
    ws = web.WebSocketResponse(max_msg_size=guard.MAX_MESSAGE, heartbeat=30)
    await ws.prepare(request)
    classroom, bucket, s, noticed = room.classroom, guard.TokenBucket(), None, 0.0
    try:
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            try:
                m = json.loads(msg.data)
                kind = m["t"]
            except (ValueError, KeyError, TypeError):
                continue
            if kind == "hello" and s is None:
                if classroom.is_full_for(sid):
                    await ws.send_str(json.dumps({"t": "full"}))
                    break
                s = classroom.session(sid)
                s.name = clean_name(m.get("name", "")) or s.name or "(no name)"
                if s.machine is None or s.machine.state == "stopped":
                    await classroom.start_machine(s)
                await classroom.attach(s, ws)
            elif s is None or s.page is not ws:
                break
            elif kind == "in" and isinstance(m.get("d"), str):
                data = m["d"].encode("utf-8")
                if not bucket.take(len(data)):
                    if time.monotonic() - noticed > 2:      # one notice per burst, not per piece
                        noticed = time.monotonic()
                        await ws.send_str(json.dumps({"t": "notice", "text": "input too fast: dropped"}))
                    continue
                s.last_activity = time.time()
                if s.machine:
                    s.machine.write(data)
            elif kind == "new":
                s.last_activity = time.time()
                await classroom.new_machine(s)
    finally:
        if s is not None:
            classroom.detach(s, ws)
    return ws


def routes(app):
    app.router.add_get("/", index)
    app.router.add_post("/join", join)
    app.router.add_get("/ws", socket)
