#!/usr/bin/env bash
# The one place that knows vmxlab's emulator command lines. Used by `./vmxlab run` (through
# vmxlab-term) and by the integration tests (tests/integration/session.cpp). COM1 is always a TCP
# connection to 127.0.0.1:PORT on which the caller is already listening; the emulator is exec'd,
# so the caller's child pid is the emulator and its exit status comes back unchanged:
#   QEMU: isa-debug-exit gives (code << 1) | 1; Bochs: 1 after "Shutdown" on port 0x8900.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: tools/emulator.sh MODE --image FILE [options]
modes:
  qemu-kernel   QEMU loads FILE (kernel.elf, multiboot1) directly: the fast path
  qemu-iso      QEMU boots the ISO FILE through SeaBIOS and GRUB
  qemu-uefi     QEMU boots the ISO FILE through OVMF (UEFI) and GRUB
  bochs         Bochs boots the ISO FILE (emulates VMX)
options:
  --port P        COM1 connects to 127.0.0.1:P (default $VMXLAB_SERIAL_PORT)
  --append ARGS   kernel arguments (qemu-kernel only; ISOs take theirs from grub.cfg)
  --module FILE   boot module named by its file name (qemu-kernel only; repeatable)
  --memory MIB    guest RAM (default 256)
  --cpu MODEL     QEMU -cpu (default max; host with --kvm) or Bochs model (default corei7_skylake_x)
  --ips N         Bochs instructions per emulated second (default: 4000000 with --clock fast,
                  100000000 with --clock live)
  --clock fast|live
                  Bochs's clock. fast (default, tests): sync=none, emulated time follows the
                  instructions retired and starts at 2026-01-01 00:00 UTC, so runs are
                  reproducible; an idle prompt costs a whole host core. live (./vmxlab run):
                  sync=slowdown, emulated time follows real time and starts at the host's UTC
                  time, and an idle prompt sleeps. QEMU's clock is always the host's.
  --kvm           QEMU with KVM acceleration
  --workdir DIR   Bochs config and log, OVMF variables (default: a new directory under /tmp)
  --dry-run       print the command instead of running it
  --check         exit 0 if MODE can run on this machine, else print why and exit 77
  -- ARGS...      passed on to the emulator (QEMU options; Bochs: bochsrc lines such as
                  'magic_break: enabled=1')
EOF
    exit 2
}

die() { echo "emulator.sh: $*" >&2; exit 2; }
skip() { echo "$*"; exit 77; }

[ $# -ge 1 ] || usage
mode=$1; shift
case $mode in qemu-kernel|qemu-iso|qemu-uefi|bochs) ;; -h|--help) usage ;; *) die "unknown mode '$mode'" ;; esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image="" port=${VMXLAB_SERIAL_PORT:-} append="" memory=256 cpu="" ips="" clock=fast
kvm=0 workdir="" dry=0 check=0 modules=() extra=()
while [ $# -gt 0 ]; do
    case $1 in
        --image) image=$2; shift ;;
        --port) port=$2; shift ;;
        --append) append=$2; shift ;;
        --module) modules+=("$2"); shift ;;
        --memory) memory=$2; shift ;;
        --cpu) cpu=$2; shift ;;
        --ips) ips=$2; shift ;;
        --clock) clock=$2; shift ;;
        --kvm) kvm=1 ;;
        --workdir) workdir=$2; shift ;;
        --dry-run) dry=1 ;;
        --check) check=1 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) usage ;;
        *) die "unknown option '$1'" ;;
    esac
    shift
done

case $clock in fast|live) ;; *) die "--clock takes fast or live, not '$clock'" ;; esac

# OVMF firmware: Debian's 4 MiB pair, else the 2 MiB pair (code and variables must match).
ovmf_code="" ovmf_vars=""
for sfx in _4M ""; do
    if [ -r /usr/share/OVMF/OVMF_CODE$sfx.fd ] && [ -r /usr/share/OVMF/OVMF_VARS$sfx.fd ]; then
        ovmf_code=/usr/share/OVMF/OVMF_CODE$sfx.fd ovmf_vars=/usr/share/OVMF/OVMF_VARS$sfx.fd
        break
    fi
done

