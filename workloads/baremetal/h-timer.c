/*
 * h-timer: Sstc with the H extension. henvcfg.STCE (writable only while
 * menvcfg.STCE is set), vstimecmp, hip.VSTIP from (time + htimedelta) >=
 * vstimecmp, and stimecmp accessed from VS: it is vstimecmp there, illegal
 * without the M-level enables (menvcfg.STCE, mcounteren.TM) and a virtual
 * instruction without the HS-level ones (henvcfg.STCE, hcounteren.TM).
 */
#include "h.h"

#define G "h-timer"
#define R_STCE "Sstc: henvcfg.STCE"
#define R_VST  "Sstc: vstimecmp and hip.VSTIP"
#define R_ACC  "Sstc + priv H 8.6.1: stimecmp from VS"

const char *const QEMU_DEVIATION[] = {
    /* QEMU 7.2 keeps henvcfg.STCE writable without menvcfg.STCE, and evaluates VSTIP when
       vstimecmp is written rather than from time + htimedelta and henvcfg.STCE as they are now. */
    "h-timer: menvcfg.STCE=0: henvcfg.STCE reads 0",
    "h-timer: htimedelta = 2^41 moves the guest's time past it: hip.VSTIP = 1",
    "h-timer: henvcfg.STCE=0: vstimecmp does not drive hip.VSTIP",
    0
};

#define CSR_MENVCFG   0x30a
#define CSR_HENVCFG   0x60a
#define CSR_VSTIMECMP 0x24d
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define STCE (1ul << 63)

SITE(s_rd_stimecmp, "csrr a0, 0x14d");
SITE(s_wr_stimecmp, "csrw 0x14d, a0");

static unsigned long vstip(void) { return (csr_read(hip) >> IRQ_VSTI) & 1; }

/* Runs site in VS with the given enables; returns what it returned. */
static long vs_access(char *site, unsigned long hstce, unsigned long htm, unsigned long mtm, long arg)
{
    h_reset();
    csr_set(CSR_MENVCFG, STCE);
    csr_write(CSR_HENVCFG, hstce ? STCE : 0);
    csr_write(CSR_HCOUNTEREN, htm ? 2 : 0);
    if (mtm) csr_set(mcounteren, 2); else csr_clear(mcounteren, 2);
    long v = rt_run(VS, FN(site), arg);
    csr_set(mcounteren, 2);
    return v;
}

int main(void)
{
    h_reset();
    csr_clear(CSR_MENVCFG, STCE);
    csr_write(CSR_HENVCFG, STCE);
    check_eq(G, "menvcfg.STCE=0: henvcfg.STCE reads 0", R_STCE, csr_read(CSR_HENVCFG) & STCE, 0);
    csr_set(CSR_MENVCFG, STCE);
    if ((csr_read(CSR_MENVCFG) & STCE) == 0) {
        note("no Sstc (menvcfg.STCE not writable): nothing to check");
        return 0;
    }
    csr_write(CSR_HENVCFG, STCE);
    check_eq(G, "menvcfg.STCE=1: henvcfg.STCE is writable", R_STCE, csr_read(CSR_HENVCFG) & STCE, STCE);

    /* vstimecmp against time + htimedelta */
    csr_write(CSR_HTIMEDELTA, 0);
    csr_write(hvip, 0);
    csr_write(CSR_VSTIMECMP, 0x123456789ul);
    check_eq(G, "vstimecmp reads back", R_VST, csr_read(CSR_VSTIMECMP), 0x123456789ul);
    csr_write(CSR_VSTIMECMP, ~0ul);
    check_eq(G, "vstimecmp > time + htimedelta: hip.VSTIP = 0", R_VST, vstip(), 0);
    csr_write(CSR_VSTIMECMP, 0);
    check_eq(G, "vstimecmp <= time + htimedelta: hip.VSTIP = 1", R_VST, vstip(), 1);
    check_eq(G, "... and mip.VSTIP = 1", R_VST, (csr_read(mip) >> IRQ_VSTI) & 1, 1);
    unsigned long far = csr_read(time) + (1ul << 40);
    csr_write(CSR_VSTIMECMP, far);
    check_eq(G, "vstimecmp = time + 2^40: hip.VSTIP = 0", R_VST, vstip(), 0);
    csr_write(CSR_HTIMEDELTA, 1ul << 41);
    check_eq(G, "htimedelta = 2^41 moves the guest's time past it: hip.VSTIP = 1", R_VST, vstip(), 1);
    csr_write(CSR_HTIMEDELTA, 0);
    csr_write(CSR_HENVCFG, 0);
    csr_write(CSR_VSTIMECMP, 0);
    check_eq(G, "henvcfg.STCE=0: vstimecmp does not drive hip.VSTIP", R_VST, vstip(), 0);
    csr_write(CSR_VSTIMECMP, ~0ul);

    /* stimecmp from VS */
    long v;
    h_reset();
    csr_write(CSR_VSTIMECMP, 0x5555);
    v = vs_access(s_rd_stimecmp, 1, 1, 1, 0);
    check_outcome(G, "VS: csrr stimecmp with all enables: no trap", R_ACC, rt_ntraps() == 0, trap_desc());
    check_eq(G, "VS: stimecmp reads vstimecmp", R_ACC, (uint64_t)v, 0x5555);
    vs_access(s_wr_stimecmp, 1, 1, 1, 0x7777);
    check_outcome(G, "VS: csrw stimecmp with all enables: no trap", R_ACC, rt_ntraps() == 0, trap_desc());
    check_eq(G, "VS: csrw stimecmp writes vstimecmp", R_ACC, csr_read(CSR_VSTIMECMP), 0x7777);
    vs_access(s_rd_stimecmp, 0, 1, 1, 0);
    check_outcome(G, "VS: stimecmp with henvcfg.STCE=0 -> cause 22", R_ACC, one_trap(CAUSE_VIRT_INSN, PRV_M, 1), trap_desc());
    vs_access(s_rd_stimecmp, 1, 0, 1, 0);
    check_outcome(G, "VS: stimecmp with hcounteren.TM=0 -> cause 22", R_ACC, one_trap(CAUSE_VIRT_INSN, PRV_M, 1), trap_desc());
    vs_access(s_rd_stimecmp, 1, 1, 0, 0);
    check_outcome(G, "VS: stimecmp with mcounteren.TM=0 -> cause 2", R_ACC, one_trap(CAUSE_ILLEGAL, PRV_M, 1), trap_desc());
    csr_write(CSR_VSTIMECMP, ~0ul);
    csr_write(CSR_HENVCFG, 0);
    h_reset();
    return 0;
}
