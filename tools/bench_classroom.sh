#!/usr/bin/env bash
# ./vmxlab bench, the classroom part (called by tools/bench.sh; docs/classroom.md explains the
# figures): page open to prompt in headless Chromium, then idle cost per session and how many
# sessions answer 1+1 within 1 s, all typing at once.
#   tools/bench_classroom.sh [--steps 10,20,30,...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup-web.sh"
echo "classroom (./vmxlab serve, Bochs machines on the real-time clock):"
node "$top/tools/bench_classroom_page.mjs" || echo "  (page timing failed)"
/usr/bin/python3 "$top/tools/bench_classroom.py" "$top" "$@"
