#!/usr/bin/env bash
# ./vmxlab bench: build the yardstick images, then print the figures (see tools/bench/bench.cpp).
set -euo pipefail
build=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
cmake --build "$build" --target vmxlab-bench -j"$(nproc)" >/dev/null
"$build/vmxlab-bench" "$build" "$top" "$@"
# The classroom's figures (./vmxlab serve): a script of their own, see docs/classroom.md.
"$top/tools/bench_classroom.sh"
