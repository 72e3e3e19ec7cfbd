#!/usr/bin/env bash
# ./vmxlab check-corpus: the differential corpus of the VM-entry checker against Bochs (docs/vmx-api.md,
# "The differential corpus"). Boots the ISO in Bochs on two CPU models through the integration-test
# harness (scripts/corpus_<model>.lua run at the prompt), then scores the serial output against
# Bochs's log with tools/check_corpus.py, whose last line is "agreement: N/M mutations (P%)".
set -euo pipefail
build=${1:?usage: check_corpus.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
logs=$build/check-corpus-logs
scripts=$build/check-corpus-scripts
command -v python3 >/dev/null || { echo "check-corpus: python3 is needed to score the corpus (apt-get install python3)"; exit 77; }
[ -x "$build/integration_tests" ] || { echo "check-corpus: $build/integration_tests is missing (GoogleTest not found at build time?)"; exit 77; }
rm -rf "$logs" "$scripts"
mkdir -p "$logs" "$scripts"
# The harness reads each script's "-- vmxlab-test:" header from this directory and runs it by name
# from the ISO, where scripts/ is installed.
cp "$top/scripts/corpus_skylake.lua" "$top/scripts/corpus_penryn.lua" "$scripts/"
export VMXLAB_LUA_TESTS_DIR=$scripts VMXLAB_TEST_LOG_DIR=$logs
pids=()
for model in skylake penryn; do
    "$build/integration_tests" --gtest_filter="Scripts/LuaScript.Passes/corpus_${model}_bochs" \
        --gtest_color=no > "$logs/$model.gtest.log" 2>&1 &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
for model in skylake penryn; do
    grep -q "\[  SKIPPED \]" "$logs/$model.gtest.log" && { grep -A2 SKIPPED "$logs/$model.gtest.log"; exit 77; }
    grep -q "\[       OK \]" "$logs/$model.gtest.log" \
        || echo "check-corpus: the $model run did not finish cleanly (see $logs/$model.gtest.log)" >&2
done
python3 "$here/check_corpus.py" \
    corei7_skylake_x="$logs/lua-corpus_skylake_bochs" core2_penryn_t9600="$logs/lua-corpus_penryn_bochs"
