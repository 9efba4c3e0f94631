/*
 * deleg.c - trap delegation: medeleg/mideleg writable bits, delegated
 * exceptions from U and S go to S (scause/sepc/stval written, mcause/mepc
 * not), non-delegated ones go to M, and traps from M never go to S.
 */
#include "rt.h"
#include "sites.h"

SITE(s_illegal32, ".option push\n.option norvc\n\t.word 0xf1101073\n.option pop");   /* csrw mvendorid, x0 */
SITE(s_ebreak, ".option push\n.option norvc\n\tebreak\n.option pop");
ECALL_SITE(s_ecall);

static const char *G = "deleg";

static int one(const char *what, const char *rule, uint64_t cause, int level)
{
    if (rt_ntraps() != 1) { check_eq(G, what, rule, rt_ntraps(), 1); return 0; }
    volatile struct trap_rec *r = rt_trap(0);
    if (r->cause != cause) { check_eq(G, what, rule, r->cause, cause); return 0; }
    check_eq(G, what, rule, r->level, level);
    return r->level == level;
}

/* "medeleg[11] is read-only zero" (priv 3.1.8); QEMU 7.2 lets it be set. */
const char *const QEMU_DEVIATION[] = { "deleg: medeleg[11] (ecall from M) is read-only zero", 0 };

