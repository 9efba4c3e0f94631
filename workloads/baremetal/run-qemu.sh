#!/usr/bin/env bash
# Runs the bare-metal privileged tests on QEMU (virt, 2 harts, 128 MiB) and prints a summary.
#
#   bash workloads/baremetal/run-qemu.sh [--strict] [-v] [dir]
#
# dir: where the .elf files are (default ${DV_CACHE:-$HOME/.cache/duvisor}/workloads/baremetal;
# build them first with: bash workloads/build.sh baremetal).  htif-* programs are skipped (QEMU
# virt has no HTIF), and so are dv-* programs (DV-Ext is not in QEMU).  --strict boots with
# bootargs "rt-strict", so known QEMU deviations (SPEC-ONLY checks) count as failures.  -v prints
# every test's output.  Exit status 0 iff every test printed "RESULT ... 0 failed" and QEMU exited
# with status 0.
set -uo pipefail
strict=0; verbose=0; dir=""
for a in "$@"; do
    case "$a" in
        --strict) strict=1 ;;
        -v) verbose=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) dir="$a" ;;
    esac
done
dir="${dir:-${DV_CACHE:-$HOME/.cache/duvisor}/workloads/baremetal}"
command -v qemu-system-riscv64 >/dev/null || { echo "run-qemu.sh: qemu-system-riscv64 not found (apt-get install qemu-system-misc)" >&2; exit 2; }
shopt -s nullglob
elfs=("$dir"/*.elf)
[[ ${#elfs[@]} -gt 0 ]] || { echo "run-qemu.sh: no .elf in $dir (bash workloads/build.sh baremetal)" >&2; exit 2; }
extra=(); [[ $strict -eq 1 ]] && extra=(-append rt-strict)
bad=0; total_p=0; total_f=0
printf '%-12s %6s %6s %9s %4s  %s\n' test passed failed spec-only rc status
for elf in "${elfs[@]}"; do
    name="$(basename "$elf" .elf)"
    [[ "$name" == htif-* ]] && { printf '%-12s %6s %6s %9s %4s  %s\n' "$name" - - - - "skipped (HTIF)"; continue; }
    [[ "$name" == dv-* ]] && { printf '%-12s %6s %6s %9s %4s  %s\n' "$name" - - - - "skipped (DV-Ext, not in QEMU)"; continue; }
    out="$(timeout 20 qemu-system-riscv64 -machine virt -cpu rv64 -smp 2 -m 128 -bios none -nographic \
           -kernel "$elf" "${extra[@]}" 2>&1 < /dev/null | tr -d '\r')"
    rc=${PIPESTATUS[0]}
    [[ $verbose -eq 1 ]] && printf '%s\n' "$out"
    res="$(grep -E '^RESULT [0-9]+ passed [0-9]+ failed' <<<"$out" | tail -1)"
    p="$(awk '{print $2}' <<<"$res")"; f="$(awk '{print $4}' <<<"$res")"
    so="$(grep -c '^FAIL SPEC-ONLY' <<<"$out")"
    status=ok
    if [[ -z "$res" ]]; then status="no RESULT line"; p=-; f=-; bad=1
    elif [[ "$f" != 0 || $rc -ne 0 ]]; then status=FAILED; bad=1
    fi
    [[ $rc -eq 124 ]] && status="timeout"
    [[ "$p" =~ ^[0-9]+$ ]] && total_p=$((total_p + p))
    [[ "$f" =~ ^[0-9]+$ ]] && total_f=$((total_f + f))
    printf '%-12s %6s %6s %9s %4s  %s\n' "$name" "$p" "$f" "$so" "$rc" "$status"
    if [[ "$status" != ok && $verbose -eq 0 ]]; then grep -E '^FAIL|fatal' <<<"$out" | sed 's/^/    /'; fi
done
echo "total: $total_p passed, $total_f failed$([[ $strict -eq 1 ]] && echo ' (strict)')"
exit $bad
