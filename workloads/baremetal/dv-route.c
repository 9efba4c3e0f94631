/*
 * dv-route: trap routing out of an HU-owned guest (dv-ext §4): causes delegated by
 * medeleg && sedeleg reach HU (ucause, uepc, utval, hutval, hustatus.UPV/UPVP/GVA, UIE/UPIE
 * stacking, pc = utvec direct/vectored), hedeleg-delegated ones reach the guest's VS handler,
 * the rest go to HS or M; hustatus.VTW/VTSR/VTVM and hucounteren bind HU-owned guests;
 * sret-entered (HS-owned) guests trap to HS; U-level interrupts (USI 0, UTI 4) via sideleg.
 */
#include "dv.h"

#define G "dv-route"

ECALL_SITE(ec);
SITE(v_ld, "ld a0, 0(a0)");
SITE(v_sd, "li t0, 0x5d5d\n.globl v_sd_at\nv_sd_at:\n\tsd t0, 0(a0)");
extern char v_sd_at[];
SITE(v_call, "addi sp, sp, -16\n\tsd ra, 0(sp)\n.globl v_call_at\nv_call_at:\n\tjalr a0\n\tld ra, 0(sp)\n\taddi sp, sp, 16");
SITE(s_hfv, "hfence.vvma");
SITE(s_wfi, "wfi");
SITE(s_sret, "sret");
SITE(s_sfence, "sfence.vma");
SITE(s_rdtime, "rdtime a0");
SITE(s_brk, ".option push\n.option norvc\n\tebreak\n.option pop");
SITE(s_bad, ".word 0x30002573");                 /* csrr a0, mstatus: illegal below M */
SITE(g_spin, "li t0, 20000\n1:\taddi t0, t0, -1\n\tbnez t0, 1b");
SITE(g_wait, "1:\trdtime t0\n\tbltu t0, a0, 1b");   /* spin until time >= a0 (needs the TM bits) */
SITE(s_land, "li a0, 0x1a4d");
SITE(hs_enter, "li t0, 0x80\n\tcsrs hstatus, t0\n\t"
               "li t0, 0x100\n\tcsrc sstatus, t0\n\tslli a0, a0, 8\n\tcsrs sstatus, a0\n\t"
               "csrw sepc, a1\n\tmv a0, a2\n\tla ra, rt_lower_return\n\tsret");
static volatile uintptr_t hs_fn;
static long hs_guest(long a) { return ((long (*)(long, uintptr_t, long))(uintptr_t)hs_enter)(1, hs_fn, a); }

static void setup(void)
{
    dv_reset();
    dv_gstage_build();
    dv_gstage_on();
    dv_deleg_default();
    rt_trap_reset();
}

/* One HU-level trap from the guest: cause, uepc, utval, hutval, UPV, UPVP, GVA. */
static void at_hu(const char *what, uint64_t cause, uintptr_t epc, uint64_t tval, uint64_t gpa, int upvp, int gva)
{
    check_outcome(G, rt_fmt("%s -> HU (ucause %lu)", what, cause), R_ROUTE, one_trap(cause, LVL_HU, 1), trap_desc());
    if (!rt_ntraps() || rt_trap(0)->level != LVL_HU) return;
    volatile struct trap_rec *t = rt_trap(0);
    check_eq(G, rt_fmt("%s: uepc = guest pc", what), R_ROUTE, t->epc, epc);
    if (tval != ~0ul) check_eq(G, rt_fmt("%s: utval", what), R_ROUTE, t->tval, tval);
    if (gpa != ~0ul) check_eq(G, rt_fmt("%s: hutval = GPA >> 2", what), R_ROUTE, t->tval2, gpa >> 2);
    check_eq(G, rt_fmt("%s: hustatus.UPVP = %d", what, upvp), R_ROUTE, t->prev, (uint64_t)upvp);
    check_eq(G, rt_fmt("%s: hustatus.GVA = %d", what, gva), R_ROUTE, t->gva, (uint64_t)gva);
}

static void uti_none(uint64_t c) { (void)c; csr_write(CSR_VTIMECTL, 0); csr_clear(CSR_HUIP, 1ul << IRQ_UTI); csr_clear(CSR_HUIE, 1ul << IRQ_UTI); }
/* HU-mode body: pend UTI (vtimer), enable huie.UTIE, spin with UIE=0, then UIE=1 */
static volatile int hu_seen_before;
static long hu_self_irq(long x)
{
    (void)x;
    csr_write(CSR_VTIMECMP, 0);
    csr_write(CSR_VTIMECTL, (IRQ_UTI << 1) | 1);
    csr_set(CSR_HUIE, 1ul << IRQ_UTI);
    for (volatile int i = 0; i < 2000; i++) ;
    hu_seen_before = rt_ntraps();
    csr_set(CSR_HUSTATUS, HUS_UIE);
    for (volatile int i = 0; i < 2000; i++) ;
    csr_clear(CSR_HUSTATUS, HUS_UIE);
    return 0;
}

