#!/usr/bin/env bash
# Fails if an #include (or nasm %include) crosses a layer the wrong way (docs/architecture.md):
#   arch/, kernel/    may not include vmx/, lua_bindings/ or init/
#   vmx/              may not include lua_bindings/, init/ or a Lua header (lua.h, lauxlib.h, ...)
#   lua_bindings/     may not include init/
#   init/             may include every layer (the composition root); nothing includes it
#
#   tools/check-layers.sh [SOURCE_DIR]      (default: the repository this script is in)
# The build runs it before compiling the kernel (cmake/layers.cmake).
set -euo pipefail
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}

# layer directory -> extended regex of forbidden include targets
declare -A forbidden=(
    [arch]='(^|/)(vmx|lua_bindings|init)/'
    [kernel]='(^|/)(vmx|lua_bindings|init)/'
    [vmx]='(^|/)(lua_bindings|init)/|^(lua|lauxlib|lualib|luaconf)\.h$|^lua\.hpp$'
    [lua_bindings]='(^|/)init/'
)

status=0
for layer in arch kernel vmx lua_bindings; do
    [ -d "$top/$layer" ] || continue
    while IFS= read -r hit; do
        file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; text=${rest#*:}
        [[ $text =~ include[[:space:]]*[\<\"]([^\>\"]*) ]] || continue
        target=${BASH_REMATCH[1]}
        if [[ $target =~ ${forbidden[$layer]} ]]; then
            echo "${file#"$top"/}:$line: $layer/ may not include \"$target\" (layer rules: docs/architecture.md)" >&2
            status=1
        fi
    done < <(grep -rnE '^[[:space:]]*[#%][[:space:]]*include[[:space:]]*[<"]' "$top/$layer" \
                 --include='*.cpp' --include='*.hpp' --include='*.c' --include='*.h' \
                 --include='*.asm' --include='*.inc' || true)
done
exit $status
