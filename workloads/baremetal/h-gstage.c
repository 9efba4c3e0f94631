/*
 * h-gstage: two-stage address translation (vsatp Bare/Sv39 + hgatp Sv39x4/Sv48x4),
 * guest-page faults 20/21/23 with htval/mtval2 = GPA >> 2, GVA, faults on implicit
 * VS-stage page-table accesses (htinst pseudoinstructions), G-stage U bit and A/D,
 * HFENCE.GVMA / HFENCE.VVMA.
 */
#include "h.h"

#define G "h-gstage"
#define R_2S   "priv H 8.5 two-stage translation"
#define R_GPF  "priv H 8.5.1 guest-page faults, 8.4.3 mtval2 / 8.2.12 htval"
#define R_GVA  "priv H 8.4.1 mstatus.GVA / 8.2.1 hstatus.GVA"
#define R_IMP  "priv H 8.6.3 htinst/mtinst pseudoinstructions for implicit VS-stage accesses"
#define R_U    "priv H 8.5.1 G-stage: all accesses are treated as U-mode"
#define R_FENCE "priv H 8.3.2 HFENCE.VVMA / HFENCE.GVMA"

const char *const QEMU_DEVIATION[] = {
    "h-gstage: Sv39+Sv39x4 store, VS PTE read not G-mapped -> cause 23 in M",
    "h-gstage: Sv39+Sv39x4 fetch, VS PTE read not G-mapped -> cause 20 in M",
    "h-gstage: Sv39x4: GPA with bit 40 set uses root entry 1026 (11-bit index)",
    "h-gstage: Sv39x4: GPA with bit 40 set: no trap",
    0
};

#define PTE_V 1ul
#define PTE_R 2ul
#define PTE_W 4ul
#define PTE_X 8ul
#define PTE_U 16ul
#define PTE_A 64ul
#define PTE_D 128ul
#define PTE(pa, f) ((((uintptr_t)(pa)) >> 12) << 10 | (f))
#define GURWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)

static uint64_t groot[2048] __attribute__((aligned(16384)));    /* Sv39x4 root */
static uint64_t groot48[2048] __attribute__((aligned(16384)));  /* Sv48x4 root */
static uint64_t g48l2[512] __attribute__((aligned(4096)));
static uint64_t gl1[512] __attribute__((aligned(4096)));        /* GPA 0x1_0000_0000.. */
static uint64_t gl0[512] __attribute__((aligned(4096)));
static uint64_t vroot[512] __attribute__((aligned(4096)));      /* VS-stage Sv39 */
static uint64_t vl1[512] __attribute__((aligned(4096)));
static uint64_t vl0[512] __attribute__((aligned(4096)));
static volatile uint64_t pg[6][512] __attribute__((aligned(4096)));

#define GPA_BASE 0x100000000ul
#define GPA(i)   (GPA_BASE + 0x1000ul * (i))
/* GPA pages: 0 -> pg[0] RW, 1 unmapped, 2 -> pg[2] read-only, 3 -> pg[3] no U,
 * 4 -> code page (X only), 5 -> pg[5] A=D=0, 6 unmapped (holds no VS table) */
#define VA_BASE  0x40000000ul
#define VA(i)    (VA_BASE + 0x1000ul * (i))
#define VA_BADPT 0xC0000000ul       /* VS root entry 3 points at GPA(6) */

SITE(v_ld, "ld a0, 0(a0)");
SITE(v_sd, "li t0, 0x5d5d\n\tsd t0, 0(a0)");
SITE(v_call, "addi sp, sp, -16\n\tsd ra, 0(sp)\n\tjalr a0\n\tld ra, 0(sp)\n\taddi sp, sp, 16");
__asm__(".pushsection .text\n.balign 4096\n.globl code_page\ncode_page:\n\tli a0, 0x77\n\tret\n.balign 4096\n.popsection");
extern char code_page[];