int main(void)
{
    printf("deleg: trap delegation\n");
    /* Writable bits. */
    csr_write(medeleg, ~0ul);
    uint64_t me = csr_read(medeleg);
    csr_write(medeleg, 0);
    csr_write(mideleg, ~0ul);
    uint64_t mi = csr_read(mideleg);
    csr_write(mideleg, 0);
    note("medeleg writable bits 0x%lx, mideleg writable bits 0x%lx", me, mi);
    check_eq(G, "medeleg[11] (ecall from M) is read-only zero", "priv 3.1.8 medeleg", me & (1ul << 11), 0);
    uint64_t want_e = (1ul << 0) | (1ul << 2) | (1ul << 3) | (1ul << 8) | (1ul << 12) | (1ul << 13) | (1ul << 15);
    check_eq(G, "medeleg delegates the exceptions an OS needs (0,2,3,8,12,13,15)", "priv 3.1.8 medeleg",
             me & want_e, want_e);
    uint64_t want_i = (1ul << IRQ_SSI) | (1ul << IRQ_STI) | (1ul << IRQ_SEI);
    check_eq(G, "mideleg: SSI, STI, SEI delegatable", "priv 3.1.8 mideleg", mi & want_i, want_i);
    check_eq(G, "medeleg reads back 0 after writing 0", "priv 3.1.8 medeleg", csr_read(medeleg), 0);

    /* Delegated illegal instruction from U and S -> S; mcause/mepc untouched. */
    csr_write(medeleg, 1ul << CAUSE_ILLEGAL);
    for (int m = 0; m < 2; m++) {
        int mode = m ? PRV_S : PRV_U;
        csr_write(mcause, 5);
        csr_write(mepc, 0x80000100);
        csr_write(mtval, 0x1234);
        rt_trap_reset();
        rt_run(mode, FN(s_illegal32), 0);
        /* rt_run returned through an exit ecall taken in M: that rewrote mcause/mepc,
         * so the delegated trap's effects on M CSRs are checked through the S record only. */
        const char *w = m ? "illegal from S with medeleg[2]: taken in S" : "illegal from U with medeleg[2]: taken in S";
        if (one(w, "priv 3.1.8 medeleg", CAUSE_ILLEGAL, PRV_S)) {
            volatile struct trap_rec *r = rt_trap(0);
            check_eq(G, m ? "delegated from S: sepc = faulting pc" : "delegated from U: sepc = faulting pc",
                     "priv 4.1.7 sepc", r->epc, (uintptr_t)s_illegal32);
            check_eq(G, m ? "delegated from S: SPP = S" : "delegated from U: SPP = U",
                     "priv 4.1.1.2 sstatus.SPP", r->prev, mode);
            check_outcome(G, m ? "delegated from S: stval = bits or 0" : "delegated from U: stval = bits or 0",
                          "priv 4.1.9 stval", r->tval == 0xf1101073u || r->tval == 0,
                          r->tval ? "stval = bits" : "stval = 0");
        }
    }
    /* A delegated trap does not write mcause: the only M trap of this run is the
     * exit ecall (cause 9), so mcause must read 9, not 2. */
    rt_trap_reset();
    rt_run(PRV_S, FN(s_illegal32), 0);
    check_eq(G, "after a delegated trap from S, mcause holds only the exit ecall (9)", "priv 3.1.8: mcause not written",
             csr_read(mcause), CAUSE_ECALL_S);

    /* Traps from M never go to S, even if delegated. */
    rt_trap_reset();
    CALL(s_illegal32, 0);
    if (one("illegal in M with medeleg[2]: taken in M", "priv 3.1.8 traps never go to a lower mode",
            CAUSE_ILLEGAL, PRV_M))
        check_eq(G, "illegal in M with medeleg[2]: mepc", "priv 3.1.14 mepc", rt_trap(0)->epc, (uintptr_t)s_illegal32);
    csr_write(medeleg, 1ul << CAUSE_ECALL_U | 1ul << CAUSE_BREAKPOINT);
    rt_trap_reset();
    CALL(s_ecall, 0);
    one("ecall in M with medeleg[8]: cause 11 in M", "priv 3.1.8", CAUSE_ECALL_M, PRV_M);
    rt_trap_reset();
    CALL(s_ebreak, 0);
    one("ebreak in M with medeleg[3]: taken in M", "priv 3.1.8 traps never go to a lower mode", CAUSE_BREAKPOINT, PRV_M);

    /* Delegated ecall from U; ebreak delegated from U. */
    rt_trap_reset();
    rt_run(PRV_U, FN(s_ecall), 0);
    one("ecall from U with medeleg[8]: taken in S", "priv 3.1.8 medeleg", CAUSE_ECALL_U, PRV_S);
    rt_trap_reset();
    rt_run(PRV_U, FN(s_ebreak), 0);
    one("ebreak from U with medeleg[3]: taken in S", "priv 3.1.8 medeleg", CAUSE_BREAKPOINT, PRV_S);

    /* Not delegated: from S and U to M. */
    csr_write(medeleg, 1ul << CAUSE_ILLEGAL);   /* something else delegated */
    rt_trap_reset();
    rt_run(PRV_S, FN(s_ebreak), 0);
    one("ebreak from S, medeleg[3]=0: taken in M", "priv 3.1.8 medeleg", CAUSE_BREAKPOINT, PRV_M);
    rt_trap_reset();
    rt_run(PRV_U, FN(s_ecall), 0);
    one("ecall from U, medeleg[8]=0: taken in M", "priv 3.1.8 medeleg", CAUSE_ECALL_U, PRV_M);
    csr_write(medeleg, 0);
    rt_trap_reset();
    rt_run(PRV_U, FN(s_illegal32), 0);
    one("illegal from U, medeleg=0: taken in M", "priv 3.1.8 medeleg", CAUSE_ILLEGAL, PRV_M);

    /* Delegated interrupt: SSI with mideleg[1] from U goes to S; without, to M. */
    csr_write(mideleg, 1ul << IRQ_SSI);
    csr_write(mie, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    rt_trap_reset();
    rt_run(PRV_U, FN(s_ebreak), 0);   /* pending on entry to U: taken before the ebreak */
    csr_clear(mip, 1ul << IRQ_SSI);
    if (rt_ntraps() >= 1)
        check_eq(G, "SSI with mideleg[1] from U: taken in S", "priv 3.1.8 mideleg", rt_trap(0)->level, PRV_S);
    else
        check_eq(G, "SSI with mideleg[1] from U: taken in S", "priv 3.1.8 mideleg", 0, 1);
    csr_write(mideleg, 0);
    csr_write(mie, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    rt_trap_reset();
    rt_run(PRV_U, FN(s_ebreak), 0);
    csr_clear(mip, 1ul << IRQ_SSI);
    csr_write(mie, 0);
    if (rt_ntraps() >= 1) {
        check_eq(G, "SSI with mideleg[1]=0 from U: taken in M", "priv 3.1.8 mideleg", rt_trap(0)->level, PRV_M);
        check_eq(G, "SSI in M: mcause = interrupt 1", "priv 3.1.15 mcause", rt_trap(0)->cause, INTR | IRQ_SSI);
    } else
        check_eq(G, "SSI with mideleg[1]=0 from U: taken in M", "priv 3.1.8 mideleg", 0, 1);
    return 0;
}
