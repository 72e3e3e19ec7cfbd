#!/usr/bin/env bash
# ./vmxlab serve [options]: the classroom web server (web/classroom, docs/classroom.md).
# Debian's python3 (/usr/bin/python3) is the one with python3-aiohttp and python3-markdown.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PYTHONPATH="$top/web${PYTHONPATH:+:$PYTHONPATH}"
exec /usr/bin/python3 -m classroom --top "$top" "$@"