int main(void)
{
    dv_present();

    /* ---- VS ecall (10) -> HU, status stacking, scause untouched, direct utvec */
    setup();
    csr_clear(medeleg, 1ul << CAUSE_ECALL_U);          /* HU's own exit ecall goes to M, not HS */
    csr_write(scause, 0x77);
    dv_g_hus_set = HUS_UPIE;                          /* guest runs with UIE = 1 */
    run_guest(1, ec, 0);
    at_hu("VS ecall", CAUSE_ECALL_VS, (uintptr_t)ec_at, 0, ~0ul, 1, 0);
    if (rt_ntraps()) {
        check_eq(G, "VS ecall: hustatus.UPV = 1", R_ROUTE, rt_trap(0)->virt, 1);
        check_eq(G, "VS ecall (guest UIE=1): UPIE <- 1, UIE <- 0", R_ROUTE, rt_trap(0)->status & (HUS_UIE | HUS_UPIE), HUS_UPIE);
        check_eq(G, "VS ecall: direct utvec entry used", R_ROUTE, (uint64_t)rt_trap(0)->vec, (uint64_t)-1l);
    }
    check_eq(G, "trap to HU leaves scause", R_ROUTE, csr_read(scause), 0x77);
    setup();
    run_guest(1, ec, 0);                              /* guest UIE = 0 */
    if (rt_ntraps()) check_eq(G, "VS ecall (guest UIE=0): UPIE <- 0, UIE <- 0", R_ROUTE, rt_trap(0)->status & (HUS_UIE | HUS_UPIE), 0);
    /* vectored utvec: exceptions at the base */
    setup();
    csr_write(CSR_UTVEC, (uintptr_t)dv_utrap_vectors | 1);
    rt_trap_reset();
    run_guest(1, ec, 0);
    check_outcome(G, "vectored utvec: VS ecall enters at the base (slot 0)", R_ROUTE,
                  one_trap(CAUSE_ECALL_VS, LVL_HU, 1) && rt_trap(0)->vec == 0, trap_desc());

    /* ---- hedeleg: VU ecall (8) and VS ebreak (3) go to the guest's VS handler */
    setup();
    run_guest(0, ec, 0);
    check_outcome(G, "VU ecall, medeleg[8] && hedeleg[8] -> guest VS handler", R_ROUTE, one_trap(CAUSE_ECALL_U, LVL_VS, 1), trap_desc());
    setup();
    csr_set(CSR_SEDELEG, 1ul << CAUSE_BREAKPOINT);
    rt_trap_reset();
    run_guest(1, s_brk, 0);
    check_outcome(G, "VS ebreak, hedeleg[3] set (sedeleg[3] also set) -> guest VS handler", R_ROUTE,
                  one_trap(CAUSE_BREAKPOINT, LVL_VS, 1), trap_desc());

    /* ---- guest-page faults (vsatp Bare: GVA = GPA) */
    setup();
    run_guest(1, v_ld, (long)GPA_HONLY + 8);
    at_hu("VS load of a GPA not in hugatp", CAUSE_LOAD_GPAGE, (uintptr_t)v_ld, GPA_HONLY + 8, GPA_HONLY + 8, 1, 1);
    setup();
    run_guest(0, v_sd, (long)GPA_HONLY + 16);
    at_hu("VU store to a GPA not in hugatp", CAUSE_STORE_GPAGE, (uintptr_t)v_sd_at, GPA_HONLY + 16, GPA_HONLY + 16, 0, 1);
    setup();
    run_guest(1, v_call, (long)GPA_HONLY);
    at_hu("VS fetch from a GPA not in hugatp", CAUSE_FETCH_GPAGE, GPA_HONLY, GPA_HONLY, GPA_HONLY, 1, 1);
    check_eq(G, "guest store did not reach the hgatp-only page", R_OWN, dv_pg[1][2], 0);

    /* ---- virtual instruction (22) -> HU; hustatus.VTW/VTSR/VTVM bind the HU-owned guest */
    setup();
    run_guest(1, s_hfv, 0);
    at_hu("VS hfence.vvma (virtual instruction)", CAUSE_VIRT_INSN, (uintptr_t)s_hfv, ~0ul, ~0ul, 1, 0);
    if (rt_ntraps()) check_outcome(G, "virtual instruction: utval 0 or the instruction", R_ROUTE,
                                   rt_trap(0)->tval == 0 || rt_trap(0)->tval == rt_trap(0)->insn, rt_fmt("utval 0x%lx", rt_trap(0)->tval));
    setup();
    mmio_w64(CLINT_MTIMECMP(0), rt_mtime() + TIMEBASE_HZ / 20);    /* wakes a WFI that does not trap */
    csr_set(mie, 1ul << IRQ_MTI);
    dv_g_hus_set = HUS_VTW;
    run_guest(1, s_wfi, 0);
    mmio_w64(CLINT_MTIMECMP(0), ~0ul);
    csr_clear(mie, 1ul << IRQ_MTI);
    check_outcome(G, "VS wfi with hustatus.VTW=1 (hstatus.VTW=0) -> HU cause 22", R_HUS,
                  one_trap(CAUSE_VIRT_INSN, LVL_HU, 1) && rt_trap(0)->epc == (uintptr_t)s_wfi, trap_desc());
    setup();
    csr_write(vsepc, (uintptr_t)s_land);
    dv_g_hus_set = HUS_VTSR;
    run_guest(1, s_sret, 0);
    check_outcome(G, "VS sret with hustatus.VTSR=1 -> HU cause 22", R_HUS,
                  one_trap(CAUSE_VIRT_INSN, LVL_HU, 1) && rt_trap(0)->epc == (uintptr_t)s_sret, trap_desc());
    setup();
    dv_g_hus_set = HUS_VTVM;
    run_guest(1, s_sfence, 0);
    check_outcome(G, "VS sfence.vma with hustatus.VTVM=1 -> HU cause 22", R_HUS,
                  one_trap(CAUSE_VIRT_INSN, LVL_HU, 1) && rt_trap(0)->epc == (uintptr_t)s_sfence, trap_desc());
    /* hucounteren (not hcounteren) gates an HU-owned guest's time CSR */
    setup();
    csr_write(mcounteren, 7); csr_write(scounteren, 7);
    csr_write(CSR_HCOUNTEREN, 7); csr_write(CSR_HUCOUNTEREN, 0);
    rt_trap_reset();
    run_guest(1, s_rdtime, 0);
    check_outcome(G, "VS rdtime with hucounteren.TM=0 (hcounteren.TM=1) -> HU cause 22", "dv-ext §2 hucounteren / priv H 8.2.6",
                  one_trap(CAUSE_VIRT_INSN, LVL_HU, 1), trap_desc());
    setup();
    csr_write(mcounteren, 7); csr_write(scounteren, 7);
    csr_write(CSR_HCOUNTEREN, 0); csr_write(CSR_HUCOUNTEREN, 7);
    rt_trap_reset();
    run_guest(1, s_rdtime, 0);
    check_outcome(G, "VS rdtime with hucounteren.TM=1 (hcounteren.TM=0): no trap", "dv-ext §2 hucounteren / priv H 8.2.6",
                  rt_ntraps() == 0, trap_desc());
    csr_write(CSR_HCOUNTEREN, 0); csr_write(mcounteren, 0); csr_write(scounteren, 0);

    /* ---- the rest: HS or M */
    setup();
    run_guest(1, s_bad, 0);
    check_outcome(G, "VS illegal instruction, medeleg[2]=0 -> M", R_ROUTE, one_trap(CAUSE_ILLEGAL, PRV_M, 1), trap_desc());
    setup();
    csr_set(medeleg, 1ul << CAUSE_ILLEGAL);
    rt_trap_reset();
    run_guest(1, s_bad, 0);
    check_outcome(G, "VS illegal instruction, medeleg[2]=1, sedeleg[2]=hedeleg[2]=0 -> HS", R_ROUTE,
                  one_trap(CAUSE_ILLEGAL, PRV_S, 1), trap_desc());
    setup();
    csr_clear(medeleg, 1ul << CAUSE_ECALL_VS);
    rt_trap_reset();
    run_guest(1, ec, 0);
    check_outcome(G, "VS ecall with sedeleg[10]=1 but medeleg[10]=0 -> M", R_ROUTE, one_trap(CAUSE_ECALL_VS, PRV_M, 1), trap_desc());
    setup();
    csr_clear(CSR_SEDELEG, 1ul << CAUSE_ECALL_VS);
    rt_trap_reset();
    run_guest(1, ec, 0);
    check_outcome(G, "VS ecall with medeleg[10]=1 but sedeleg[10]=0 -> HS", R_ROUTE, one_trap(CAUSE_ECALL_VS, PRV_S, 1), trap_desc());

    /* ---- HS-owned guest (sret from HS) with the same delegation: HS, not HU */
    setup();
    hs_fn = (uintptr_t)ec;
    rt_run(PRV_S, hs_guest, 0);
    check_outcome(G, "sret-entered guest: VS ecall with medeleg && sedeleg -> HS (not HU)", R_OWN,
                  one_trap(CAUSE_ECALL_VS, PRV_S, 1), trap_desc());
    setup();
    hs_fn = (uintptr_t)v_ld;
    rt_run(PRV_S, hs_guest, (long)GPA_UONLY);
    check_outcome(G, "sret-entered guest: guest-page fault -> HS (not HU)", R_OWN, one_trap(CAUSE_LOAD_GPAGE, PRV_S, 1), trap_desc());
    if (rt_ntraps()) check_eq(G, "sret-entered guest: htval = GPA >> 2", R_OWN, rt_trap(0)->tval2, GPA_UONLY >> 2);

    /* ---- U-level interrupt UTI (vtimer target 4) via sideleg to HU.  The timer is armed to
     * fire ~2 ms after entry so it arrives while the guest runs (USI: dv-vipi, sent by hart 1). */
    for (int vec = 0; vec < 2; vec++) {
        setup();
        csr_write(mcounteren, 7); csr_write(scounteren, 7); csr_write(CSR_HUCOUNTEREN, 7);
        if (vec) csr_write(CSR_UTVEC, (uintptr_t)dv_utrap_vectors | 1);
        csr_write(CSR_HUIE, 1ul << IRQ_UTI);
        uint64_t now = rt_mtime();
        csr_write(CSR_VTIMECMP, now + TIMEBASE_HZ / 500);
        csr_write(CSR_VTIMECTL, (IRQ_UTI << 1) | 1);
        dv_irq_hook = uti_none;
        dv_g_hus_set = vec ? 0 : HUS_UPIE;
        rt_trap_reset();
        run_guest(!vec, g_wait, (long)(now + TIMEBASE_HZ / 50));
        const char *w = vec ? "vectored utvec, VU, guest UIE=0" : "direct utvec, VS, guest UIE=1";
        check_outcome(G, rt_fmt("UTI fires in the guest (%s) -> HU, ucause = 1<<63 | 4", w), R_IPEND,
                      one_trap(INTR | IRQ_UTI, LVL_HU, 1), trap_desc());
        if (rt_ntraps()) {
            check(G, rt_fmt("UTI exit (%s): uepc inside the guest loop", w), R_ROUTE,
                  rt_trap(0)->epc >= (uintptr_t)g_wait && rt_trap(0)->epc < (uintptr_t)g_wait + 8);
            check_eq(G, rt_fmt("UTI exit (%s): UPV = 1, UPVP = %d", w, !vec), R_ROUTE,
                     rt_trap(0)->status & (HUS_UPV | HUS_UPVP), vec ? HUS_UPV : HUS_UPV | HUS_UPVP);
            check_eq(G, rt_fmt("UTI exit (%s): vector slot", w), R_ROUTE, (uint64_t)rt_trap(0)->vec, vec ? IRQ_UTI : (uint64_t)-1l);
        }
        csr_write(mcounteren, 0); csr_write(scounteren, 0);
    }
    /* not delegated by mideleg: M */
    setup();
    csr_write(mideleg, 0);
    csr_write(CSR_SIDELEG, 0);
    csr_write(mie, 1ul << IRQ_UTI);
    csr_write(CSR_VTIMECMP, 0);
    csr_write(CSR_VTIMECTL, (IRQ_UTI << 1) | 1);
    rt_trap_reset();
    run_guest(1, g_spin, 0);
    check_outcome(G, "UTI with mideleg[4]=0 -> M", R_ROUTE, rt_ntraps() >= 1 && rt_trap(0)->cause == (INTR | IRQ_UTI)
                  && rt_trap(0)->level == PRV_M, trap_desc());
    csr_write(CSR_VTIMECTL, 0);
    csr_clear(mip, U_IRQS);
    /* in HU itself (V=0): only with hustatus.UIE=1 */
    setup();
    dv_irq_hook = uti_none;
    rt_trap_reset();
    hu_run(hu_self_irq, 0);
    check_eq(G, "HU (V=0), UTI pending and huie.UTIE=1 but UIE=0: not taken", R_IPEND, (uint64_t)hu_seen_before, 0);
    check_outcome(G, "HU (V=0), UIE=1: UTI taken in HU", R_IPEND, one_trap(INTR | IRQ_UTI, LVL_HU, 0), trap_desc());
    if (rt_ntraps()) check_eq(G, "interrupt in HU itself: UPV = 0", R_ROUTE, rt_trap(0)->status & HUS_UPV, 0);
    dv_reset();
    return 0;
}
