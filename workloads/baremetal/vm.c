/*
 * vm.c - Sv39 and Sv48 paging: identity and offset mappings, super pages,
 * load/store/fetch page faults (causes 13/15/12, stval = va) for invalid
 * PTEs, missing R/W/X, W without R, U pages from S (SUM) and from U, fetch
 * from a U page in S, MXR, a misaligned super page, non-canonical addresses,
 * A/D bits (hardware update or fault: both legal), SFENCE.VMA after a PTE
 * change, and MPRV with MPP = S/U from M.
 *
 * Each test page holds a marker at +0 (loads) and "li a0,0x55; ret" at +64.
 *
 * Layout (same VA layout for both modes; Sv48 adds a root whose entry 0
 * points at the Sv39-style 1 GiB table):
 *   VA 0x0000_0000 GiB  identity, RW, S only   (UART, CLINT, PLIC, finisher)
 *   VA 0x8000_0000 GiB  identity, RWX, S only  (this program)
 *   VA 0x1_0000_0000 GiB -> PA 0x8000_0000, RWX, U (the same program for U code)
 *   VA 0x4000_0000 + i*4K  test pages (L0 table), 0x4020_0000 misaligned 2 MiB
 *   leaf, 0x4040_0000 2 MiB leaf -> PA 0x8000_0000 (R).
 * Page faults are delegated to S and recorded by the S handler.
 */
#include "rt.h"
#include "sites.h"

#define PTE_V 1ul
#define PTE_R 2ul
#define PTE_W 4ul
#define PTE_X 8ul
#define PTE_U 16ul
#define PTE_A 64ul
#define PTE_D 128ul
#define PTE(pa, fl) ((((uint64_t)(uintptr_t)(pa)) >> 12 << 10) | (fl))
#define TEST_VA 0x40000000ul
#define VA(i) (TEST_VA + (uint64_t)(i) * 4096)
#define ALIAS 0x80000000ul      /* U alias VA = PA + ALIAS */
#define NPAGES 12
#define CODE(va) ((va) + 64)   /* fetch probes call the code at +64 */

static uint64_t pt_root[512] __attribute__((aligned(4096)));
static uint64_t pt_l2[512] __attribute__((aligned(4096)));
static uint64_t pt_l1[512] __attribute__((aligned(4096)));
static uint64_t pt_l0[512] __attribute__((aligned(4096)));
static uint8_t pages[NPAGES][4096] __attribute__((aligned(4096)));

enum { P_INV, P_R, P_RW, P_X, P_W, P_U, P_NOA, P_NOD, P_SF, P_SF2, P_RWX };
static const uint64_t flags[] = {
    [P_INV] = PTE_R | PTE_W | PTE_A | PTE_D,                 /* V = 0 */
    [P_R] = PTE_V | PTE_R | PTE_A | PTE_D,
    [P_RW] = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D,
    [P_X] = PTE_V | PTE_X | PTE_A | PTE_D,
    [P_W] = PTE_V | PTE_W | PTE_A | PTE_D,                   /* W without R: reserved */
    [P_U] = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D,
    [P_NOA] = PTE_V | PTE_R | PTE_W | PTE_D,                 /* A = 0 */
    [P_NOD] = PTE_V | PTE_R | PTE_W | PTE_A,                 /* D = 0 */
    [P_SF] = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D,          /* remapped by the sfence test */
    [P_SF2] = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D,
    [P_RWX] = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D,
};

static const char *G;
static volatile uint64_t *sf_pte;
static uint64_t sf_new;

/* S-mode probes */
static long s_load(long va) { return *(volatile uint64_t *)va; }
static long s_store(long va) { *(volatile uint64_t *)va = 0x5354; return 0; }
static long s_fetch(long va) { long r = ((long (*)(long))va)(0); __asm__ volatile("" ::: "memory"); return r + 0; }
static long s_sfence(long va)
{
    long a = *(volatile uint64_t *)va;
    *sf_pte = sf_new;
    __asm__ volatile("sfence.vma %0" :: "r"(va) : "memory");
    long b = *(volatile uint64_t *)va;
    return (a != b) ? b : 0;
}
/* U-mode probes (run at the U alias) */
static long u_load(long va) { return *(volatile uint64_t *)va; }
static long u_fetch(long va) { return ((long (*)(long))va)(0); }

static long run_u(long (*fn)(long), long arg)
{
    return rt_run_raw(PRV_U, (uintptr_t)fn + ALIAS, arg, rt_lower_stack_top() + ALIAS,
                      (uintptr_t)rt_lower_return + ALIAS);
}