static void build(void)
{
    memset(groot, 0, sizeof groot);
    memset(gl1, 0, sizeof gl1);
    memset(gl0, 0, sizeof gl0);
    groot[2] = PTE(0x80000000ul, GURWX);            /* RAM identity, 1 GiB */
    groot[4] = PTE(gl1, PTE_V);
    gl1[0] = PTE(gl0, PTE_V);
    gl0[0] = PTE(pg[0], GURWX);
    gl0[2] = PTE(pg[2], PTE_V | PTE_R | PTE_U | PTE_A | PTE_D);
    gl0[3] = PTE(pg[3], PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    gl0[4] = PTE(code_page, PTE_V | PTE_X | PTE_U | PTE_A);
    gl0[5] = PTE(pg[5], PTE_V | PTE_R | PTE_W | PTE_U);
    memset(groot48, 0, sizeof groot48);
    memset(g48l2, 0, sizeof g48l2);
    groot48[0] = PTE(g48l2, PTE_V);
    g48l2[2] = PTE(0x80000000ul, GURWX);
    g48l2[4] = PTE(gl1, PTE_V);
    memset(vroot, 0, sizeof vroot);
    memset(vl1, 0, sizeof vl1);
    memset(vl0, 0, sizeof vl0);
    vroot[2] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    vroot[1] = PTE(vl1, PTE_V);
    vroot[3] = PTE(GPA(6), PTE_V);                  /* table in unmapped guest memory */
    vl1[0] = PTE(vl0, PTE_V);
    for (int i = 0; i < 6; i++) vl0[i] = PTE(GPA(i), PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    vl0[7] = 0;                                     /* VA(7): VS-stage invalid */
    for (int i = 0; i < 6; i++) pg[i][0] = 0x1000 + i;
    __asm__ volatile("sfence.vma\n\thfence.gvma\n\thfence.vvma" ::: "memory");
}
static void hgatp_on(int sv48)
{
    csr_write(hgatp, sv48 ? ATP_MODE_SV48 | ((uintptr_t)groot48 >> 12) : ATP_MODE_SV39 | ((uintptr_t)groot >> 12));
    __asm__ volatile("hfence.gvma" ::: "memory");
}
static void vsatp_on(void)
{
    csr_write(vsatp, ATP_MODE_SV39 | ((uintptr_t)vroot >> 12));
    __asm__ volatile("hfence.vvma" ::: "memory");
}

/* One fault check: exactly one trap with cause at level, tval = va, GPA in tval2. */
static void fault(const char *what, uint64_t cause, int level, uint64_t va, uint64_t gpa)
{
    int n = rt_ntraps();
    volatile struct trap_rec *t = rt_trap(0);
    check_outcome(G, rt_fmt("%s -> cause %lu in %s", what, cause, lvl_name(level)), R_GPF,
                  one_trap(cause, level, 1), trap_desc());
    if (!n) return;
    check_eq(G, rt_fmt("%s: %s = guest VA", what, level == PRV_M ? "mtval" : "stval"), R_GPF, t->tval, va);
    check_eq(G, rt_fmt("%s: %s = GPA >> 2", what, level == PRV_M ? "mtval2" : "htval"), R_GPF, t->tval2, gpa >> 2);
    check_eq(G, rt_fmt("%s: GVA = 1", what), R_GVA, t->gva, 1);
}

int main(void)
{
    h_reset();
    build();

    /* vsatp Bare + hgatp Sv39x4 */
    hgatp_on(0);
    check_eq(G, "Bare+Sv39x4: VS code runs from the identity-mapped 16 KiB-root table, load GPA page 0", R_2S,
             rt_run(VS, FN(v_ld), (long)GPA(0)), 0x1000);
    check_eq(G, "Bare+Sv39x4: no traps", R_2S, rt_ntraps(), 0);
    check_eq(G, "Bare+Sv39x4: GPA above 4 GiB (root index 4 of 2048)", R_2S, rt_run(VU, FN(v_ld), (long)GPA(2)), 0x1002);
    rt_trap_reset();
    rt_run(VS, FN(v_sd), (long)GPA(0));
    check_eq(G, "Bare+Sv39x4: store reaches the host page", R_2S, pg[0][0], 0x5d5d);
    pg[0][0] = 0x1000;
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)GPA(1) + 8);
    fault("Bare+Sv39x4 load, G-stage invalid", CAUSE_LOAD_GPAGE, PRV_M, GPA(1) + 8, GPA(1) + 8);
    if (rt_ntraps()) {
        uint64_t ti = rt_trap(0)->tinst, in = rt_trap(0)->insn;
        uint64_t keep = 0x7f | (0x1f << 7) | (7 << 12);
        /* A compressed load transforms to its 32-bit form with bit 1 cleared (c.ld rd' -> ld, rd = 8 + rd'). */
        int compressed = (in & 3) != 3;
        int ok32 = (ti & keep & ~2ul) == (in & keep & ~2ul);
        int ok16 = (ti & 3) == 1 && ((ti >> 12) & 7) == 3 && ((ti >> 15) & 0x1f) == 0 && ((ti >> 7) & 0x1f) == 8 + ((in >> 2) & 7);
        check_outcome(G, "explicit load guest-page fault: mtinst = 0 or the transformed load", R_IMP,
                      ti == 0 || (compressed ? ok16 : ok32),
                      rt_fmt("mtinst 0x%lx, insn 0x%lx", ti, in));
    }
    rt_trap_reset();
    rt_run(VS, FN(v_sd), (long)GPA(2));
    fault("Bare+Sv39x4 store to read-only G page", CAUSE_STORE_GPAGE, PRV_M, GPA(2), GPA(2));
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)GPA(3));
    fault("Bare+Sv39x4 load from G page with U=0", CAUSE_LOAD_GPAGE, PRV_M, GPA(3), GPA(3));
    check_eq(G, "Bare+Sv39x4: G page with U=0 not read (even from VS)", R_U, rt_ntraps() == 1 ? 0 : 1, 0);
    rt_trap_reset();
    check_eq(G, "Bare+Sv39x4: fetch from an X-only G page", R_2S, rt_run(VS, FN(v_call), (long)GPA(4)), 0x77);
    rt_trap_reset();
    rt_run(VS, FN(v_call), (long)GPA(1));
    fault("Bare+Sv39x4 fetch, G-stage invalid", CAUSE_FETCH_GPAGE, PRV_M, GPA(1), GPA(1));
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)GPA(4));
    fault("Bare+Sv39x4 load from X-only G page", CAUSE_LOAD_GPAGE, PRV_M, GPA(4), GPA(4));

    /* delegated to HS: htval, stval, hstatus.GVA */
    h_reset();
    hgatp_on(0);
    csr_write(medeleg, (1ul << CAUSE_LOAD_GPAGE) | (1ul << CAUSE_STORE_GPAGE) | (1ul << CAUSE_FETCH_GPAGE));
    rt_run(VS, FN(v_ld), (long)GPA(1) + 0x10);
    fault("Bare+Sv39x4 load (medeleg[21])", CAUSE_LOAD_GPAGE, PRV_S, GPA(1) + 0x10, GPA(1) + 0x10);
    rt_trap_reset();
    rt_run(VU, FN(v_sd), (long)GPA(2) + 0x18);
    fault("Bare+Sv39x4 store from VU (medeleg[23])", CAUSE_STORE_GPAGE, PRV_S, GPA(2) + 0x18, GPA(2) + 0x18);
    if (rt_ntraps()) check_eq(G, "guest-page fault from VU to HS: hstatus.SPVP = 0", R_GVA, rt_trap(0)->hstatus & HSTATUS_SPVP, 0);
    rt_trap_reset();
    rt_run(VS, FN(v_call), (long)GPA(1));
    fault("Bare+Sv39x4 fetch (medeleg[20])", CAUSE_FETCH_GPAGE, PRV_S, GPA(1), GPA(1));
    /* guest-page faults cannot go to VS */
    h_reset();
    hgatp_on(0);
    csr_write(medeleg, 1ul << CAUSE_LOAD_GPAGE);
    csr_write(hedeleg, ~0ul);
    rt_run(VS, FN(v_ld), (long)GPA(1));
    check_outcome(G, "guest-page fault with hedeleg all ones still goes to HS", "priv H 8.2.2 hedeleg bits 20-23 read-only 0",
                  one_trap(CAUSE_LOAD_GPAGE, PRV_S, 1), trap_desc());

    /* vsatp Sv39 + hgatp Sv39x4 */
    h_reset();
    build();
    hgatp_on(0);
    vsatp_on();
    check_eq(G, "Sv39+Sv39x4: load VA page 0 -> GPA page 0", R_2S, rt_run(VS, FN(v_ld), (long)VA(0)), 0x1000);
    check_eq(G, "Sv39+Sv39x4: load VA page 2 -> GPA page 2", R_2S, rt_run(VS, FN(v_ld), (long)VA(2)), 0x1002);
    check_eq(G, "Sv39+Sv39x4: no traps", R_2S, rt_ntraps(), 0);
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)VA(1) + 0x20);
    fault("Sv39+Sv39x4 load, leaf GPA not G-mapped", CAUSE_LOAD_GPAGE, PRV_M, VA(1) + 0x20, GPA(1) + 0x20);
    rt_trap_reset();
    rt_run(VS, FN(v_sd), (long)VA(2));
    fault("Sv39+Sv39x4 store, G page read-only", CAUSE_STORE_GPAGE, PRV_M, VA(2), GPA(2));
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)VA(7));
    check_outcome(G, "Sv39+Sv39x4 load, VS-stage invalid -> cause 13 (not a guest-page fault)", R_2S,
                  one_trap(CAUSE_LOAD_PAGE, PRV_M, 1), trap_desc());
    if (rt_ntraps()) {
        check_eq(G, "VS-stage page fault: mtval = VA", R_2S, rt_trap(0)->tval, VA(7));
        check_eq(G, "VS-stage page fault: mtval2 = 0", R_GPF, rt_trap(0)->tval2, 0);
        check_eq(G, "VS-stage page fault: GVA = 1", R_GVA, rt_trap(0)->gva, 1);
    }
    /* implicit access: the VS page-table page at GPA(6) has no G-stage mapping */
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)VA_BADPT + 0x28);
    fault("Sv39+Sv39x4 load, VS PTE read not G-mapped", CAUSE_LOAD_GPAGE, PRV_M, VA_BADPT + 0x28, GPA(6));
    if (rt_ntraps()) check_eq(G, "implicit VS PTE read fault on a load: mtinst = 0x3000 (64-bit read)", R_IMP, rt_trap(0)->tinst, 0x3000);
    rt_trap_reset();
    rt_run(VS, FN(v_sd), (long)VA_BADPT + 0x30);
    fault("Sv39+Sv39x4 store, VS PTE read not G-mapped", CAUSE_STORE_GPAGE, PRV_M, VA_BADPT + 0x30, GPA(6));
    if (rt_ntraps()) check_eq(G, "implicit VS PTE read fault on a store: mtinst = 0x3000 (64-bit read)", R_IMP, rt_trap(0)->tinst, 0x3000);
    rt_trap_reset();
    rt_run(VS, FN(v_call), (long)VA_BADPT);
    fault("Sv39+Sv39x4 fetch, VS PTE read not G-mapped", CAUSE_FETCH_GPAGE, PRV_M, VA_BADPT, GPA(6));
    if (rt_ntraps()) check_eq(G, "implicit VS PTE read fault on a fetch: mtinst = 0x3000", R_IMP, rt_trap(0)->tinst, 0x3000);
    h_reset();
    hgatp_on(0);
    vsatp_on();
    csr_write(medeleg, 1ul << CAUSE_LOAD_GPAGE);
    rt_run(VS, FN(v_ld), (long)VA_BADPT + 0x28);
    fault("Sv39+Sv39x4 load, VS PTE not G-mapped (medeleg[21])", CAUSE_LOAD_GPAGE, PRV_S, VA_BADPT + 0x28, GPA(6));
    if (rt_ntraps()) check_eq(G, "implicit VS PTE read fault in HS: htinst = 0x3000", R_IMP, rt_trap(0)->tinst, 0x3000);
    /* G-stage A/D */
    h_reset();
    hgatp_on(0);
    rt_run(VS, FN(v_ld), (long)GPA(5));
    int n = rt_ntraps();
    check_outcome(G, "G-stage A=0: load sets A or raises cause 21", "priv H 8.5.1 / 4.3.1 A/D",
                  (n == 0 && (gl0[5] & PTE_A)) || one_trap(CAUSE_LOAD_GPAGE, PRV_M, 1), n ? "guest-page fault" : "A set");
    rt_trap_reset();
    rt_run(VS, FN(v_sd), (long)GPA(5));
    n = rt_ntraps();
    check_outcome(G, "G-stage D=0: store sets D or raises cause 23", "priv H 8.5.1 / 4.3.1 A/D",
                  (n == 0 && (gl0[5] & PTE_D)) || one_trap(CAUSE_STORE_GPAGE, PRV_M, 1), n ? "guest-page fault" : "D set");
    /* VS-stage A/D update through the G-stage: gl0 entry for the VS table page */

    /* HFENCE.GVMA: G-stage PTE change */
    h_reset();
    build();
    hgatp_on(0);
    check_eq(G, "before G-stage PTE change", R_FENCE, rt_run(VS, FN(v_ld), (long)GPA(0)), 0x1000);
    gl0[0] = PTE(pg[1], GURWX);
    __asm__ volatile("hfence.gvma" ::: "memory");
    check_eq(G, "after G-stage PTE change + HFENCE.GVMA: new page", R_FENCE, rt_run(VS, FN(v_ld), (long)GPA(0)), 0x1001);
    gl0[0] = 0;
    __asm__ volatile("hfence.gvma %0, zero" :: "r"(GPA(0) >> 2) : "memory");
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)GPA(0));
    check_outcome(G, "G-stage PTE cleared + HFENCE.GVMA gaddr: guest-page fault", R_FENCE, one_trap(CAUSE_LOAD_GPAGE, PRV_M, 1), trap_desc());
    /* HFENCE.VVMA: VS-stage PTE change */
    h_reset();
    build();
    hgatp_on(0);
    vsatp_on();
    check_eq(G, "before VS-stage PTE change", R_FENCE, rt_run(VS, FN(v_ld), (long)VA(0)), 0x1000);
    vl0[0] = PTE(GPA(2), PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    __asm__ volatile("hfence.vvma %0, zero" :: "r"(VA(0)) : "memory");
    check_eq(G, "after VS-stage PTE change + HFENCE.VVMA vaddr: new page", R_FENCE, rt_run(VS, FN(v_ld), (long)VA(0)), 0x1002);

    /* Sv48x4 */
    h_reset();
    build();
    hgatp_on(1);
    check_eq(G, "Bare+Sv48x4: load GPA page 0", R_2S, rt_run(VS, FN(v_ld), (long)GPA(0)), 0x1000);
    check_eq(G, "Bare+Sv48x4: no traps", R_2S, rt_ntraps(), 0);
    vsatp_on();
    check_eq(G, "Sv39+Sv48x4: load VA page 2", R_2S, rt_run(VS, FN(v_ld), (long)VA(2)), 0x1002);
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)VA(1));
    fault("Sv39+Sv48x4 load, leaf GPA not G-mapped", CAUSE_LOAD_GPAGE, PRV_M, VA(1), GPA(1));
    /* Sv39x4 top index: GPA bit 40 set is still inside the 41-bit space, bit 41 is not */
    h_reset();
    build();
    groot[1024 + 2] = PTE(0x80000000ul, GURWX);     /* GPA 0x100_8000_0000 -> RAM */
    hgatp_on(0);
    check_eq(G, "Sv39x4: GPA with bit 40 set uses root entry 1026 (11-bit index)", R_2S,
             rt_run(VS, FN(v_ld), (long)(0x10000000000ul + (uintptr_t)&pg[3][0])), 0x1003);
    check_outcome(G, "Sv39x4: GPA with bit 40 set: no trap", R_2S, rt_ntraps() == 0, trap_desc());
    rt_trap_reset();
    rt_run(VS, FN(v_ld), (long)(0x20000000000ul + (uintptr_t)&pg[3][0]));
    check_outcome(G, "Sv39x4 (vsatp Bare): GPA bit 41 set -> guest-page fault", R_2S, one_trap(CAUSE_LOAD_GPAGE, PRV_M, 1), trap_desc());
    h_reset();
    return 0;
}
