#!/usr/bin/env bash
# Builds the guest Linux image into ${DV_CACHE:-$HOME/.cache/duvisor}/linux/:
#   Image            Linux 6.1 (Debian's linux-source-6.1), tinyconfig + workloads/linux/dv.config
#   busybox          busybox 1.35 (Debian source package), defconfig, static, riscv64
#   initramfs.cpio   uncompressed newc cpio: busybox, /init (workloads/linux/init), the spec programs
#
#   bash workloads/linux/build.sh                # all three (what `dv workloads build linux` runs)
#   bash workloads/linux/build.sh kernel|busybox|initramfs ...   # some steps only
#
# Needs the packages and sources that workloads/linux/setup-linux.sh installs (run it first, as root).
# Reruns are fast: the source trees are unpacked once (stamp files), the kernel config is remade
# only when dv.config changes, and make rebuilds only what changed.  DV_JOBS (default 2) sets -j.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workloads="$(cd "$here/.." && pwd)"
cache="${DV_CACHE:-$HOME/.cache/duvisor}"
L="$cache/linux"
jobs="${DV_JOBS:-2}"
cross=riscv64-linux-gnu-
kernel_tar=/usr/src/linux-source-6.1.tar.xz
ksrc="$L/linux-source-6.1"
kbuild="$L/build"
bb_build="$L/busybox-build"
kmake=(make -s -C "$ksrc" O="$kbuild" ARCH=riscv CROSS_COMPILE="$cross")

say() { echo "linux/build.sh: $*"; }
die() { echo "linux/build.sh: error: $*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
setup_hint="run (as root): bash workloads/linux/setup-linux.sh"

# Copies $1 to $2 only when the content differs (keeps $2's mtime for consumers that check it).
install_if_changed() {
  if ! cmp -s "$1" "$2"; then cp -f "$1" "$2.tmp" && mv -f "$2.tmp" "$2"; fi
}

preflight() {
  local t
  for t in make gcc flex bison bc cpio xz "${cross}gcc" "${cross}ld"; do
    command -v "$t" >/dev/null 2>&1 || die "'$t' not found; $setup_hint"
  done
  [ -f "$kernel_tar" ] || die "$kernel_tar not found (package linux-source-6.1); $setup_hint"
}

# ---------------------------------------------------------------------------------------------
# 1. Kernel
# ---------------------------------------------------------------------------------------------
unpack_kernel() {
  local want have=""
  want="$(stat -c '%s %Y' "$kernel_tar") $kernel_tar"
  [ -f "$ksrc/.dv-unpacked" ] && have="$(cat "$ksrc/.dv-unpacked")"
  if [ "$have" = "$want" ]; then return 0; fi
  say "unpacking $kernel_tar into $L (once, ~1.5 GB)"
  local t0; t0=$(date +%s)
  rm -rf "$ksrc" "$kbuild"
  mkdir -p "$L"
  tar -C "$L" -xf "$kernel_tar"
  [ -f "$ksrc/Makefile" ] || die "unpacking $kernel_tar did not give $ksrc/Makefile"
  echo "$want" > "$ksrc/.dv-unpacked"
  say "unpacked in $(elapsed "$t0")"
}

# Every CONFIG_ line of the fragment must be in the final .config exactly; "# CONFIG_X is not set"
# lines must not come out as =y/=m.
check_config() {
  local frag="$1" cfg="$2" bad=0 line sym
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=*)
        if ! grep -qxF "$line" "$cfg"; then
          sym="${line%%=*}"
          echo "linux/build.sh: error: $line was dropped by olddefconfig; .config has: $(grep -E "^(# )?$sym[= ]" "$cfg" || echo "nothing")" >&2
          bad=1
        fi ;;
      "# CONFIG_"*" is not set")
        sym="${line#\# }"; sym="${sym%% *}"
        if grep -qE "^$sym=[ym]" "$cfg"; then
          echo "linux/build.sh: error: $sym should be off but .config has: $(grep -E "^$sym=" "$cfg")" >&2
          bad=1
        fi ;;
    esac
  done < "$frag"
  [ $bad -eq 0 ] || die "kernel config check failed: fix workloads/linux/dv.config (a dependency is missing?)"
}

