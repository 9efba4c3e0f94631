/*
 * trap.c - trap entry and return in M, S and U: ecall causes, epc, the
 * mstatus stack (MPP/MPIE, SPP/SPIE) on trap and on mret/sret, mtvec/stvec
 * direct and vectored, illegal instruction (with mtval), breakpoint,
 * privileged instructions and CSRs from lower modes, TSR, TW, TVM.
 */
#include "rt.h"
#include "sites.h"

ECALL_SITE(s_ecall);
SITE(s_csrw_mvendorid, ".option push\n.option norvc\n\t.word 0xf1101073\n.option pop");   /* csrw mvendorid, x0 */
SITE(s_c_lwsp_x0, "\t.hword 0x4002");          /* c.lwsp x0: reserved encoding */
SITE(s_c_unimp, "\t.hword 0x0000");            /* all-zero 16 bits: defined illegal */
SITE(s_ebreak, ".option push\n.option norvc\n\tebreak\n.option pop");
SITE(s_c_ebreak, "\t.hword 0x9002");           /* c.ebreak */
SITE(s_rd_mstatus, "\tcsrr a0, mstatus");
SITE(s_rd_sstatus, "\tcsrr a0, sstatus");
SITE(s_rd_satp, "\tcsrr a0, satp");
SITE(s_wr_satp0, "\tcsrw satp, zero");
SITE(s_sfence, "\tsfence.vma");
SITE(s_sret, "\tsret");
SITE(s_mret, "\tmret");
SITE(s_wfi, "\twfi");
SITE(s_rd_mscratch, "\tcsrr a0, mscratch");
SITE(s_rd_sscratch, "\tcsrr a0, sscratch");

/* mret/sret to the same mode at a local label; returns mstatus read after. */
SITE(s_mret_self,
     "\tla t0, 1f\n\tcsrw mepc, t0\n\tmret\n1:\tcsrr a0, mstatus");
SITE(s_sret_self,
     "\tla t0, 1f\n\tcsrw sepc, t0\n\tsret\n1:\tcsrr a0, sstatus");

#define G(x) x
static int last_is(const char *grp, const char *what, const char *rule, uint64_t cause, int level)
{
    int n = rt_ntraps();
    if (n != 1) {
        check_eq(grp, what, rule, n, 1);
        return 0;
    }
    volatile struct trap_rec *r = rt_trap(0);
    if (r->cause != cause || r->level != level) {
        printf("  trap: cause 0x%lx level %d epc 0x%lx tval 0x%lx\n", r->cause, r->level, r->epc, r->tval);
        check_eq(grp, what, rule, r->cause, cause);
        return 0;
    }
    return 1;
}

static void expect_exc(const char *grp, const char *what, const char *rule, int mode, void *site,
                       uint64_t cause)
{
    rt_trap_reset();
    rt_run(mode, FN(site), 0);
    if (last_is(grp, what, rule, cause, PRV_M)) check(grp, what, rule, 1);
}

static long s_set_tsr_probe(long a) { (void)a; return 0; }

