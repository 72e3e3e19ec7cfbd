#!/usr/bin/env bash
# Proves the Lua-script harness can fail: runs a copy of tests/lua/vmx_novmx.lua (qemu_kernel) through
# the real integration_tests binary, modified as CASE says, and checks the outcome and its reason.
#   harness_selftest.sh CASE INTEGRATION_TESTS LUA_TESTS_DIR WORKDIR
# CASE: control                     the unmodified copy passes
#       failing_check[_prompt]      a `t.check(false, ...)` before t.done() fails the case
#       abort_after_summary[_prompt] an error raised after t.done()'s summary line fails the case
#       zero_checks                 a script that checks nothing fails
#       wrong_lua_dir               a Lua tests directory that does not exist fails (never 0 tests)
# _prompt runs the script at the prompt (the ISO targets' way) instead of with run=NAME.
# Exit status 0 when the harness judged as expected, 77 if QEMU is missing (skipped), else 1.
set -uo pipefail
case_=$1 exe=$2 src=$3 work=$4
script=vmx_novmx.lua
filter="Scripts/LuaScript.Passes/vmx_novmx_qemu_kernel"

rm -rf "$work" && mkdir -p "$work/lua" "$work/logs" || exit 1
cp "$src/vmx_report.lua" "$src/$script" "$work/lua/" || exit 1
lua="$work/lua/$script"
grep -q '^t\.done()$' "$lua" || { echo "selftest: $script has no line 't.done()' to inject at"; exit 1; }

want_status=1
case $case_ in
control)            want_status=0; want='[  PASSED  ] 1 test' ;;
failing_check*)     sed -i 's/^t\.done()$/t.check(false, "injected failing check")\nt.done()/' "$lua"
                    want='FAIL: injected failing check' ;;
abort_after_summary*) echo 'error("injected abort after the summary")' >> "$lua"
                    want='did not end normally' ;;
zero_checks)        printf -- '-- vmxlab-test: targets=qemu\nlocal t = dofile("vmx_report.lua")\nt.done()\n' > "$lua"
                    want='0 checks executed' ;;
wrong_lua_dir)      lua_dir_override="$work/no-such-dir"; filter="LuaScripts.Found:Scripts/*"
                    want='no-such-dir' ;;
*) echo "selftest: unknown case $case_"; exit 1 ;;
esac
export VMXLAB_LUA_TESTS_DIR=${lua_dir_override:-$work/lua}
export VMXLAB_TEST_LOG_DIR=$work/logs
[[ $case_ == *_prompt ]] && export VMXLAB_LUA_VIA_PROMPT=1

"$exe" --gtest_filter="$filter" --gtest_color=no > "$work/output" 2>&1
status=$?
cat "$work/output"
echo "--- selftest $case_: integration_tests exited with $status (want $want_status, and the text '$want')"
[ $status = 77 ] && { echo "selftest: skipped (the emulator is missing)"; exit 77; }
[ $status = $want_status ] || { echo "selftest: FAILED: wrong exit status"; exit 1; }
grep -qF -- "$want" "$work/output" || { echo "selftest: FAILED: the output lacks '$want'"; exit 1; }
echo "selftest: ok"