if [ $check = 1 ]; then
    case $mode in
        bochs)
            command -v bochs >/dev/null || skip "bochs is not installed"
            ls /usr/lib/*/bochs/plugins/libbx_term_gui.so* >/dev/null 2>&1 \
                || ls /usr/lib/bochs/plugins/libbx_term_gui.so* >/dev/null 2>&1 \
                || skip "bochs-term (the display Bochs needs headless) is not installed"
            [ -r /usr/share/bochs/BIOS-bochs-latest ] || skip "bochsbios is not installed"
            [ -r /usr/share/vgabios/vgabios.bin ] || skip "vgabios is not installed" ;;
        *)
            command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
            [ $mode != qemu-uefi ] || [ -n "$ovmf_code" ] || skip "OVMF firmware (package ovmf) is not installed" ;;
    esac
    if [ $kvm = 1 ]; then
        [ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "no usable /dev/kvm"
        grep -qw vmx /proc/cpuinfo || skip "the host CPU does not expose VMX (no nested virtualisation)"
        nested=$(cat /sys/module/kvm_intel/parameters/nested 2>/dev/null || echo N)
        case $nested in Y|y|1) ;; *) skip "kvm_intel nested=$nested: guests cannot use VMX" ;; esac
    fi
    [ -z "$image" ] || [ -r "$image" ] || skip "$image is missing (not built yet?)"
    exit 0
fi

[ -n "$image" ] || die "--image is required"
[ -r "$image" ] || die "$image: not readable"
[ -n "$port" ] || die "--port (or VMXLAB_SERIAL_PORT) is required"
# Bochs (config, log) and OVMF (variable store) need a work directory; QEMU otherwise writes nothing.
need_workdir() {
    if [ -z "$workdir" ]; then
        workdir=$(mktemp -d "${TMPDIR:-/tmp}/vmxlab-emu.XXXXXX")
    else
        mkdir -p "$workdir"
    fi
}

# Copies stdin (Bochs's stderr) to stderr; reads the screen pty Bochs announces into /dev/null.
drain_bochs_screen() {
    local line pts
    while IFS= read -r line; do
        printf '%s\n' "$line" >&2
        case $line in
            *'Bochs connected to screen "'*'"'*)
                pts=${line#*\"} pts=${pts%%\"*}
                [ -c "$pts" ] && cat "$pts" >/dev/null 2>&1 </dev/null & ;;
        esac
    done
}

if [ $mode != qemu-kernel ] && { [ -n "$append" ] || [ ${#modules[@]} -gt 0 ]; }; then
    die "--append and --module work with qemu-kernel only (an ISO's grub.cfg sets them)"
fi
if [ $mode = bochs ]; then
    [ $kvm = 0 ] || die "--kvm is for QEMU modes"
    need_workdir
    cfg=$workdir/bochsrc rc=$workdir/bochs.rc
    # '|' as the sed separator: paths contain '/'.
    case $clock in
        # sync=none: time follows instructions (fast boots, deterministic, busy idle).
        fast) clock_line="sync=none, time0=1767225600" ips=${ips:-4000000} ;;
        # slowdown: Bochs sleeps whenever emulated time gets ahead of real time (quiet idle);
        # ips near what this machine emulates keeps it from falling behind (docs/benchmarks.md).
        live) clock_line="sync=slowdown, time0=utc" ips=${ips:-${VMXLAB_LIVE_IPS:-100000000}} ;;
    esac
    sed -e "s|@MEGS@|$memory|" -e "s|@CPU@|${cpu:-corei7_skylake_x}|" -e "s|@IPS@|$ips|" \
        -e "s|@CLOCK@|$clock_line|" \
        -e "s|@ISO@|$(realpath "$image")|" -e "s|@PORT@|$port|" -e "s|@LOG@|$workdir/bochs.log|" \
        "$here/bochsrc.in" > "$cfg"
    # The debugger is compiled in and stops before the first instruction; `quit` ends the
    # session if the guest ever drops into it (magic breakpoint).
    printf 'continue\nquit\n' > "$rc"
    cmd=(bochs -q -f "$cfg" -rc "$rc")
    # The curses display needs some terminal type.
    export TERM=${TERM:-vt100}
    [ "$TERM" != dumb ] || export TERM=vt100
    # With the debugger compiled in, Bochs's term display opens a pseudo-terminal of its own
    # (/dev/ptmx) and draws the VGA screen into it, announcing the other end on stderr as
    # 'Bochs connected to screen "/dev/pts/N"'. Unread, that pty fills (about 68 KiB on Linux)
    # and Bochs blocks in write() for good: the session froze after ~6 minutes of IPS updates,
    # or at once when the guest rewrites the screen. So Bochs's stderr goes through a reader that
    # passes it on and drains the announced pty until Bochs closes it (EIO). Both end with Bochs.
else
    cmd=(qemu-system-x86_64 -m "$memory" -display none -no-reboot -monitor none
         -chardev "socket,id=com1,host=127.0.0.1,port=$port" -serial chardev:com1
         -device isa-debug-exit,iobase=0xf4,iosize=0x04)
    if [ $kvm = 1 ]; then
        cmd+=(-accel kvm -cpu "${cpu:-host}")
    else
        cmd+=(-accel tcg -cpu "${cpu:-max}")
    fi
    case $mode in
        qemu-kernel)
            cmd+=(-kernel "$image")
            [ -z "$append" ] || cmd+=(-append "$append")
            if [ ${#modules[@]} -gt 0 ]; then
                # -initrd "path name,path name": each module's string is "path name"; the kernel
                # names a module by its last word. A ',' inside a path is written ',,'.
                list=""
                for m in "${modules[@]}"; do
                    [ -r "$m" ] || die "$m: not readable"
                    list+="${list:+,}${m//,/,,} $(basename "$m")"
                done
                cmd+=(-initrd "$list")
            fi ;;
        qemu-iso)
            cmd+=(-cdrom "$image" -boot d) ;;
        qemu-uefi)
            [ -n "$ovmf_code" ] || die "OVMF firmware not found in /usr/share/OVMF (package ovmf)"
            need_workdir
            cp "$ovmf_vars" "$workdir/OVMF_VARS.fd"
            cmd+=(-drive "if=pflash,format=raw,readonly=on,file=$ovmf_code"
                  -drive "if=pflash,format=raw,file=$workdir/OVMF_VARS.fd"
                  -cdrom "$image" -boot d) ;;
    esac
fi

cmd+=("${extra[@]}")
if [ $dry = 1 ]; then
    printf '%q ' "${cmd[@]}"; echo
    exit 0
fi
[ $mode != bochs ] || exec "${cmd[@]}" 2> >(drain_bochs_screen)
exec "${cmd[@]}"
