#!/usr/bin/env bash
# Installs what vmxlab needs on a Debian machine: the apt packages, then the Lua and musl
# sources from Debian's source packages (sha256-checked against their .dsc) into third_party/.
# Idempotent: every step is skipped when its result is already there.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tp="$top/third_party"

packages=(grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools nasm cmake make g++
          qemu-system-x86 bochs bochs-term bochsbios vgabios ovmf
          googletest libgtest-dev lua5.4 valgrind dpkg-dev)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# vmxlab's own patches to Lua (tools/patches/lua-*.patch, described in docs/building-libc.md).
# third_party/.lua-patches.ok records the patch set a tree was built with: when the patches
# change, Lua is unpacked again from the verified download and every patch is applied afresh.
lua_patch_set() { (cd "$top/tools/patches" && sha256sum lua-*.patch); }
lua_current=1
[ -f "$tp/.lua.ok" ] && [ "$(lua_patch_set)" = "$(cat "$tp/.lua-patches.ok" 2>/dev/null)" ] || lua_current=0
have_lua_download=0
ls "$tp"/download/lua5.4_*.orig.tar.gz "$tp"/download/lua5.4.sha256 >/dev/null 2>&1 && have_lua_download=1

need_src=0
[ -f "$tp/.musl.ok" ] || need_src=1
[ $lua_current = 1 ] || [ $have_lua_download = 1 ] || need_src=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ${#missing[@]} -gt 0 ] || [ $need_src = 1 ]; then
    # deb-src entries: a copy of the binary sources list with Types: deb-src.
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
        if [ -f /etc/apt/sources.list.d/debian.sources ]; then
            sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
                | as_root tee /etc/apt/sources.list.d/vmxlab-src.sources >/dev/null
        else
            sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | as_root tee /etc/apt/sources.list.d/vmxlab-src.list >/dev/null
        fi
    fi
    echo "vmxlab setup: apt-get update"
    as_root apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "vmxlab setup: installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# fetch_source PKG DIRNAME-GLOB: download the source package, check every file against the .dsc.
fetch_source() {
    local pkg=$1 dl="$tp/download"
    mkdir -p "$dl"
    (cd "$dl" && apt-get source --download-only -qq "$pkg" >/dev/null 2>&1 || apt-get source --download-only "$pkg")
    local dsc
    dsc=$(ls "$dl"/${pkg}_*.dsc | head -n1)
    # The Checksums-Sha256 block of the .dsc names every file of the package.
    awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3{print $1"  "$3}' "$dsc" > "$dl/$pkg.sha256"
    (cd "$dl" && sha256sum --quiet -c "$pkg.sha256") || { echo "vmxlab setup: checksum mismatch for $pkg" >&2; exit 1; }
}

if [ $lua_current = 0 ]; then
    if [ $have_lua_download = 1 ]; then
        (cd "$tp/download" && sha256sum --quiet -c lua5.4.sha256) || { echo "vmxlab setup: checksum mismatch for lua5.4" >&2; exit 1; }
    else
        fetch_source lua5.4
    fi
    [ -f "$tp/.lua.ok" ] && echo "vmxlab setup: Lua's patch set changed: unpacking Lua again"
    rm -f "$tp/.lua.ok" "$tp/.lua-patches.ok"
    rm -rf "$tp/lua"; mkdir -p "$tp/lua"
    tar -xzf "$tp"/download/lua5.4_*.orig.tar.gz -C "$tp/lua" --strip-components=1
    debian_tar=$(ls "$tp"/download/lua5.4_*.debian.tar.* | head -n1)
    mkdir -p "$tp/lua-debian"; tar -xf "$debian_tar" -C "$tp/lua-debian"
    # Debian's CVE fixes (0004, 0005); 0002 is a Debian-only luaconf.h include and is skipped.
    for p in "$tp"/lua-debian/debian/patches/0004-*.patch "$tp"/lua-debian/debian/patches/0005-*.patch; do
        patch -d "$tp/lua" -p1 -s < "$p"
    done
    for p in "$top"/tools/patches/lua-*.patch; do
        patch -d "$tp/lua" -p1 -s --no-backup-if-mismatch < "$p"
    done
    touch "$tp/.lua.ok"
    lua_patch_set > "$tp/.lua-patches.ok"
fi
if [ ! -f "$tp/.musl.ok" ]; then
    fetch_source musl
    rm -rf "$tp/musl"; mkdir -p "$tp/musl"
    tar -xzf "$tp"/download/musl_*.orig.tar.gz -C "$tp/musl" --strip-components=1
    touch "$tp/.musl.ok"
fi