static void build(int levels)
{
    memset(pt_root, 0, sizeof pt_root);
    memset(pt_l2, 0, sizeof pt_l2);
    memset(pt_l1, 0, sizeof pt_l1);
    memset(pt_l0, 0, sizeof pt_l0);
    pt_l2[0] = PTE(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    pt_l2[2] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    pt_l2[4] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
    pt_l2[1] = PTE(pt_l1, PTE_V);
    pt_l1[0] = PTE(pt_l0, PTE_V);
    uint64_t ppn = (uintptr_t)pages[0] >> 12;
    if ((ppn & 0x1ff) == 0) ppn |= 1;
    pt_l1[1] = (ppn << 10) | PTE_V | PTE_R | PTE_A | PTE_D;          /* misaligned 2 MiB leaf */
    pt_l1[2] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_A | PTE_D);     /* aligned 2 MiB leaf */
    for (int i = 0; i < NPAGES; i++) {
        uint32_t *w = (uint32_t *)pages[i];
        w[0] = 0xa0 + i;        /* marker (what loads read) */
        w[1] = 0x6d61726b;
        w[16] = 0x05500513;     /* +64: li a0, 0x55 */
        w[17] = 0x00008067;     /*      ret */
        if (i < (int)(sizeof flags / sizeof flags[0])) pt_l0[i] = PTE(pages[i], flags[i]);
    }
    __asm__ volatile("fence.i" ::: "memory");
    uint64_t root;
    if (levels == 4) {
        pt_root[0] = PTE(pt_l2, PTE_V);
        root = (9ul << 60) | ((uintptr_t)pt_root >> 12);
    } else {
        root = (8ul << 60) | ((uintptr_t)pt_l2 >> 12);
    }
    csr_write(satp, root);
    __asm__ volatile("sfence.vma" ::: "memory");
}

static uint64_t phys(int i) { return *(volatile uint64_t *)pages[i]; }

/* Run a probe in S; expect a page fault with cause (or none if cause < 0). */
static void expect_s(const char *what, const char *rule, long (*fn)(long), uint64_t va, long cause, uint64_t want)
{
    rt_trap_reset();
    long v = rt_run(PRV_S, fn, (long)va);
    int n = rt_ntraps();
    if (cause < 0) {
        if (n) {
            printf("  unexpected trap: cause %lu tval 0x%lx epc 0x%lx\n", rt_trap(0)->cause, rt_trap(0)->tval, rt_trap(0)->epc);
            check_eq(G, what, rule, n, 0);
        } else {
            check_eq(G, what, rule, (uint64_t)v, want);
        }
        return;
    }
    if (n != 1) { check_eq(G, what, rule, n, 1); return; }
    volatile struct trap_rec *r = rt_trap(0);
    if (r->cause != (uint64_t)cause) { check_eq(G, what, rule, r->cause, cause); return; }
    check_eq(G, what, rule, r->tval, va);    /* cause ok: stval must be the va */
}

static long run_u_expect(const char *what, const char *rule, long (*fn)(long), uint64_t va, long cause)
{
    rt_trap_reset();
    long v = run_u(fn, (long)va);
    int n = rt_ntraps();
    if (cause < 0) { check_eq(G, what, rule, n, 0); return v; }
    if (n != 1) { check_eq(G, what, rule, n, 1); return v; }
    volatile struct trap_rec *r = rt_trap(0);
    if (r->cause != (uint64_t)cause) { check_eq(G, what, rule, r->cause, cause); return v; }
    check_eq(G, what, rule, r->tval, va);
    return v;
}

static uint64_t mprv_load(uint64_t va, int mpp, uint64_t extra)
{
    uint64_t v = 0xdead;
    csr_clear(mstatus, MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR);
    csr_set(mstatus, ((uint64_t)mpp << 11) | extra);
    __asm__ volatile("csrs mstatus, %1\n\tld %0, 0(%2)\n\tcsrc mstatus, %1"
                     : "+r"(v) : "r"(MSTATUS_MPRV), "r"(va) : "memory");
    csr_clear(mstatus, MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR);
    return v;
}