static void test_ecall(void)
{
    static const char *G = "ecall";
    struct { int mode; uint64_t cause; const char *what; } t[] = {
        { PRV_U, CAUSE_ECALL_U, "ecall from U: mcause 8" },
        { PRV_S, CAUSE_ECALL_S, "ecall from S: mcause 9" },
        { PRV_M, CAUSE_ECALL_M, "ecall from M: mcause 11" },
    };
    for (int i = 0; i < 3; i++) {
        rt_trap_reset();
        rt_run(t[i].mode, FN(s_ecall), 0);
        if (!last_is(G, t[i].what, "priv 3.1.15 mcause", t[i].cause, PRV_M)) continue;
        check(G, t[i].what, "priv 3.1.15 mcause", 1);
        volatile struct trap_rec *r = rt_trap(0);
        static char w[3][48] = { "ecall from U: mepc = address of ecall", "ecall from S: mepc = address of ecall",
                                 "ecall from M: mepc = address of ecall" };
        check_eq(G, w[i], "priv 3.1.14 mepc", r->epc, (uintptr_t)s_ecall_at);
        static char w2[3][40] = { "ecall from U: MPP = U", "ecall from S: MPP = S", "ecall from M: MPP = M" };
        check_eq(G, w2[i], "priv 3.1.6.1 mstatus.MPP", (r->status >> 11) & 3, t[i].mode);
        check_eq(G, i == 0 ? "ecall from U: mtval = 0" : i == 1 ? "ecall from S: mtval = 0" : "ecall from M: mtval = 0",
                 "priv 3.1.16 mtval", r->tval, 0);
    }

    /* M-mode trap with MIE=1: on entry MIE=0, MPIE=1; after mret MIE=1, MPP=U. */
    csr_write(mie, 0);
    csr_set(mstatus, MSTATUS_MIE);
    rt_trap_reset();
    CALL(s_ecall, 0);
    uint64_t after = csr_read(mstatus);
    csr_clear(mstatus, MSTATUS_MIE);
    if (last_is(G, "trap from M with MIE=1", "priv 3.1.6.1", CAUSE_ECALL_M, PRV_M)) {
        uint64_t st = rt_trap(0)->status;
        check_eq(G, "on trap: mstatus.MIE = 0", "priv 3.1.6.1 mstatus.MIE", st & MSTATUS_MIE, 0);
        check_eq(G, "on trap: mstatus.MPIE = old MIE (1)", "priv 3.1.6.1 mstatus.MPIE", st & MSTATUS_MPIE, MSTATUS_MPIE);
        check_eq(G, "after mret: MIE = MPIE (1)", "priv 3.3.2 MRET", after & MSTATUS_MIE, MSTATUS_MIE);
        check_eq(G, "after mret: MPIE = 1", "priv 3.3.2 MRET", after & MSTATUS_MPIE, MSTATUS_MPIE);
        check_eq(G, "after mret: MPP = U (least-privileged mode)", "priv 3.3.2 MRET", after & MSTATUS_MPP, 0);
    }
    /* Same with MIE=0: MPIE records 0. */
    rt_trap_reset();
    CALL(s_ecall, 0);
    if (last_is(G, "trap from M with MIE=0", "priv 3.1.6.1", CAUSE_ECALL_M, PRV_M))
        check_eq(G, "on trap with MIE=0: MPIE = 0", "priv 3.1.6.1 mstatus.MPIE", rt_trap(0)->status & MSTATUS_MPIE, 0);
}

static void test_xret(void)
{
    static const char *G = "xret";
    /* mret M->M with MPP=M, MPIE=1, MIE=0. */
    csr_write(mie, 0);
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPIE | (3ul << 11));
    uint64_t st = CALL(s_mret_self, 0);
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq(G, "mret: MIE <- MPIE (1)", "priv 3.3.2 MRET", st & MSTATUS_MIE, MSTATUS_MIE);
    check_eq(G, "mret: MPIE <- 1", "priv 3.3.2 MRET", st & MSTATUS_MPIE, MSTATUS_MPIE);
    check_eq(G, "mret: MPP <- U", "priv 3.3.2 MRET", st & MSTATUS_MPP, 0);
    /* mret with MPIE=0 */
    csr_clear(mstatus, MSTATUS_MPIE | MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MIE | (3ul << 11));
    st = CALL(s_mret_self, 0);
    check_eq(G, "mret with MPIE=0: MIE <- 0", "priv 3.3.2 MRET", st & MSTATUS_MIE, 0);
    /* sret S->S: SPP=S, SPIE=1, SIE=0 -> SIE=1, SPIE=1, SPP=U. Done from M (sret is legal in M). */
    csr_write(sie, 0);
    csr_clear(mstatus, MSTATUS_SIE);
    csr_set(mstatus, MSTATUS_SPIE | MSTATUS_SPP);
    /* sret from M returns to S-mode (SPP), so run it inside S instead. */
    long s = rt_run(PRV_S, FN(s_sret_self), 0);
    (void)s;
    /* s_sret_self in S: sstatus was set up by M above (SPP=S, SPIE=1). */
    check_eq(G, "sret: SIE <- SPIE (1)", "priv 3.3.2 SRET", (uint64_t)s & MSTATUS_SIE, MSTATUS_SIE);
    check_eq(G, "sret: SPIE <- 1", "priv 3.3.2 SRET", (uint64_t)s & MSTATUS_SPIE, MSTATUS_SPIE);
    check_eq(G, "sret: SPP <- U", "priv 3.3.2 SRET", (uint64_t)s & MSTATUS_SPP, 0);
    csr_clear(mstatus, MSTATUS_SIE);
    /* MRET to a mode below M clears MPRV. */
    csr_set(mstatus, MSTATUS_MPRV);
    rt_run(PRV_S, s_set_tsr_probe, 0);
    check_eq(G, "mret to S clears MPRV", "priv 3.1.6.3 MPRV", csr_read(mstatus) & MSTATUS_MPRV, 0);
    csr_clear(mstatus, MSTATUS_MPRV);
}

