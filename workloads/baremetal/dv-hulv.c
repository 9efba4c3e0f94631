/*
 * dv-hulv: HULV/HUSV/HULVX from HU (dv-ext §8): two-stage through vsatp + hugatp, privilege
 * hustatus.UPVP, vsstatus.SUM/MXR, HULVX execute permission, guest-page faults from HU (to M,
 * HS, or HU when medeleg && sedeleg), the standard HLV in HU using hgatp, HUFENCE legality
 * and effect.
 */
#include "dv.h"

#define G "dv-hulv"
#define HULV(f7, rs2) ".insn r 0x73, 4, " #f7 ", %0, %1, " #rs2
#define HUSV(f7) ".insn r 0x73, 4, " #f7 ", x0, %1, %0"

static volatile uint64_t d[2] __attribute__((aligned(16))) = { 0x8182838485868788ul, 0 };
static volatile uint64_t e[4];
static volatile uint64_t res[16];
static uint64_t vroot[512] __attribute__((aligned(4096)));
SITE(code_site, "li a0, 0x123\n\tli a1, 0x456");
SITE(s_hfv, HUFENCE_VVMA_ALL);
SITE(s_hfg, HUFENCE_GVMA_ALL);
SITE(s_hulv, ".insn r 0x73, 4, 0x76, a0, a0, x0");

static long hu_all(long p)
{
    uintptr_t a = (uintptr_t)p;
    unsigned long v;
#define L(i, f7, rs2) __asm__ volatile(HULV(f7, rs2) : "=r"(v) : "r"(a) : "memory"); res[i] = v;
    L(0, 0x70, x0) L(1, 0x70, x1) L(2, 0x72, x0) L(3, 0x72, x1) L(4, 0x74, x0) L(5, 0x74, x1) L(6, 0x76, x0)
    uintptr_t c = (uintptr_t)code_site;
    __asm__ volatile(HULV(0x72, x3) : "=r"(v) : "r"(c) : "memory"); res[7] = v;
    __asm__ volatile(HULV(0x74, x3) : "=r"(v) : "r"(c) : "memory"); res[8] = v;
    __asm__ volatile(HUSV(0x71) :: "r"(0x11ul), "r"(&e[0]) : "memory");
    __asm__ volatile(HUSV(0x73) :: "r"(0x2222ul), "r"(&e[1]) : "memory");
    __asm__ volatile(HUSV(0x75) :: "r"(0x33333333ul), "r"(&e[2]) : "memory");
    __asm__ volatile(HUSV(0x77) :: "r"(0x4444444444444444ul), "r"(&e[3]) : "memory");
    return 0;
}
static long one_ld(long a) { unsigned long v = 0xdead; __asm__ volatile(HULV(0x76, x0) : "+r"(v) : "r"(a) : "memory"); return (long)v; }
static long one_lx(long a) { unsigned long v = 0xdead; __asm__ volatile(HULV(0x72, x3) : "+r"(v) : "r"(a) : "memory"); return (long)v; }
static long one_sd(long a) { __asm__ volatile(HUSV(0x77) :: "r"(0x77ul), "r"(a) : "memory"); return 0; }
static long std_hlv(long a) { unsigned long v = 0xdead; __asm__ volatile("hlv.d %0, (%1)" : "+r"(v) : "r"(a) : "memory"); return (long)v; }

static void setup(void)
{
    dv_reset();
    dv_gstage_build();
    dv_gstage_on();
    csr_set(hstatus, HSTATUS_HU);
    rt_trap_reset();
}
static void probe(const char *what, long (*fn)(long), uintptr_t a, uint64_t cause, int level, uint64_t expv)
{
    rt_trap_reset();
    long v = hu_run(fn, (long)a);
    if (!cause) {
        check_outcome(G, rt_fmt("%s: no trap", what), R_MEM, rt_ntraps() == 0, trap_desc());
        if (expv != ~0ul) check_eq(G, rt_fmt("%s: value", what), R_MEM, (uint64_t)v, expv);
        return;
    }
    check_outcome(G, rt_fmt("%s -> cause %lu in %s", what, cause, lvl_name_dv(level)), R_MEM, one_trap(cause, level, 0), trap_desc());
    if (rt_ntraps()) {
        check_eq(G, rt_fmt("%s: tval = guest VA", what), R_MEM, rt_trap(0)->tval, a);
        check_eq(G, rt_fmt("%s: GVA = 1", what), R_ROUTE, rt_trap(0)->gva, 1);
    }
}