static void run_mode(int levels)
{
    G = levels == 4 ? "sv48" : "sv39";
    const char *PF = levels == 4 ? "priv 4.5 Sv48 (4.3.2 translation)" : "priv 4.4 Sv39 (4.3.2 translation)";
    build(levels);
    check_eq(G, "satp MODE reads back", "priv 4.1.11 satp", csr_read(satp) >> 60, levels == 4 ? 9 : 8);
    csr_write(medeleg, (1ul << CAUSE_FETCH_PAGE) | (1ul << CAUSE_LOAD_PAGE) | (1ul << CAUSE_STORE_PAGE));
    csr_clear(mstatus, MSTATUS_SUM | MSTATUS_MXR);

    /* identity and offset mappings */
    expect_s("identity GiB page: S code runs and reads its data", PF, s_load, (uintptr_t)pages[2], -1, phys(2));
    expect_s("offset 4 KiB mapping reads the backing page", PF, s_load, VA(P_RW), -1, phys(P_RW));
    expect_s("aligned 2 MiB super page reads the backing memory", PF, s_load, 0x40400000ul + ((uintptr_t)pages[1] - 0x80000000ul), -1, phys(1));
    expect_s("fetch from X page executes", PF, s_fetch, CODE(VA(P_X)), -1, 0x55);
    expect_s("fetch from RWX page executes", PF, s_fetch, CODE(VA(P_RWX)), -1, 0x55);
    expect_s("store to RW page", PF, s_store, VA(P_RW), -1, 0);
    check_eq(G, "store to RW page reached the backing page", PF, phys(P_RW), 0x5354);

    /* invalid PTE */
    expect_s("load, V=0: load page fault, stval = va", PF, s_load, VA(P_INV), CAUSE_LOAD_PAGE, 0);
    expect_s("store, V=0: store page fault, stval = va", PF, s_store, VA(P_INV), CAUSE_STORE_PAGE, 0);
    expect_s("fetch, V=0: fetch page fault, stval = va", PF, s_fetch, CODE(VA(P_INV)), CAUSE_FETCH_PAGE, 0);
    expect_s("load, unmapped L1 entry: load page fault", PF, s_load, TEST_VA + 0x600000, CAUSE_LOAD_PAGE, 0);
    /* missing permissions */
    expect_s("store to R-only page: store page fault", PF, s_store, VA(P_R), CAUSE_STORE_PAGE, 0);
    expect_s("fetch from R-only page: fetch page fault", PF, s_fetch, CODE(VA(P_R)), CAUSE_FETCH_PAGE, 0);
    expect_s("fetch from RW page: fetch page fault", PF, s_fetch, CODE(VA(P_RW)), CAUSE_FETCH_PAGE, 0);
    expect_s("load from X-only page, MXR=0: load page fault", PF, s_load, VA(P_X), CAUSE_LOAD_PAGE, 0);
    expect_s("store to X-only page: store page fault", PF, s_store, VA(P_X), CAUSE_STORE_PAGE, 0);
    csr_set(mstatus, MSTATUS_MXR);
    expect_s("load from X-only page, MXR=1: allowed", "priv 4.1.1.2 sstatus.MXR", s_load, VA(P_X), -1, phys(P_X));
    csr_clear(mstatus, MSTATUS_MXR);
    /* W without R is reserved */
    expect_s("load, W=1 R=0 (reserved): load page fault", "priv 4.3.1 PTE W without R reserved", s_load, VA(P_W), CAUSE_LOAD_PAGE, 0);
    expect_s("store, W=1 R=0 (reserved): store page fault", "priv 4.3.1 PTE W without R reserved", s_store, VA(P_W), CAUSE_STORE_PAGE, 0);
    /* U pages from S */
    expect_s("S load from U page, SUM=0: load page fault", "priv 4.1.1.2 sstatus.SUM", s_load, VA(P_U), CAUSE_LOAD_PAGE, 0);
    expect_s("S store to U page, SUM=0: store page fault", "priv 4.1.1.2 sstatus.SUM", s_store, VA(P_U), CAUSE_STORE_PAGE, 0);
    csr_set(mstatus, MSTATUS_SUM);
    expect_s("S load from U page, SUM=1: allowed", "priv 4.1.1.2 sstatus.SUM", s_load, VA(P_U), -1, phys(P_U));
    expect_s("S load through the U alias, SUM=1: same memory", "priv 4.1.1.2 sstatus.SUM", s_load,
             (uintptr_t)pages[3] + ALIAS, -1, phys(3));
    expect_s("S fetch from U page, SUM=1: fetch page fault", "priv 4.3.1 S never executes U pages", s_fetch, CODE(VA(P_U)), CAUSE_FETCH_PAGE, 0);
    csr_clear(mstatus, MSTATUS_SUM);
    expect_s("S fetch from U page, SUM=0: fetch page fault", "priv 4.3.1 S never executes U pages", s_fetch, CODE(VA(P_U)), CAUSE_FETCH_PAGE, 0);
    /* U mode */
    long v = run_u_expect("U load from U page: allowed", "priv 4.3.1 PTE.U", u_load, VA(P_U), -1);
    check_eq(G, "U load from U page: value", "priv 4.3.1 PTE.U", (uint64_t)v, phys(P_U));
    run_u_expect("U load from S page: load page fault", "priv 4.3.1 PTE.U", u_load, VA(P_RW), CAUSE_LOAD_PAGE);
    run_u_expect("U fetch from S page: fetch page fault", "priv 4.3.1 PTE.U", u_fetch, CODE(VA(P_RWX)), CAUSE_FETCH_PAGE);
    /* misaligned super page, non-canonical */
    expect_s("misaligned 2 MiB leaf (ppn[0] != 0): load page fault", "priv 4.3.2 step 6 misaligned superpage",
             s_load, 0x40200000ul, CAUSE_LOAD_PAGE, 0);
    uint64_t nc = levels == 4 ? 0x0000800000000000ul : 0x0000004000000000ul;
    expect_s("non-canonical va: load page fault", "priv 4.4.1/4.5.1 va bits above the top must equal it", s_load, nc, CAUSE_LOAD_PAGE, 0);
    expect_s("non-canonical va: store page fault", "priv 4.4.1/4.5.1 va bits above the top must equal it", s_store, nc | 8, CAUSE_STORE_PAGE, 0);

    /* A and D: hardware update or page fault, both allowed */
    rt_trap_reset();
    rt_run(PRV_S, s_load, VA(P_NOA));
    {
        int faulted = rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_LOAD_PAGE && rt_trap(0)->tval == VA(P_NOA);
        int updated = rt_ntraps() == 0 && (pt_l0[P_NOA] & PTE_A);
        check_outcome(G, "load with PTE.A=0: A set by hardware, or load page fault", "priv 4.3.1 A/D bits",
                      faulted || updated, updated ? "A updated" : faulted ? "page fault" : "neither");
    }
    rt_trap_reset();
    rt_run(PRV_S, s_store, VA(P_NOD));
    {
        int faulted = rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_STORE_PAGE && rt_trap(0)->tval == VA(P_NOD);
        int updated = rt_ntraps() == 0 && (pt_l0[P_NOD] & PTE_D);
        check_outcome(G, "store with PTE.D=0: D set by hardware, or store page fault", "priv 4.3.1 A/D bits",
                      faulted || updated, updated ? "D updated" : faulted ? "page fault" : "neither");
    }

    /* sfence.vma makes a changed PTE visible */
    sf_pte = &pt_l0[P_SF];
    sf_new = PTE(pages[P_SF2], flags[P_SF]);
    rt_trap_reset();
    v = rt_run(PRV_S, s_sfence, VA(P_SF));
    check_eq(G, "PTE changed + sfence.vma va: new mapping used", "priv 4.2.1 SFENCE.VMA", (uint64_t)v, phys(P_SF2));

    /* MPRV from M */
    csr_write(medeleg, 0);
    rt_trap_reset();
    uint64_t m = mprv_load(VA(P_RW), PRV_S, 0);
    check_eq(G, "M with MPRV=1, MPP=S: load translated", "priv 3.1.6.3 MPRV", m, phys(P_RW));
    rt_trap_reset();
    m = mprv_load(VA(P_U), PRV_S, 0);
    check(G, "M with MPRV=1, MPP=S, SUM=0: U page load faults in M", "priv 3.1.6.3 MPRV",
          rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_LOAD_PAGE && rt_trap(0)->level == PRV_M && rt_trap(0)->tval == VA(P_U));
    rt_trap_reset();
    m = mprv_load(VA(P_U), PRV_S, MSTATUS_SUM);
    check_eq(G, "M with MPRV=1, MPP=S, SUM=1: U page load allowed", "priv 3.1.6.3 MPRV", m, phys(P_U));
    rt_trap_reset();
    m = mprv_load(VA(P_U), PRV_U, 0);
    check_eq(G, "M with MPRV=1, MPP=U: U page load allowed", "priv 3.1.6.3 MPRV", m, phys(P_U));
    rt_trap_reset();
    m = mprv_load(VA(P_RW), PRV_U, 0);
    check(G, "M with MPRV=1, MPP=U: S page load faults (cause 13 in M)", "priv 3.1.6.3 MPRV",
          rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_LOAD_PAGE && rt_trap(0)->level == PRV_M);
    rt_trap_reset();
    m = *(volatile uint64_t *)pages[P_RW];
    check_eq(G, "M with MPRV=0: satp ignored (physical access)", "priv 3.1.6.3 MPRV", rt_ntraps(), 0);

    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
}

int main(void)
{
    printf("vm: Sv39 / Sv48 paging\n");
    run_mode(3);
    csr_write(satp, 9ul << 60);
    int sv48 = (csr_read(satp) >> 60) == 9;
    csr_write(satp, 0);
    check(G, "Sv48 supported (satp MODE=9 sticks)", "priv 4.1.11 satp WARL", sv48);
    if (sv48) run_mode(4);
    return 0;
}
