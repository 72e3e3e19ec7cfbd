"""The side panel's data and the page's fixed files: docs from a fixed table (no path from the
request ever reaches the file system), the labs list, xterm.js from web/node_modules."""
from aiohttp import web

_VENDOR = {"xterm.js": "xterm/lib/xterm.js", "xterm.css": "xterm/css/xterm.css",
           "addon-fit.js": "addon-fit/lib/addon-fit.js"}


async def docs(request):
    html = request.app["room"].docs.get(request.match_info["name"])
    if html is None:
        raise web.HTTPNotFound(text="no such page")
    return web.Response(text=html, content_type="text/html")


async def labs(request):
    return web.json_response(request.app["room"].labs)


async def vendor(request):
    rel = _VENDOR.get(request.match_info["name"])
    if rel is None:
        raise web.HTTPNotFound()
    return web.FileResponse(request.app["room"].vendor / rel)


def routes(app):
    room = app["room"]
    app.router.add_get("/docs/{name}", docs)
    app.router.add_get("/labs", labs)
    app.router.add_get("/vendor/{name}", vendor)
    app.router.add_static("/static/", room.static, follow_symlinks=False)
