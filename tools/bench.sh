#!/usr/bin/env bash
# ./vmxlab bench: build the yardstick images, then print the figures (see tools/bench/bench.cpp).
set -euo pipefail
build=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
cmake --build "$build" --target vmxlab-bench -j"$(nproc)" >/dev/null
exec "$build/vmxlab-bench" "$build" "$top" "$@"
