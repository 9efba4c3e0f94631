#!/usr/bin/env bash
# Builds the guest workloads into ${DV_CACHE:-$HOME/.cache/duvisor}/workloads/{riscv64,native,baremetal}/.
#
#   bash workloads/build.sh              # everything (spec suite + isa tests + bare-metal tests)
#   bash workloads/build.sh baremetal    # bare-metal privileged tests only (bm-<name> for one)
#   bash workloads/build.sh spec-sort    # one program (riscv64 and, for spec, native)
#   bash workloads/build.sh sort isa     # short spec names, and the groups "spec" / "isa" / "all"
#   bash workloads/build.sh --list       # names that can be built
#
# Uses make, so only programs whose sources changed are rebuilt.  Prints the
# output directory as its last line on success.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${DV_CACHE:-$HOME/.cache/duvisor}/workloads"
RVCC="${RVCC:-riscv64-linux-gnu-gcc}"
BMCC="${BMCC:-riscv64-unknown-elf-gcc}"
HOSTCC="${HOSTCC:-gcc}"

die() { echo "build.sh: error: $*" >&2; exit 1; }

command -v make >/dev/null 2>&1 || die "'make' not found; install it with: apt-get install make"

if [[ "${1:-}" == "--list" ]]; then
    exec make --no-print-directory -s -C "$here" O="$out" list
fi

# Decide which toolchains the requested targets need.
need_native=0
need_linux=0
need_bm=0
targets=()
if [[ $# -eq 0 ]]; then
    targets=(all); need_native=1; need_linux=1; need_bm=1
else
    for name in "$@"; do
        case "$name" in
            all)   targets+=(all); need_native=1; need_linux=1; need_bm=1 ;;
            spec)  targets+=(spec); need_native=1; need_linux=1 ;;
            isa)   targets+=(isa); need_linux=1 ;;
            baremetal) targets+=(baremetal); need_bm=1 ;;
            guests) targets+=(guests); need_bm=1 ;;
            isa-*) targets+=("$out/riscv64/$name"); need_linux=1 ;;
            spec-*) targets+=("$out/riscv64/$name" "$out/native/$name"); need_native=1; need_linux=1 ;;
            bm-*)  [[ -f "$here/baremetal/${name#bm-}.c" ]] || die "unknown workload '$name': no workloads/baremetal/${name#bm-}.c"
                   targets+=("$out/baremetal/${name#bm-}.elf"); need_bm=1 ;;
            *)
                if [[ -f "$here/spec/$name.c" ]]; then
                    targets+=("$out/riscv64/spec-$name" "$out/native/spec-$name"); need_native=1; need_linux=1
                elif [[ -f "$here/isa/$name.c" || -f "$here/isa/$name.S" ]]; then
                    targets+=("$out/riscv64/isa-$name"); need_linux=1
                else
                    die "unknown workload '$name' (try: bash $0 --list)"
                fi ;;
        esac
        case "$name" in
            spec-*) [[ -f "$here/spec/${name#spec-}.c" ]] || die "unknown workload '$name': no workloads/spec/${name#spec-}.c" ;;
            isa-*)  [[ -f "$here/isa/${name#isa-}.c" || -f "$here/isa/${name#isa-}.S" ]] \
                        || die "unknown workload '$name': no workloads/isa/${name#isa-}.c or .S" ;;
        esac
    done
fi

if [[ $need_linux -eq 1 ]]; then
    command -v "$RVCC" >/dev/null 2>&1 \
        || die "RISC-V cross compiler '$RVCC' not found; install it with: apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"
    if ! echo 'int main(void){return 0;}' | "$RVCC" -static -x c - -o /dev/null >/dev/null 2>&1; then
        die "'$RVCC' cannot link a static program (RISC-V glibc missing?); install it with: apt-get install libc6-dev-riscv64-cross"
    fi
fi
if [[ $need_bm -eq 1 ]]; then
    command -v "$BMCC" >/dev/null 2>&1 \
        || die "bare-metal RISC-V compiler '$BMCC' not found; install it with: apt-get install gcc-riscv64-unknown-elf"
fi
if [[ $need_native -eq 1 ]]; then
    command -v "$HOSTCC" >/dev/null 2>&1 || die "host compiler '$HOSTCC' not found; install it with: apt-get install gcc"
fi

mkdir -p "$out/riscv64" "$out/native" "$out/baremetal"
jobs="$(nproc 2>/dev/null || echo 2)"
echo "build.sh: building into $out"
# -k: keep building the other programs when one fails, then fail overall.
if ! make --no-print-directory -k -j"$jobs" -C "$here" O="$out" RVCC="$RVCC" HOSTCC="$HOSTCC" BMCC="$BMCC" "${targets[@]}"; then
    die "some workloads failed to build (see the 'error:' lines above)"
fi
echo "build.sh: up to date: $out"
echo "$out"