/* S-level trap state: delegate ecall from U, ecall in U, the S handler records it. */
static void test_strap(void)
{
    static const char *G = "strap";
    csr_write(medeleg, 1ul << CAUSE_ECALL_U);
    csr_set(mstatus, MSTATUS_SIE);          /* SIE=1 in U: SPIE must record it */
    csr_write(sie, 0);
    rt_trap_reset();
    rt_run(PRV_U, FN(s_ecall), 0);
    uint64_t st_after = csr_read(mstatus);
    csr_write(medeleg, 0);
    csr_clear(mstatus, MSTATUS_SIE);
    if (last_is(G, "delegated ecall from U taken in S: scause 8", "priv 3.1.8 medeleg", CAUSE_ECALL_U, PRV_S)) {
        volatile struct trap_rec *r = rt_trap(0);
        check(G, "delegated ecall from U taken in S: scause 8", "priv 4.1.8 scause", 1);
        check_eq(G, "sepc = address of ecall", "priv 4.1.7 sepc", r->epc, (uintptr_t)s_ecall_at);
        check_eq(G, "on trap: SPP = U", "priv 4.1.1.2 sstatus.SPP", r->status & MSTATUS_SPP, 0);
        check_eq(G, "on trap: SIE = 0", "priv 4.1.1.2 sstatus.SIE", r->status & MSTATUS_SIE, 0);
        check_eq(G, "on trap: SPIE = old SIE (1)", "priv 4.1.1.2 sstatus.SPIE", r->status & MSTATUS_SPIE, MSTATUS_SPIE);
        check_eq(G, "after sret to U: SPIE = 1", "priv 3.3.2 SRET", st_after & MSTATUS_SPIE, MSTATUS_SPIE);
        (void)st_after;
    }
    /* breakpoint from S delegated: SPP = S (ecall from S cannot be delegated
     * here: rt_run returns through an ecall from S). */
    csr_write(medeleg, 1ul << CAUSE_BREAKPOINT);
    rt_trap_reset();
    rt_run(PRV_S, FN(s_ebreak), 0);
    csr_write(medeleg, 0);
    if (last_is(G, "delegated ebreak from S taken in S: scause 3", "priv 3.1.8 medeleg", CAUSE_BREAKPOINT, PRV_S)) {
        check(G, "delegated ebreak from S taken in S: scause 3", "priv 4.1.8 scause", 1);
        check_eq(G, "on trap from S: SPP = S", "priv 4.1.1.2 sstatus.SPP", rt_trap(0)->status & MSTATUS_SPP, MSTATUS_SPP);
        check_eq(G, "sepc = address of ebreak", "priv 4.1.7 sepc", rt_trap(0)->epc, (uintptr_t)s_ebreak);
    }
}

