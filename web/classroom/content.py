"""What the side panel shows: the labs list and the docs pages, both from fixed sources.

Docs come from a fixed table of names (never a path from the request), rendered once by
Python-Markdown. The labs list is read from scripts/labs.lua's labs.list, the same table
`labs()` prints at the prompt.
"""
import html
import os
import re

import markdown

DOCS = {"lua-api": "lua-api.md", "vmx-api": "vmx-api.md", "labs": "labs.md"}
_LAB_ENTRY = re.compile(r'\{\s*n\s*=\s*(\d+),\s*name\s*=\s*"(\w+)",\s*module\s*=\s*"\w+",\s*'
                        r'line\s*=\s*"((?:[^"\\]|\\.)*)"', re.S)


def render_docs(top):
    """name -> HTML of docs/<file>.md; a missing page renders as a short note."""
    out = {}
    for name, file in DOCS.items():
        try:
            with open(os.path.join(top, "docs", file), encoding="utf-8") as f:
                text = f.read()
        except OSError:
            out[name] = "<p>docs/%s is missing.</p>" % html.escape(file)
            continue
        out[name] = markdown.markdown(text, extensions=["tables", "fenced_code"])
    return out


def lab_list(top):
    """[{n, name, line}] from scripts/labs.lua; falls back to the labN_name.lua file names."""
    try:
        with open(os.path.join(top, "scripts", "labs.lua"), encoding="utf-8") as f:
            found = [{"n": int(n), "name": name, "line": line.replace('\\"', '"')}
                     for n, name, line in _LAB_ENTRY.findall(f.read())]
        if found:
            return found
    except OSError:
        pass
    labs = []
    for file in sorted(os.listdir(os.path.join(top, "scripts"))):
        m = re.match(r"lab(\d+)_(\w+)\.lua$", file)
        if m:
            labs.append({"n": int(m.group(1)), "name": m.group(2), "line": ""})
    return sorted(labs, key=lambda e: e["n"])
