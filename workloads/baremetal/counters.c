/*
 * counters.c - cycle/time/instret: mcounteren/scounteren gating from S and U,
 * time advancing with the CLINT mtime, minstret/mcycle advancing and writable.
 */
#include "rt.h"
#include "sites.h"

SITE(s_cycle, "\tcsrr a0, cycle");
SITE(s_time, "\tcsrr a0, time");
SITE(s_instret, "\tcsrr a0, instret");

static const char *G;

/* QEMU 7.2 without -icount derives minstret from host time, not retired instructions. */
const char *const QEMU_DEVIATION[] = {
    "instret: minstret advances by ~101 over 100 nops",
    "instret: minstret is writable (reads 1000000 + a few)",
    "instret: instret (M) mirrors minstret",
    0
};

int main(void)
{
    printf("counters: cycle, time, instret\n");
    G = "counteren";
    void *sites[3] = { s_cycle, s_time, s_instret };
    const char *names[3] = { "cycle", "time", "instret" };
    static const char *const R = "priv 3.1.11 mcounteren / 4.1.5 scounteren";
    for (int c = 0; c < 3; c++) {
        for (int mc = 0; mc < 2; mc++)
            for (int sc = 0; sc < 2; sc++) {
                csr_write(mcounteren, mc << c);
                csr_write(scounteren, sc << c);
                for (int m = 0; m < 2; m++) {
                    int mode = m ? PRV_U : PRV_S;
                    int allowed = mode == PRV_S ? mc : (mc && sc);
                    rt_trap_reset();
                    rt_run(mode, FN(sites[c]), 0);
                    int ill = rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_ILLEGAL;
                    int ok = allowed ? rt_ntraps() == 0 : ill;
                    check(G, rt_fmt("%s in %s with mcounteren.%s=%d scounteren.%s=%d: %s", names[c], m ? "U" : "S",
                                    names[c], mc, names[c], sc, allowed ? "allowed" : "illegal instruction"), R, ok);
                }
            }
    }
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);

    G = "time";
    uint64_t t0 = csr_read(time), m0 = rt_mtime();
    while (rt_mtime() < m0 + 10000) ;         /* 1 ms */
    uint64_t t1 = csr_read(time), m1 = rt_mtime();
    check(G, "time advances (1 ms of mtime)", "priv 3.1.10 / unpriv Zicntr time", t1 > t0);
    /* An ordering, not a tolerance: a host thread may be descheduled between any two reads. */
    uint64_t ma = rt_mtime(), tm = csr_read(time), mb = rt_mtime();
    check(G, "time CSR reads between two CLINT mtime reads (mtime <= time <= mtime)", "priv 3.2.1 time shadows mtime",
          ma <= tm && tm <= mb);
    note("time delta %lu ticks for mtime delta %lu", t1 - t0, m1 - m0);
    csr_write(mcounteren, 2);
    csr_write(scounteren, 2);
    uint64_t tu = rt_run(PRV_U, FN(s_time), 0);
    check(G, "U reads time (enabled) >= earlier M reading", "priv 3.1.11", tu >= t1);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);

    G = "instret";
    uint64_t i0, i1;
    __asm__ volatile("csrr %0, minstret\n\t.rept 100\n\tnop\n\t.endr\n\tcsrr %1, minstret" : "=r"(i0), "=r"(i1));
    note("minstret delta over 100 nops: %lu", i1 - i0);
    check(G, "minstret advances", "priv 3.1.10 minstret", i1 > i0);
    check(G, "minstret advances by ~101 over 100 nops", "priv 3.1.10 minstret counts retired instructions",
          i1 - i0 >= 100 && i1 - i0 <= 110);
    uint64_t c0, c1;
    __asm__ volatile("csrr %0, mcycle\n\t.rept 100\n\tnop\n\t.endr\n\tcsrr %1, mcycle" : "=r"(c0), "=r"(c1));
    check(G, "mcycle advances", "priv 3.1.10 mcycle", c1 > c0);
    csr_write(minstret, 1000000);
    i1 = csr_read(minstret);
    check(G, "minstret is writable (reads >= the value written)", "priv 3.1.10 minstret writable", i1 >= 1000000 && i1 < 1000000 + TIMEBASE_HZ * 100);
    check(G, "minstret is writable (reads 1000000 + a few)", "priv 3.1.10 minstret writable", i1 >= 1000000 && i1 < 1000010);
    csr_write(mcycle, 1ul << 40);
    check(G, "mcycle is writable", "priv 3.1.10 mcycle writable", csr_read(mcycle) >= (1ul << 40));
    i1 = csr_read(minstret); /* again: the checks above retired many instructions */
    uint64_t u0 = csr_read(instret);
    check(G, "instret (M) mirrors minstret", "unpriv Zicntr instret", u0 >= i1 && u0 - i1 < 100);
    return 0;
}