static void test_tvec(void)
{
    static const char *G = "tvec";
    uint64_t old = csr_read(mtvec);
    check_eq(G, "mtvec direct: every trap enters at BASE", "priv 3.1.7 mtvec MODE=0",
             (rt_trap_reset(), CALL(s_ecall, 0), rt_trap(0)->vec), (uint64_t)-1);
    csr_write(mtvec, (uintptr_t)rt_mtrap_vectors | 1);
    check_eq(G, "mtvec vectored: MODE reads back 1", "priv 3.1.7 mtvec", csr_read(mtvec) & 3, 1);
    rt_trap_reset();
    CALL(s_ecall, 0);
    check_eq(G, "mtvec vectored: exception enters at BASE", "priv 3.1.7 mtvec MODE=1",
             rt_ntraps() == 1 ? (uint64_t)rt_trap(0)->vec : 99, 0);
    /* M software interrupt through CLINT msip -> BASE + 4*3 */
    rt_trap_reset();
    csr_write(mie, 1ul << IRQ_MSI);
    mmio_w32(CLINT_MSIP(0), 1);
    csr_set(mstatus, MSTATUS_MIE);
    for (int i = 0; i < 1000 && !rt_ntraps(); i++) __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    mmio_w32(CLINT_MSIP(0), 0);
    csr_write(mie, 0);
    check_eq(G, "mtvec vectored: MSI enters at BASE+4*3", "priv 3.1.7 mtvec MODE=1",
             rt_ntraps() == 1 ? (uint64_t)rt_trap(0)->vec : 99, 3);
    /* supervisor software interrupt (mip.SSIP set by M), not delegated -> M, BASE+4*1 */
    rt_trap_reset();
    csr_write(mie, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    csr_set(mstatus, MSTATUS_MIE);
    for (int i = 0; i < 1000 && !rt_ntraps(); i++) __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    csr_clear(mip, 1ul << IRQ_SSI);
    csr_write(mie, 0);
    check_eq(G, "mtvec vectored: SSI (not delegated) enters M at BASE+4*1", "priv 3.1.7 mtvec MODE=1",
             rt_ntraps() == 1 ? (uint64_t)rt_trap(0)->vec : 99, 1);
    csr_write(mtvec, old);

    /* stvec vectored: delegated ecall from U -> BASE, delegated SSI in S -> BASE+4 */
    uint64_t olds = csr_read(stvec);
    csr_write(stvec, (uintptr_t)rt_strap_vectors | 1);
    check_eq(G, "stvec vectored: MODE reads back 1", "priv 4.1.2 stvec", csr_read(stvec) & 3, 1);
    csr_write(medeleg, 1ul << CAUSE_ECALL_U);
    rt_trap_reset();
    rt_run(PRV_U, FN(s_ecall), 0);
    csr_write(medeleg, 0);
    check_eq(G, "stvec vectored: exception enters at BASE", "priv 4.1.2 stvec MODE=1",
             rt_ntraps() == 1 && rt_trap(0)->level == PRV_S ? (uint64_t)rt_trap(0)->vec : 99, 0);
    csr_write(mideleg, 1ul << IRQ_SSI);
    csr_write(mie, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    csr_set(mstatus, MSTATUS_SIE);
    rt_trap_reset();
    rt_run(PRV_S, FN(s_rd_sstatus), 0);     /* pending+enabled: taken on entry to S */
    csr_clear(mstatus, MSTATUS_SIE);
    csr_clear(mip, 1ul << IRQ_SSI);
    csr_write(mie, 0);
    csr_write(mideleg, 0);
    check_eq(G, "stvec vectored: SSI enters S at BASE+4*1", "priv 4.1.2 stvec MODE=1",
             rt_ntraps() == 1 && rt_trap(0)->level == PRV_S ? (uint64_t)rt_trap(0)->vec : 99, 1);
    if (rt_ntraps() == 1)
        check_eq(G, "delegated SSI: scause = interrupt 1", "priv 4.1.8 scause", rt_trap(0)->cause, INTR | IRQ_SSI);
    csr_write(stvec, olds);
}

static void test_illegal(void)
{
    static const char *G = "illegal";
    const char *R = "priv 3.1.16 mtval (illegal instruction: faulting bits or 0)";
    struct { void *site; uint32_t bits; const char *what; } t[] = {
        { s_csrw_mvendorid, 0xf1101073u, "write to read-only CSR mvendorid (32-bit)" },
        { s_c_lwsp_x0, 0x4002, "reserved c.lwsp x0 (16-bit)" },
        { s_c_unimp, 0x0000, "all-zero halfword (16-bit)" },
    };
    for (int i = 0; i < 3; i++) {
        rt_trap_reset();
        CALL(t[i].site, 0);
        if (!last_is(G, t[i].what, "priv 3.1.15 cause 2", CAUSE_ILLEGAL, PRV_M)) continue;
        volatile struct trap_rec *r = rt_trap(0);
        check(G, t[i].what, "unpriv/priv: illegal instruction, cause 2", 1);
        check_eq(G, t[i].what, "priv 3.1.14 mepc = faulting instruction", r->epc, (uintptr_t)t[i].site);
        uint64_t tv = r->tval;
        check_outcome(G, t[i].what, R, tv == t[i].bits || tv == 0, tv == t[i].bits && tv ? "mtval = bits" : "mtval = 0");
    }
    /* From U, compressed illegal instruction, and the skip of 2 bytes works. */
    expect_exc(G, "c.unimp in U: cause 2", "priv 3.1.15", PRV_U, s_c_unimp, CAUSE_ILLEGAL);
}

static void test_breakpoint(void)
{
    static const char *G = "breakpoint";
    void *sites[2] = { s_ebreak, s_c_ebreak };
    const char *w[2] = { "ebreak: cause 3", "c.ebreak: cause 3" };
    for (int m = 0; m < 2; m++) {
        for (int i = 0; i < 2; i++) {
            int mode = m ? PRV_U : PRV_M;
            rt_trap_reset();
            rt_run(mode, FN(sites[i]), 0);
            char buf[64];
            const char *what = m ? (i ? "c.ebreak in U: cause 3" : "ebreak in U: cause 3") : w[i];
            (void)buf;
            if (!last_is(G, what, "priv 3.1.15", CAUSE_BREAKPOINT, PRV_M)) continue;
            check(G, what, "priv 3.1.15 cause 3", 1);
            volatile struct trap_rec *r = rt_trap(0);
            if (m) continue;
            check_eq(G, i ? "c.ebreak: mepc = address of c.ebreak" : "ebreak: mepc = address of ebreak",
                     "priv 3.1.14 mepc", r->epc, (uintptr_t)sites[i]);
            check_outcome(G, i ? "c.ebreak: mtval = pc or 0" : "ebreak: mtval = pc or 0", "priv 3.1.16 mtval",
                          r->tval == (uintptr_t)sites[i] || r->tval == 0, r->tval ? "mtval = pc" : "mtval = 0");
        }
    }
}

static void test_lowpriv(void)
{
    static const char *G = "privilege";
    expect_exc(G, "csrr mstatus in U", "priv 2.1 CSR privilege level", PRV_U, s_rd_mstatus, CAUSE_ILLEGAL);
    expect_exc(G, "csrr mstatus in S", "priv 2.1 CSR privilege level", PRV_S, s_rd_mstatus, CAUSE_ILLEGAL);
    expect_exc(G, "csrr mscratch in S", "priv 2.1 CSR privilege level", PRV_S, s_rd_mscratch, CAUSE_ILLEGAL);
    expect_exc(G, "csrr sstatus in U", "priv 2.1 CSR privilege level", PRV_U, s_rd_sstatus, CAUSE_ILLEGAL);
    expect_exc(G, "csrr sscratch in U", "priv 2.1 CSR privilege level", PRV_U, s_rd_sscratch, CAUSE_ILLEGAL);
    rt_trap_reset();
    rt_run(PRV_S, FN(s_rd_sstatus), 0);
    check_eq(G, "csrr sstatus in S is legal", "priv 2.1 CSR privilege level", rt_ntraps(), 0);
    expect_exc(G, "mret in S", "priv 3.3.2 MRET only in M", PRV_S, s_mret, CAUSE_ILLEGAL);
    expect_exc(G, "mret in U", "priv 3.3.2 MRET only in M", PRV_U, s_mret, CAUSE_ILLEGAL);
    expect_exc(G, "sret in U", "priv 3.3.2 SRET in U illegal", PRV_U, s_sret, CAUSE_ILLEGAL);
    expect_exc(G, "sfence.vma in U", "priv 4.2.1 SFENCE.VMA", PRV_U, s_sfence, CAUSE_ILLEGAL);

    /* TSR */
    csr_set(mstatus, MSTATUS_TSR);
    expect_exc(G, "sret in S with TSR=1", "priv 3.1.6.5 mstatus.TSR", PRV_S, s_sret, CAUSE_ILLEGAL);
    csr_clear(mstatus, MSTATUS_TSR);
    /* TVM */
    csr_set(mstatus, MSTATUS_TVM);
    expect_exc(G, "csrr satp in S with TVM=1", "priv 3.1.6.5 mstatus.TVM", PRV_S, s_rd_satp, CAUSE_ILLEGAL);
    expect_exc(G, "csrw satp in S with TVM=1", "priv 3.1.6.5 mstatus.TVM", PRV_S, s_wr_satp0, CAUSE_ILLEGAL);
    expect_exc(G, "sfence.vma in S with TVM=1", "priv 3.1.6.5 mstatus.TVM", PRV_S, s_sfence, CAUSE_ILLEGAL);
    csr_clear(mstatus, MSTATUS_TVM);
    rt_trap_reset();
    rt_run(PRV_S, FN(s_rd_satp), 0);
    rt_run(PRV_S, FN(s_sfence), 0);
    check_eq(G, "satp / sfence.vma in S with TVM=0 are legal", "priv 3.1.6.5 mstatus.TVM", rt_ntraps(), 0);
    /* TW: wfi in S with TW=1 traps (time limit may be 0; QEMU: immediately). */
    csr_set(mstatus, MSTATUS_TW);
    expect_exc(G, "wfi in S with TW=1", "priv 3.1.6.5 mstatus.TW", PRV_S, s_wfi, CAUSE_ILLEGAL);
    csr_clear(mstatus, MSTATUS_TW);
    /* wfi in U with TW=0: illegal unless it completes within a bounded time; a
     * delegated SSI that is pending and enabled in sie (SIE=0 does not matter in U... it does:
     * in U S-interrupts are always enabled) would be taken, so keep nothing pending: both
     * outcomes are legal. */
    rt_trap_reset();
    csr_write(mie, 1ul << IRQ_MTI);
    mmio_w64(CLINT_MTIMECMP(0), rt_mtime() + 20000);   /* wake-up safety net: 2 ms */
    rt_run(PRV_U, FN(s_wfi), 0);
    int n = rt_ntraps();
    int ill = 0, tmr = 0;
    for (int i = 0; i < n && i < RT_MAX_REC; i++) {
        if (rt_trap(i)->cause == CAUSE_ILLEGAL) ill++;
        if (rt_trap(i)->cause == (INTR | IRQ_MTI)) tmr++;
    }
    mmio_w64(CLINT_MTIMECMP(0), ~0ul);
    csr_write(mie, 0);
    check_outcome(G, "wfi in U (TW=0)", "priv 3.1.6.5 mstatus.TW: U-mode WFI illegal unless it completes",
                  n == ill + tmr, ill ? "illegal instruction" : "completed");
}

const char *const QEMU_DEVIATION[] = {
    "xret: mret to S clears MPRV",     /* QEMU 7.2 leaves MPRV set */
    0
};

int main(void)
{
    printf("trap: trap entry and return\n");
    test_ecall();
    test_xret();
    test_strap();
    test_tvec();
    test_illegal();
    test_breakpoint();
    test_lowpriv();
    return 0;
}
