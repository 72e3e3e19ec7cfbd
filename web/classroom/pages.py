"""The small server-made pages: join code, classroom full, refused. Everything the request
brought is escaped; the pages share web/static/style.css."""
import html

from aiohttp import web

_FRAME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body class="notice-page"><main class="notice"><h1>{title}</h1>{body}</main></body></html>
"""


def _page(title, body, status=200):
    return web.Response(text=_FRAME.format(title=html.escape(title), body=body), status=status,
                        content_type="text/html", headers={"Cache-Control": "no-store"})


def join_page():
    return _page("Join the vmxlab classroom", """
<p>Type the join code your teacher read out or wrote on the board.</p>
<form method="post" action="/join" id="join">
<input name="code" id="code" autocomplete="off" autofocus maxlength="12" placeholder="join code">
<button type="submit">Join</button></form>""")


def full_page(limit):
    return _page("The classroom is full", """
<p id="full">The classroom is full: all {n} machines are in use. Ask your teacher to stop a
machine that is no longer needed, then reload this page.</p>""".format(n=int(limit)), status=503)


def refused(why, status=403, retry=""):
    link = '<p><a href="%s">Try again</a></p>' % html.escape(retry) if retry else ""
    return _page("Refused", '<p id="refused">%s</p>%s' % (html.escape(why), link), status=status)
