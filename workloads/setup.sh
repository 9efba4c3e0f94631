#!/usr/bin/env bash
# Installs what the project needs from Debian's packages, and says what it does. Idempotent: a
# package already present is not touched. Without root it prints the command to run instead.
set -euo pipefail
packages=(
  gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu   # guest Linux user programs (static glibc)
  libc6-dev-riscv64-cross                             # (a Recommends of the cross gcc: needed, we install without recommends)
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf # bare-metal guests
  qemu-user qemu-system-misc                          # oracles for differential tests, benchmark peers
  device-tree-compiler                                # checks generated device trees
  maven
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all required Debian packages are installed"
  exit 0
fi
echo "setup: installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    exit 0
  fi
  echo "setup: not root; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
