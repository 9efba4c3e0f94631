/*
 * htif-hello.c - the reporting protocol over HTIF (tohost/fromhost), for
 * emulators that implement HTIF.  Output: device 1 (console) command 1
 * (putchar), tohost = 1<<56 | 1<<48 | char; exit: tohost = code<<1 | 1.
 * QEMU virt has no HTIF: this one is not run on QEMU.
 */
#include "rt.h"

int main(void)
{
    printf("htif-hello: HTIF console and exit\n");
    check("htif", "console output works", "HTIF device 1 cmd 1", 1);
    check_eq("htif", "hart 0 runs main (mhartid = 0)", "priv 3.1.5 mhartid", csr_read(mhartid), 0);
    uint64_t t0 = csr_read(mcycle);
    check("htif", "mcycle readable", "priv 3.1.10", csr_read(mcycle) >= t0);
    return 0;
}
