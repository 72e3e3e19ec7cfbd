#!/usr/bin/env bash
# ./vmxlab run: boot vmxlab with COM1 on this terminal (through build/vmxlab-term; Ctrl-] quits).
#   tools/run.sh BUILD_DIR [--kvm|--bochs|--qemu|--uefi] [--lab N|NAME] [--mem MiB] [--cpu MODEL]
# Default emulator: QEMU+KVM when /dev/kvm offers nested VMX, otherwise Bochs (VMX emulated).
set -euo pipefail
build=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
mode="" lab="" mem=256 cpu=""
while [ $# -gt 0 ]; do
    case $1 in
        --kvm) mode=kvm ;;
        --bochs) mode=bochs ;;
        --qemu) mode=qemu ;;
        --uefi) mode=uefi ;;
        --lab) lab=$2; shift ;;
        --mem) mem=$2; shift ;;
        --cpu) cpu=$2; shift ;;
        *) echo "vmxlab run: unknown option '$1' (see ./vmxlab --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$mode" ]; then
    if "$here/emulator.sh" qemu-kernel --kvm --check >/dev/null 2>&1; then mode=kvm; else mode=bochs; fi
fi

log="$build/run-$mode.log"
args=(--port @PORT@ --memory "$mem")
[ -z "$cpu" ] || args+=(--cpu "$cpu")
case $mode in
    kvm)   emu=(qemu-iso --kvm --image "$build/vmxlab.iso") ;;
    qemu)  emu=(qemu-iso --image "$build/vmxlab.iso") ;;
    uefi)  emu=(qemu-uefi --image "$build/vmxlab.iso" --workdir "$build/run-uefi") ;;
    bochs) emu=(bochs --image "$build/vmxlab.iso" --workdir "$build/run-bochs" --clock live) ;;
esac
if [ -n "$lab" ]; then
    # A lab boots straight into its script (kernel argument lab=NAME). QEMU's fast path takes
    # kernel arguments directly; an ISO (Bochs, UEFI) is copied with the argument in its grub.cfg.
    case $lab in *.lua) ;; *) lab=$(basename "$(ls "$(dirname "$here")"/scripts/lab"$lab"_*.lua 2>/dev/null | head -n1)" 2>/dev/null || echo "$lab") ;; esac
    case $mode in
        kvm) emu=(qemu-kernel --kvm --image "$build/kernel.elf") ;;
        qemu) emu=(qemu-kernel --image "$build/kernel.elf") ;;
        *)
            [ -e "$(dirname "$here")/scripts/$lab" ] \
                || { echo "vmxlab run: no lab '$lab' (see scripts/lab*.lua)" >&2; exit 2; }
            # The ISO's grub.cfg has one entry: add lab=NAME to its kernel command line.
            rm -rf "$build/iso-lab" && cp -r "$build/iso-vmxlab" "$build/iso-lab"
            sed -i "s|^\( *multiboot2 /boot/kernel.elf\)|\1 lab=$lab|" "$build/iso-lab/boot/grub/grub.cfg"
            grub-mkrescue -o "$build/vmxlab-lab.iso" "$build/iso-lab" 2>/dev/null
            emu[2]="$build/vmxlab-lab.iso" ;;
    esac
fi
if [ "${emu[0]}" = qemu-kernel ]; then
    # The fast path loads kernel.elf directly; the user's scripts go along as boot modules.
    for s in "$(dirname "$here")"/scripts/*.lua; do
        [ -e "$s" ] && args+=(--module "$s")
    done
    [ -z "$lab" ] || args+=(--append "lab=$lab")
fi
echo "vmxlab: booting with $mode (emulator log: $log)"
[ "$mode" != bochs ] || echo "vmxlab: Bochs emulates VMX; its boot takes a few seconds"
exec "$build/vmxlab-term" --log "$log" -- "$here/emulator.sh" "${emu[@]}" "${args[@]}"