int main(void)
{
    dv_present();
    uint64_t insn = *(volatile uint32_t *)code_site;

    /* ---- every width, vsatp Bare, hugatp identity over RAM */
    setup();
    hu_run(hu_all, (long)d);
    check_outcome(G, "HU: all HULV/HULVX/HUSV forms run without traps", R_MEM, rt_ntraps() == 0, trap_desc());
    check_eq(G, "hulv.b sign-extends", R_MEM, res[0], 0xffffffffffffff88ul);
    check_eq(G, "hulv.bu zero-extends", R_MEM, res[1], 0x88);
    check_eq(G, "hulv.h sign-extends", R_MEM, res[2], 0xffffffffffff8788ul);
    check_eq(G, "hulv.hu zero-extends", R_MEM, res[3], 0x8788);
    check_eq(G, "hulv.w sign-extends", R_MEM, res[4], 0xffffffff85868788ul);
    check_eq(G, "hulv.wu zero-extends", R_MEM, res[5], 0x85868788);
    check_eq(G, "hulv.d", R_MEM, res[6], 0x8182838485868788ul);
    check_eq(G, "hulvx.hu reads code", R_MEM, res[7], insn & 0xffff);
    check_eq(G, "hulvx.wu reads code", R_MEM, res[8], insn);
    check_eq(G, "husv.b", R_MEM, e[0], 0x11);
    check_eq(G, "husv.h", R_MEM, e[1], 0x2222);
    check_eq(G, "husv.w", R_MEM, e[2], 0x33333333);
    check_eq(G, "husv.d", R_MEM, e[3], 0x4444444444444444ul);

    /* ---- G-stage = hugatp; the standard HLV in HU uses hgatp */
    setup();
    probe("hulv.d of a GPA only in hugatp", one_ld, GPA_UONLY, 0, 0, 0xd0d0);
    probe("hulv.d of a GPA in both uses the hugatp page", one_ld, GPA_BOTH, 0, 0, 0xd0d2);
    probe("husv.d to a GPA only in hugatp", one_sd, GPA_UONLY + 8, 0, 0, ~0ul);
    check_eq(G, "husv.d reached the hugatp page", R_MEM, dv_pg[0][1], 0x77);
    probe("hulv.d of a GPA only in hgatp (medeleg[21]=0)", one_ld, GPA_HONLY, CAUSE_LOAD_GPAGE, PRV_M, 0);
    if (rt_ntraps()) check_eq(G, "hulv.d fault in M: mtval2 = GPA >> 2", R_MEM, rt_trap(0)->tval2, GPA_HONLY >> 2);
    probe("hlv.d (standard encoding) in HU of a GPA in both uses hgatp", std_hlv, GPA_BOTH, 0, 0, 0xd0d3);
    setup();
    csr_write(medeleg, 1ul << CAUSE_LOAD_GPAGE | 1ul << CAUSE_STORE_GPAGE);
    probe("hulv.d fault with medeleg[21], sedeleg[21]=0", one_ld, GPA_HONLY + 8, CAUSE_LOAD_GPAGE, PRV_S, 0);
    if (rt_ntraps()) check_eq(G, "hulv.d fault in HS: htval = GPA >> 2", R_MEM, rt_trap(0)->tval2, (GPA_HONLY + 8) >> 2);
    csr_write(CSR_SEDELEG, 1ul << CAUSE_LOAD_GPAGE | 1ul << CAUSE_STORE_GPAGE);
    probe("hulv.d fault with medeleg[21] && sedeleg[21]", one_ld, GPA_HONLY + 16, CAUSE_LOAD_GPAGE, LVL_HU, 0);
    if (rt_ntraps()) {
        check_eq(G, "hulv.d fault in HU: hutval = GPA >> 2", R_ROUTE, rt_trap(0)->tval2, (GPA_HONLY + 16) >> 2);
        check_eq(G, "hulv.d fault in HU: hustatus.UPV = 0 (from HU)", R_ROUTE, rt_trap(0)->virt, 0);
    }
    probe("husv.d fault with medeleg[23] && sedeleg[23]", one_sd, GPA_HONLY + 24, CAUSE_STORE_GPAGE, LVL_HU, 0);

    /* ---- VS stage Sv39: UPVP selects S/U, SUM, MXR, HULVX needs X */
    setup();
    vroot[2] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    vroot[1] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
    vroot[3] = PTE(0x80000000ul, PTE_V | PTE_X | PTE_A | PTE_D);
    csr_write(vsatp, ATP_MODE_SV39 | ((uintptr_t)vroot >> 12));
    __asm__ volatile(HUFENCE_VVMA_ALL "\n\thfence.vvma" ::: "memory");
    uintptr_t off = (uintptr_t)d - 0x80000000ul, coff = (uintptr_t)code_site - 0x80000000ul;
    csr_write(CSR_HUSTATUS, HUS_UPVP);
    probe("UPVP=1: hulv.d of VS S page", one_ld, 0x80000000ul + off, 0, 0, d[0]);
    probe("UPVP=1: hulv.d of VS U page, SUM=0", one_ld, 0x40000000ul + off, CAUSE_LOAD_PAGE, PRV_M, 0);
    probe("UPVP=1: husv.d to VS U page, SUM=0", one_sd, 0x40000000ul + off + 8, CAUSE_STORE_PAGE, PRV_M, 0);
    csr_set(vsstatus, MSTATUS_SUM);
    probe("UPVP=1: hulv.d of VS U page, vsstatus.SUM=1", one_ld, 0x40000000ul + off, 0, 0, d[0]);
    csr_clear(vsstatus, MSTATUS_SUM);
    probe("hulv.d of X-only page, MXR=0", one_ld, 0xC0000000ul + off, CAUSE_LOAD_PAGE, PRV_M, 0);
    csr_set(vsstatus, MSTATUS_MXR);
    probe("hulv.d of X-only page, vsstatus.MXR=1", one_ld, 0xC0000000ul + off, 0, 0, d[0]);
    csr_clear(vsstatus, MSTATUS_MXR);
    probe("hulvx.hu of X-only page", one_lx, 0xC0000000ul + coff, 0, 0, insn & 0xffff);
    csr_write(CSR_HUSTATUS, 0);
    probe("UPVP=0: hulv.d of VS U page", one_ld, 0x40000000ul + off, 0, 0, d[0]);
    probe("UPVP=0: hulv.d of VS S page", one_ld, 0x80000000ul + off, CAUSE_LOAD_PAGE, PRV_M, 0);
    probe("UPVP=0: hulvx.hu of U page without X", one_lx, 0x40000000ul + coff, CAUSE_LOAD_PAGE, PRV_M, 0);
    /* HUFENCE.VVMA: VS PTE change */
    csr_write(CSR_HUSTATUS, HUS_UPVP);
    vroot[2] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_U);     /* now a U page */
    SITE(u_hfv, HUFENCE_VVMA_ALL);
    hu_run(FN(u_hfv), 0);
    probe("after VS PTE S->U + hufence.vvma: UPVP=1 hulv.d faults", one_ld, 0x80000000ul + off, CAUSE_LOAD_PAGE, PRV_M, 0);
    csr_write(vsatp, 0);

    /* HUFENCE.GVMA: hugatp PTE change */
    setup();
    probe("before hugatp PTE change", one_ld, GPA_UONLY, 0, 0, 0xd0d0);
    dv_ul0[0] = PTE(dv_pg[2], GURWX);
    SITE(u_hfg, HUFENCE_GVMA_ALL);
    hu_run(FN(u_hfg), 0);
    probe("after hugatp PTE change + hufence.gvma: new page", one_ld, GPA_UONLY, 0, 0, 0xd0d2);

    /* ---- legality */
    static const struct { const char *n; char *fn; } ins[] = { { "hufence.vvma", s_hfv }, { "hufence.gvma", s_hfg }, { "hulv.d", s_hulv } };
    for (unsigned i = 0; i < 3; i++) {
        setup();
        hu_run(FN(ins[i].fn), (long)d);
        check_outcome(G, rt_fmt("%s in HU: no trap", ins[i].n), R_EN, rt_ntraps() == 0, trap_desc());
        dv_reset();
        rt_run(PRV_U, FN(ins[i].fn), (long)d);
        check_outcome(G, rt_fmt("%s in U with hstatus.HU=0 -> cause 2", ins[i].n), R_EN,
                      one_trap(CAUSE_ILLEGAL, PRV_M, 0) && rt_trap(0)->epc == (uintptr_t)ins[i].fn, trap_desc());
        dv_reset();
        rt_run(VS, FN(ins[i].fn), (long)d);
        check_outcome(G, rt_fmt("%s in VS -> cause 22", ins[i].n), R_EN, one_trap(CAUSE_VIRT_INSN, PRV_M, 1), trap_desc());
        dv_reset();
        rt_run(VU, FN(ins[i].fn), (long)d);
        check_outcome(G, rt_fmt("%s in VU -> cause 22", ins[i].n), R_EN, one_trap(CAUSE_VIRT_INSN, PRV_M, 1), trap_desc());
        dv_reset();
        rt_run(PRV_S, FN(ins[i].fn), (long)d);
        int ns = rt_ntraps();
        rt_trap_reset();
        CALL(ins[i].fn, (long)d);
        note("%s in HS: %s; in M: %s (not specified)", ins[i].n, ns ? "traps" : "no trap", rt_ntraps() ? "traps" : "no trap");
    }
    dv_reset();
    return 0;
}
