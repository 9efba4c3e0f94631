/*
 * dv-huret: huret legality (HU only: U without hstatus.HU, HS and M -> illegal instruction;
 * VS/VU -> virtual instruction), its effects (pc <- uepc, V <- UPV, privilege <- UPVP,
 * UIE <- UPIE, UPIE <- 1, UPV/UPVP <- 0), and the ownership rule: a guest entered by huret
 * translates through hugatp, one entered by sret through hgatp.
 */
#include "dv.h"

#define G "dv-huret"

SITE(s_huret, HURET_WORD);                       /* bare huret, then ret */
SITE(s_land, "li a0, 0x1a4d");                   /* where a huret that should have trapped goes */
/* HU: huret to a0 with UPV = UPVP = 0 (stays in U); the target returns to our caller */
SITE(u_huret_u, "csrw 0x041, a0\n\tli t0, 0x180\n\tcsrc 0x800, t0\n.globl u_huret_u_at\nu_huret_u_at:\n\t" HURET_WORD
                "\n\tli a0, 0\n");
extern char u_huret_u_at[];
SITE(u_land, "csrr a0, 0x800");                  /* returns hustatus as seen after the huret */
ECALL_SITE(ec);
SITE(mark, "csrw sscratch, a0");                 /* in VS: vsscratch */
SITE(v_ld, "ld a0, 0(a0)");
/* HS: enter V=1 at a1 with SPP = a0 via sret (HS-owned guest); the target returns through rt_lower_return */
SITE(hs_enter, "li t0, 0x80\n\tcsrs hstatus, t0\n\t"
               "li t0, 0x100\n\tcsrc sstatus, t0\n\tslli a0, a0, 8\n\tcsrs sstatus, a0\n\t"
               "csrw sepc, a1\n\tmv a0, a2\n\tla ra, rt_lower_return\n\tsret");
static volatile uintptr_t hs_fn;
static long hs_guest(long a) { return ((long (*)(long, uintptr_t, long))(uintptr_t)hs_enter)(1, hs_fn, a); }

static void legal(const char *what, int mode, uint64_t cause, int virt, const char *rule)
{
    dv_reset();
    csr_write(CSR_UEPC, (uintptr_t)s_land);
    rt_trap_reset();
    if (mode == PRV_M) CALL(s_huret, 0);
    else if (mode == -1) run_guest(1, s_huret, 0);
    else if (mode == -2) run_guest(0, s_huret, 0);
    else rt_run(mode, FN(s_huret), 0);
    check_outcome(G, rt_fmt("huret in %s -> cause %lu", what, cause), rule,
                  one_trap(cause, PRV_M, virt) && rt_trap(0)->epc == (uintptr_t)s_huret, trap_desc());
}

static void gload(const char *what, int hu_owned, uint64_t gpa, uint64_t exp)
{
    dv_reset();
    dv_gstage_build();
    dv_gstage_on();
    rt_trap_reset();
    long v;
    if (hu_owned) v = run_guest(1, v_ld, (long)gpa);
    else { hs_fn = (uintptr_t)v_ld; v = rt_run(PRV_S, hs_guest, (long)gpa); }
    if (exp) {
        check_outcome(G, rt_fmt("%s: no trap", what), R_OWN, rt_ntraps() == 0, trap_desc());
        check_eq(G, rt_fmt("%s: value", what), R_OWN, (uint64_t)v, exp);
    } else {
        check_outcome(G, rt_fmt("%s -> load guest-page fault in M", what), R_OWN, one_trap(CAUSE_LOAD_GPAGE, PRV_M, 1), trap_desc());
        if (rt_ntraps()) check_eq(G, rt_fmt("%s: mtval2 = GPA >> 2", what), R_OWN, rt_trap(0)->tval2, gpa >> 2);
    }
}