build_kernel() {
  preflight
  unpack_kernel
  local frag="$here/dv.config" want have="" t0
  mkdir -p "$kbuild"
  want="$(sha256sum "$frag" | cut -d' ' -f1)"
  [ -f "$kbuild/.dv-config" ] && have="$(cat "$kbuild/.dv-config")"
  if [ ! -f "$kbuild/.config" ] || [ "$have" != "$want" ]; then
    say "configuring the kernel: tinyconfig + workloads/linux/dv.config"
    rm -f "$kbuild/.dv-config"
    "${kmake[@]}" tinyconfig >/dev/null
    # merge_config.sh -m: merge only; olddefconfig then resolves dependencies.
    (cd "$kbuild" && ARCH=riscv CROSS_COMPILE="$cross" \
      "$ksrc/scripts/kconfig/merge_config.sh" -m -O "$kbuild" "$kbuild/.config" "$frag" >/dev/null)
    "${kmake[@]}" olddefconfig
    check_config "$frag" "$kbuild/.config"
    echo "$want" > "$kbuild/.dv-config"
  else
    check_config "$frag" "$kbuild/.config"
  fi
  say "building the kernel Image (make -j$jobs; the first build takes a few minutes)"
  t0=$(date +%s)
  "${kmake[@]}" -j"$jobs" Image
  install_if_changed "$kbuild/arch/riscv/boot/Image" "$L/Image"
  say "kernel: $L/Image ($(stat -c %s "$L/Image") bytes, make took $(elapsed "$t0"))"
}

# ---------------------------------------------------------------------------------------------
# 2. busybox
# ---------------------------------------------------------------------------------------------
# Changes to busybox's defconfig.  Static, so that no libraries are needed in the initramfs.
bb_overrides=(
  "CONFIG_STATIC=y"
  "CONFIG_CROSS_COMPILER_PREFIX=\"$cross\""
)

unpack_busybox() {
  local dsc
  dsc="$(ls "$L"/src/busybox_*.dsc 2>/dev/null | sort | tail -n1)"
  [ -n "$dsc" ] || die "no busybox source package in $L/src; $setup_hint"
  local want have=""
  want="$(basename "$dsc")"
  [ -f "$L/busybox-src/.dv-unpacked" ] && have="$(cat "$L/busybox-src/.dv-unpacked")"
  if [ "$have" != "$want" ]; then
    command -v dpkg-source >/dev/null || die "dpkg-source not found (package dpkg-dev); $setup_hint"
    say "unpacking $want (with Debian's patches) into $L/busybox-src"
    rm -rf "$L/busybox-src" "$bb_build"
    mkdir -p "$L/busybox-src"
    dpkg-source --no-check -x "$dsc" "$L/busybox-src/tree" >/dev/null
    echo "$want" > "$L/busybox-src/.dv-unpacked"
  fi
  bb_src="$L/busybox-src/tree"
}

build_busybox() {
  preflight
  unpack_busybox
  local want have="" t0 o sym
  want="$( (printf '%s\n' "${bb_overrides[@]}"; cat "$L/busybox-src/.dv-unpacked") | sha256sum | cut -d' ' -f1)"
  mkdir -p "$bb_build"
  [ -f "$bb_build/.dv-config" ] && have="$(cat "$bb_build/.dv-config")"
  local bmake=(make -s -C "$bb_src" O="$bb_build" CROSS_COMPILE="$cross")
  if [ ! -f "$bb_build/.config" ] || [ "$have" != "$want" ]; then
    say "configuring busybox: defconfig, static, cross $cross"
    rm -f "$bb_build/.dv-config"
    "${bmake[@]}" defconfig >/dev/null
    for o in "${bb_overrides[@]}"; do
      case "$o" in
        CONFIG_*) sym="${o%%=*}" ;;
        "# CONFIG_"*) sym="${o#\# }"; sym="${sym%% *}" ;;
      esac
      sed -i -e "/^$sym=/d" -e "/^# $sym is not set/d" "$bb_build/.config"
      echo "$o" >> "$bb_build/.config"
    done
    { yes "" || true; } | "${bmake[@]}" oldconfig >/dev/null
    for o in "${bb_overrides[@]}"; do
      grep -qxF "$o" "$bb_build/.config" || die "busybox config: '$o' did not stick"
    done
    echo "$want" > "$bb_build/.dv-config"
  fi
  say "building busybox (make -j$jobs)"
  t0=$(date +%s)
  # Compiler warnings (many, harmless) go to a log; its tail is shown if the build fails.
  if ! "${bmake[@]}" -j"$jobs" busybox busybox.links > "$L/busybox-build.log" 2>&1; then
    tail -n 40 "$L/busybox-build.log" >&2
    die "busybox build failed (full log: $L/busybox-build.log)"
  fi
  if "${cross}readelf" -l "$bb_build/busybox" | grep -q INTERP; then
    die "$bb_build/busybox is dynamically linked (CONFIG_STATIC did not take?)"
  fi
  install_if_changed "$bb_build/busybox" "$L/busybox"
  cp -f "$bb_build/busybox.links" "$L/busybox.links"
  say "busybox: $L/busybox ($(stat -c %s "$L/busybox") bytes, $(wc -l < "$L/busybox.links") applets, make took $(elapsed "$t0"))"
}

