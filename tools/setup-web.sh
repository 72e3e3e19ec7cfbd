#!/usr/bin/env bash
# What `./vmxlab serve` and the browser tests need besides tools/setup.sh's packages: aiohttp and
# Python-Markdown for the server, Chromium for the tests (Debian packages), and xterm.js and
# playwright-core from the npm registry into web/node_modules (ignored by git; versions pinned by
# web/package-lock.json). Idempotent: each step is skipped when its result is there.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

packages=(python3 python3-aiohttp python3-markdown chromium)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ${#missing[@]} -gt 0 ]; then
    echo "vmxlab setup-web: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

web="$top/web"
if [ ! -f "$web/node_modules/.vmxlab-ok" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.vmxlab-ok" ]; then
    echo "vmxlab setup-web: npm ci (xterm.js, playwright-core)"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$web/node_modules/.vmxlab-ok"
fi
