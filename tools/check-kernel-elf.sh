#!/usr/bin/env bash
# Fails if kernel code could leave ring 0's assumptions: an ELF (or a static archive) whose code
# contains a `syscall`/`sysenter` instruction or any %fs: reference (no OS below us, no TLS).
#
#   tools/check-kernel-elf.sh FILE [ALLOWED_FUNCTION_REGEX]
#
# FILE is the kernel ELF or a .a archive (cmake/musl.cmake and cmake/lua.cmake check theirs after
# each build). Hits inside functions whose name matches ALLOWED_FUNCTION_REGEX (an extended
# regex, e.g. for guest code that executes `syscall` in VMX non-root mode) are allowed.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 FILE [ALLOWED_FUNCTION_REGEX]" >&2
    exit 2
fi
file=$1
allow=${2:-}
[ -f "$file" ] || { echo "$0: $file: no such file" >&2; exit 2; }

objdump=${OBJDUMP:-objdump}
# Intel-free AT&T output without raw bytes: "  addr:\tmnemonic operands".
hits=$("$objdump" -d --no-show-raw-insn "$file" | awk -v allow="$allow" '
    /^In archive / { next }
    /file format/  { member = $1; sub(/:$/, "", member); next }
    /^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn); next }
    /^ *[0-9a-f]+:\t/ {
        insn = $0; sub(/^ *[0-9a-f]+:\t/, "", insn)
        if (insn ~ /^(syscall|sysenter)( |$)/ || insn ~ /%fs:/) {
            if (allow != "" && fn ~ allow) next
            printf "%s: %s: %s\n", member, fn, insn
        }
    }')
if [ -n "$hits" ]; then
    echo "$file: code that needs an OS or a thread pointer (syscall/sysenter/%fs:):" >&2
    echo "$hits" >&2
    exit 1
fi