# ---------------------------------------------------------------------------------------------
# 3. initramfs
# ---------------------------------------------------------------------------------------------
build_initramfs() {
  [ -f "$L/busybox" ] && [ -f "$L/busybox.links" ] || build_busybox
  [ -f "$ksrc/usr/gen_init_cpio.c" ] || unpack_kernel
  # gen_init_cpio (from the kernel tree) writes the archive from a list, so no root-owned files
  # or device nodes are ever created on disk.
  local gen="$L/gen_init_cpio"
  if [ ! -x "$gen" ] || [ "$ksrc/usr/gen_init_cpio.c" -nt "$gen" ]; then
    gcc -O2 -o "$gen" "$ksrc/usr/gen_init_cpio.c" || die "cannot build gen_init_cpio"
  fi
  say "building the spec programs (workloads/build.sh spec)"
  if ! bash "$workloads/build.sh" spec > "$L/spec-build.log" 2>&1; then
    # The cache may be shared with another checkout whose dependency files (workloads/.deps)
    # name its own source paths; then make fails although the binaries are there.  Use them.
    echo "linux/build.sh: warning: workloads/build.sh spec failed (log: $L/spec-build.log);" \
         "using the spec binaries already in $cache/workloads/riscv64" >&2
  fi
  local rv="$cache/workloads/riscv64" list="$L/initramfs.list" bench="$L/initramfs.bench"
  {
    echo "# generated by workloads/linux/build.sh; input of gen_init_cpio"
    local d
    for d in /bin /sbin /usr /usr/bin /usr/sbin /dev /proc /sys /tmp /etc /root /mnt /bench /var /run; do
      case "$d" in /tmp) echo "dir $d 1777 0 0" ;; *) echo "dir $d 0755 0 0" ;; esac
    done
    echo "nod /dev/console 0600 0 0 c 5 1"
    echo "nod /dev/null 0666 0 0 c 1 3"
    echo "file /bin/busybox $L/busybox 0755 0 0"
    # busybox.links has one absolute path per applet, e.g. /usr/bin/awk.
    local link
    while IFS= read -r link; do
      [ -n "$link" ] && [ "$link" != /bin/busybox ] || continue
      echo "slink $link /bin/busybox 0777 0 0"
    done < "$L/busybox.links"
    echo "file /init $here/init 0755 0 0"
    echo "file /etc/bench.tsv $bench 0644 0 0"
    # spec programs from the catalogue: name kind binary test_args ref_args description
    local name kind bin targs rargs desc
    : > "$bench"
    while IFS=$'\t' read -r name kind bin targs rargs desc; do
      case "$name" in ''|'#'*) continue ;; esac
      [ "$kind" = spec ] || continue
      [ -f "$cache/workloads/$bin" ] || die "missing $cache/workloads/$bin (workloads/build.sh spec failed?)"
      echo "file /bench/$name $cache/workloads/$bin 0755 0 0"
      printf '%s\t%s\t%s\n' "$name" "$targs" "$rargs" >> "$bench"
    done < "$workloads/catalogue.tsv"
  } > "$list"
  # -t 0: fixed timestamp for directories, nodes and links (files keep their own mtime).
  "$gen" -t 0 "$list" > "$L/initramfs.cpio.new" || die "gen_init_cpio failed on $list"
  install_if_changed "$L/initramfs.cpio.new" "$L/initramfs.cpio"
  rm -f "$L/initramfs.cpio.new"
  say "initramfs: $L/initramfs.cpio ($(stat -c %s "$L/initramfs.cpio") bytes, $(grep -c . "$bench") spec programs)"
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(kernel busybox initramfs)
t_all=$(date +%s)
for s in "${steps[@]}"; do
  case "$s" in
    kernel) build_kernel ;;
    busybox) build_busybox ;;
    initramfs) build_initramfs ;;
    all) build_kernel; build_busybox; build_initramfs ;;
    *) die "unknown step '$s' (kernel, busybox, initramfs, all)" ;;
  esac
done
say "up to date in $(elapsed "$t_all"): $L"
echo "$L"
