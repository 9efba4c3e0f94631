#!/usr/bin/env bash
# Installs what the guest Linux build (workloads/linux/build.sh) needs, on Debian 12 (bookworm):
#   - Debian packages: linux-source-6.1 and the kernel build tools, cpio, opensbi (fw_jump.elf),
#     plus the cross compiler and QEMU from workloads/setup.sh;
#   - a deb-src twin of the Debian apt sources (deb822, /etc/apt/sources.list.d/dv-debian-src.sources);
#   - the busybox Debian source package, downloaded (not built) into the cache.
# Kept apart from workloads/setup.sh on purpose: CI's test run must not need a 1.5 GB kernel tree.
# Idempotent; prints what it does.  Without root it prints the commands to run instead.
set -euo pipefail

cache="${DV_CACHE:-$HOME/.cache/duvisor}"
src_dir="$cache/linux/src"
packages=(
  linux-source-6.1 flex bison bc libssl-dev libelf-dev cpio make xz-utils   # kernel build
  opensbi                                                                     # fw_jump.elf for -bios
  gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross    # cross toolchain
  qemu-system-misc                                                            # boot check (oracle)
  dpkg-dev                                                                    # apt-get source unpacks with dpkg-source
)
src_list=/etc/apt/sources.list.d/dv-debian-src.sources

say() { echo "setup-linux: $*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }
as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 99; fi
}

# 1. Debian packages.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# 2. deb-src entries: every stanza of the existing deb822 Debian sources that has Types: deb,
#    copied with Types: deb-src (same URIs, suites, components, keyring).
need_src=0
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources \
   && ! grep -qs '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
  need_src=1
fi
make_src_list() {
  local f=/etc/apt/sources.list.d/debian.sources
  [ -f "$f" ] || { echo "setup-linux: error: no $f to copy; add deb-src lines for bookworm by hand" >&2; return 1; }
  awk 'BEGIN { RS=""; ORS="\n\n" }
       /(^|\n)Types:[^\n]*deb([ \t\n]|$)/ {
         sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f"
}

if [ ${#missing[@]} -gt 0 ] || [ $need_src -eq 1 ]; then
  if ! is_root && ! { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; then
    echo "setup-linux: not root; run as root:" >&2
    [ $need_src -eq 1 ] && echo "  (add a deb-src twin of /etc/apt/sources.list.d/debian.sources as $src_list)" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  if [ $need_src -eq 1 ]; then
    say "adding deb-src entries: $src_list"
    make_src_list | as_root tee "$src_list"
  fi
  say "apt-get update"
  as_root apt-get update -q
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  say "all required Debian packages and deb-src entries are present"
fi

# 3. busybox source package (downloaded as the unprivileged caller; no root needed).
mkdir -p "$src_dir"
if ls "$src_dir"/busybox_*.dsc >/dev/null 2>&1; then
  say "busybox source already in $src_dir"
else
  say "downloading the busybox Debian source package into $src_dir"
  (cd "$src_dir" && apt-get source --download-only busybox)
fi
say "done"
