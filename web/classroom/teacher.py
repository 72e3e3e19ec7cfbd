"""The teacher's side: /teacher?token=T sets a cookie; the page polls /teacher/sessions and can
stop a session. Every request checks the token in constant time."""
from aiohttp import web

from . import guard, pages

COOKIE = "vmxlab_teacher"


def _allowed(request):
    room = request.app["room"]
    return guard.equal(request.cookies.get(COOKIE, ""), room.teacher_token)


async def page(request):
    room = request.app["room"]
    token = request.query.get("token")
    if token is not None:
        who = request.remote
        if room.attempts.blocked(who):
            return pages.refused("Too many wrong teacher tokens: wait a minute.", status=429)
        if not guard.equal(token, room.teacher_token):
            room.attempts.fail(who)
            return pages.refused("Wrong teacher token: use the teacher link the server printed "
                                 "when it started.")
        resp = web.HTTPSeeOther("/teacher")
        resp.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/teacher")
        raise resp
    if not _allowed(request):
        return pages.refused("The teacher page needs the link with the token that the server "
                             "printed when it started.")
    return web.FileResponse(room.static / "teacher.html", headers={"Cache-Control": "no-store"})


async def sessions(request):
    if not _allowed(request):
        raise web.HTTPForbidden(text="teacher token required")
    room = request.app["room"]
    c = room.classroom
    return web.json_response({"sessions": c.overview(), "max_sessions": c.max_sessions,
                              "emulator": c.spec.emulator, "cpu": c.spec.cpu_name()})


async def stop(request):
    if not _allowed(request) or not guard.same_origin(request):
        raise web.HTTPForbidden(text="teacher token and same origin required")
    body = await request.json()
    c = request.app["room"].classroom
    s = c.by_tag(str(body.get("tag", "")))
    if s is None:
        raise web.HTTPNotFound(text="no such session")
    await c.end_session(s, "stopped by the teacher")
    return web.json_response({"stopped": s.tag})


def routes(app):
    app.router.add_get("/teacher", page)
    app.router.add_get("/teacher/sessions", sessions)
    app.router.add_post("/teacher/stop", stop)