int main(void)
{
    dv_present();

    /* ---- legality */
    legal("M", PRV_M, CAUSE_ILLEGAL, 0, R_HURET);
    legal("HS", PRV_S, CAUSE_ILLEGAL, 0, R_HURET);
    legal("U with hstatus.HU=0", PRV_U, CAUSE_ILLEGAL, 0, R_HURET);
    legal("VS (entered by mret)", VS, CAUSE_VIRT_INSN, 1, R_EN);
    legal("VU (entered by mret)", VU, CAUSE_VIRT_INSN, 1, R_EN);
    legal("VS (entered by huret)", -1, CAUSE_VIRT_INSN, 1, R_EN);
    legal("VU (entered by huret)", -2, CAUSE_VIRT_INSN, 1, R_EN);

    /* ---- huret in HU with UPV = 0: stays in U, pc <- uepc, status stacking */
    dv_reset();
    csr_write(CSR_HUSTATUS, HUS_UPIE);
    rt_trap_reset();
    long st = hu_run(FN(u_huret_u), (long)(uintptr_t)u_land);
    check_outcome(G, "huret in HU (UPV=0): no trap", R_HURET, rt_ntraps() == 0, trap_desc());
    check(G, "huret in HU (UPV=0): pc <- uepc (landed at the target)", R_HURET, st != 0 && st != (long)(uintptr_t)u_land);
    check_eq(G, "huret with UPIE=1 UIE=0: UIE <- 1, UPIE <- 1", R_HURET, (uint64_t)st & (HUS_UIE | HUS_UPIE), HUS_UIE | HUS_UPIE);
    check_eq(G, "huret: UPV and UPVP read 0 afterwards", R_HURET, (uint64_t)st & (HUS_UPV | HUS_UPVP), 0);
    dv_reset();
    csr_write(CSR_HUSTATUS, HUS_UIE);
    rt_trap_reset();
    st = hu_run(FN(u_huret_u), (long)(uintptr_t)u_land);
    check_eq(G, "huret with UPIE=0 UIE=1: UIE <- 0, UPIE <- 1", R_HURET, (uint64_t)st & (HUS_UIE | HUS_UPIE), HUS_UPIE);
    check_outcome(G, "huret in HU with UIE=1 before: no trap", R_HURET, rt_ntraps() == 0, trap_desc());

    /* ---- huret into VS / VU (no delegation: guest traps go to M) */
    dv_reset();
    run_guest(1, ec, 0);
    check_outcome(G, "huret UPV=1 UPVP=1 enters VS: ecall -> cause 10 in M with MPV=1", R_HURET,
                  one_trap(CAUSE_ECALL_VS, PRV_M, 1), trap_desc());
    if (rt_ntraps()) {
        check_eq(G, "VS entry: MPP = S", R_HURET, rt_trap(0)->prev, PRV_S);
        check_eq(G, "VS entry: pc <- uepc (mepc = the guest's ecall)", R_HURET, rt_trap(0)->epc, (uintptr_t)ec_at);
    }
    dv_reset();
    run_guest(0, ec, 0);
    check_outcome(G, "huret UPV=1 UPVP=0 enters VU: ecall -> cause 8 in M with MPV=1", R_HURET,
                  one_trap(CAUSE_ECALL_U, PRV_M, 1), trap_desc());
    if (rt_ntraps()) {
        check_eq(G, "VU entry: MPP = U", R_HURET, rt_trap(0)->prev, PRV_U);
        check_eq(G, "VU entry: mepc = the guest's ecall", R_HURET, rt_trap(0)->epc, (uintptr_t)ec_at);
    }
    dv_reset();
    run_guest(1, mark, 0x4e4e);
    check_eq(G, "huret into VS: guest sscratch write lands in vsscratch (V=1, VS)", R_HURET, csr_read(vsscratch), 0x4e4e);
    check_outcome(G, "huret into VS: sscratch write does not trap", R_HURET, rt_ntraps() == 0, trap_desc());
    /* hustatus after a huret into the guest (the guest's exit goes to M, HU never runs again) */
    dv_reset();
    csr_write(CSR_HUSTATUS, HUS_UPIE);
    run_guest(1, mark, 1);
    uint64_t h = csr_read(CSR_HUSTATUS);
    check_eq(G, "after huret into VS: UPV = UPVP = 0", R_HURET, h & (HUS_UPV | HUS_UPVP), 0);
    check_eq(G, "after huret into VS (UPIE=1 UIE=0 before): UIE = 1, UPIE = 1", R_HURET, h & (HUS_UIE | HUS_UPIE), HUS_UIE | HUS_UPIE);
    dv_reset();
    csr_write(CSR_HUSTATUS, HUS_UIE);
    run_guest(0, ec, 0);
    h = csr_read(CSR_HUSTATUS);
    check_eq(G, "after huret into VU (UPIE=0 UIE=1 before): UIE = 0, UPIE = 1, UPV = UPVP = 0", R_HURET,
             h & (HUS_UIE | HUS_UPIE | HUS_UPV | HUS_UPVP), HUS_UPIE);

    /* ---- ownership: hugatp for huret-entered guests, hgatp for sret-entered ones */
    gload("huret guest: load of a GPA mapped only in hugatp", 1, GPA_UONLY, 0xd0d0);
    gload("huret guest: load of a GPA mapped only in hgatp", 1, GPA_HONLY, 0);
    gload("huret guest: load of a GPA mapped in both goes to the hugatp page", 1, GPA_BOTH, 0xd0d2);
    gload("sret guest: load of a GPA mapped only in hgatp", 0, GPA_HONLY, 0xd0d1);
    gload("sret guest: load of a GPA mapped only in hugatp", 0, GPA_UONLY, 0);
    gload("sret guest: load of a GPA mapped in both goes to the hgatp page", 0, GPA_BOTH, 0xd0d3);
    gload("huret guest again after an sret guest: hugatp page", 1, GPA_BOTH, 0xd0d2);

    /* ---- not specified: huret with UPV=0 and UPVP=1 (privilege <- UPVP would be S) */
    dv_reset();
    csr_write(CSR_HUSTATUS, HUS_UPVP);
    csr_set(hstatus, HSTATUS_HU);
    csr_write(CSR_UEPC, (uintptr_t)ec);
    rt_trap_reset();
    SITE(u_huret_keep, HURET_WORD);
    rt_run(PRV_U, FN(u_huret_keep), 0);
    if (rt_ntraps()) note("huret with UPV=0 UPVP=1 (not specified): first trap cause %lu level %d virt %d prev %d",
                          rt_trap(0)->cause, rt_trap(0)->level, rt_trap(0)->virt, rt_trap(0)->prev);
    else note("huret with UPV=0 UPVP=1 (not specified): no trap");
    dv_reset();
    return 0;
}
