#!/usr/bin/env python3
"""Fails if a comment, help text, script or doc cites an SDM section outside the chapters that
docs/sdm.md lists for the one edition vmxlab cites (325462-080US), so that section numbers of two
editions cannot mix again.

What counts as a citation:
  - a number CC.S[.S...] with a two-digit chapter CC (10-39) anywhere, unless it is a quantity
    (followed by a unit or %, or a part that is 0 or starts with 0, which no section has) or part
    of a version or appendix number (A.3.2, 5.4.4);
  - any number C.S[.S...] on a line that says "SDM" or "Vol. 3";
  - "chapter N" / "Table N-M" on such a line.

  tools/check-sdm.py [SOURCE_DIR]      (default: the repository this script is in)

The table under "## Chapters cited" in docs/sdm.md is the list: its first column holds chapters
("25") or single sections ("24.7, 24.8"); only those are accepted. docs/sdm.md itself is not
checked (it quotes other editions on purpose).
"""
import os
import re
import sys

DIRS = ("arch", "kernel", "init", "vmx", "lua_bindings", "scripts", "guests", "tests", "docs", "tools")
EXTS = (".cpp", ".hpp", ".c", ".h", ".asm", ".inc", ".lua", ".md", ".sh", ".in", ".cmake", ".py")
SECTION = re.compile(r"(?<![0-9A-Za-z_.\-])([0-9]{1,2}(?:\.[0-9]+)+)(?![0-9])(?!\.[0-9])")
QUANTITY = re.compile(r"^ ?(MiB|KiB|GiB|MB|KB|%|s|ms|us|min|x)(?![A-Za-z])")
CHAPTER = re.compile(r"\b(?:[Cc]hapter|Table) ([0-9]+)")
SDM_LINE = re.compile(r"SDM|[Vv]ol\. ?3")


def allowed_sections(top):
    text = open(os.path.join(top, "docs", "sdm.md"), encoding="utf-8").read()
    part = text.split("## Chapters cited", 1)
    if len(part) < 2:
        sys.exit("check-sdm: docs/sdm.md has no '## Chapters cited' table")
    allowed = []
    for line in part[1].split("\n## ")[0].splitlines():
        m = re.match(r"^\|\s*([0-9][0-9., ]*?)\s*\|", line)
        if m:
            allowed += [s.strip() for s in m.group(1).split(",") if s.strip()]
    if not allowed:
        sys.exit("check-sdm: no chapters in the table of docs/sdm.md")
    return allowed


def ok(section, allowed):
    return any(section == a or section.startswith(a + ".") for a in allowed)


def check_line(text, allowed):
    sdm = bool(SDM_LINE.search(text))
    bad = []
    for m in SECTION.finditer(text):
        sec = m.group(1)
        parts = sec.split(".")
        if QUANTITY.match(text[m.end():]) or any(p.startswith("0") for p in parts):
            continue                                  # 29.5 MiB, 16.0, 91.013: not a section
        if (10 <= int(parts[0]) <= 39 or sdm) and not ok(sec, allowed):
            bad.append(sec)
    if sdm:
        bad += [c for c in CHAPTER.findall(text) if not ok(c, allowed)]
    return bad


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    allowed = allowed_sections(top)
    status = 0
    for d in DIRS:
        for root, _, files in os.walk(os.path.join(top, d)):
            for name in sorted(files):
                if not name.endswith(EXTS) and name != "CMakeLists.txt":
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, top)
                if rel in ("docs/sdm.md", "tools/check-sdm.py"):
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    for n, text in enumerate(f, 1):
                        for sec in check_line(text, allowed):
                            print(f"{rel}:{n}: SDM section {sec} is not in a chapter docs/sdm.md lists "
                                  f"(325462-080US)", file=sys.stderr)
                            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
