/*
 * h-hlv: hypervisor virtual-machine loads and stores (HLV.*, HLVX.*, HSV.*) from
 * HS and from U with hstatus.HU, hstatus.SPVP as the access privilege,
 * vsstatus.SUM/MXR, HLVX execute permission, guest-page faults.
 */
#include "h.h"

#define G "h-hlv"
#define R_HLV "priv H 8.3.1 HLV/HLVX/HSV"
#define R_HU  "priv H 8.2.1 hstatus.HU"
const char *const QEMU_DEVIATION[] = {
    "h-hlv: SPVP=1: hlv.d of VS U page, SUM=0 -> cause 13",
    "h-hlv: SPVP=1: hsv.d to VS U page, SUM=0 -> cause 15",
    "h-hlv: SPVP=0: hlv.d of VS S page -> cause 13",
    "h-hlv: SPVP=0: hlv.d of VS S page: mstatus.GVA = 1",
    "h-hlv: hlv.d of X-only page, MXR=0 -> cause 13",
    "h-hlv: hlv.d of X-only page, MXR=0: mstatus.GVA = 1",
    "h-hlv: hlv.d of X-only page, vsstatus.MXR=1: no trap",
    "h-hlv: hlv.d of X-only page, vsstatus.MXR=1: value",
    "h-hlv: hlvx.hu of X-only page: no trap",
    "h-hlv: hlvx.hu of X-only page: value",
    "h-hlv: SPVP=0: hlvx.hu of U page without X -> load page fault -> cause 13",
    "h-hlv: hgatp Sv39x4: hlv.d of unmapped GPA: mstatus.GVA = 1",
    "h-hlv: hgatp Sv39x4: hsv.d to unmapped GPA: mstatus.GVA = 1",
    "h-hlv: hgatp Sv39x4: hlvx.hu of unmapped GPA: mstatus.GVA = 1",
    0
};

static volatile uint64_t d[2] __attribute__((aligned(16))) = { 0x8182838485868788ul, 0 };
static volatile uint64_t e[4];
static volatile uint64_t res[16];
static uint64_t vroot[512] __attribute__((aligned(4096)));
static uint64_t groot[2048] __attribute__((aligned(16384)));
SITE(code_site, "li a0, 0x123\n\tli a1, 0x456");

static long hs_all(long p)
{
    uintptr_t a = (uintptr_t)p;
    unsigned long v;
#define L(i, op) __asm__ volatile(op " %0, (%1)" : "=r"(v) : "r"(a) : "memory"); res[i] = v;
    L(0, "hlv.b") L(1, "hlv.bu") L(2, "hlv.h") L(3, "hlv.hu") L(4, "hlv.w") L(5, "hlv.wu") L(6, "hlv.d")
    uintptr_t c = (uintptr_t)code_site;
    __asm__ volatile("hlvx.hu %0, (%1)" : "=r"(v) : "r"(c) : "memory"); res[7] = v;
    __asm__ volatile("hlvx.wu %0, (%1)" : "=r"(v) : "r"(c) : "memory"); res[8] = v;
    __asm__ volatile("hsv.b %0, (%1)" :: "r"(0x11ul), "r"(&e[0]) : "memory");
    __asm__ volatile("hsv.h %0, (%1)" :: "r"(0x2222ul), "r"(&e[1]) : "memory");
    __asm__ volatile("hsv.w %0, (%1)" :: "r"(0x33333333ul), "r"(&e[2]) : "memory");
    __asm__ volatile("hsv.d %0, (%1)" :: "r"(0x4444444444444444ul), "r"(&e[3]) : "memory");
    return 0;
}
static long one_ld(long a)
{
    unsigned long v = 0xdead;
    __asm__ volatile("hlv.d %0, (%1)" : "+r"(v) : "r"(a) : "memory");
    return (long)v;
}
static long one_lx(long a)
{
    unsigned long v = 0xdead;
    __asm__ volatile("hlvx.hu %0, (%1)" : "+r"(v) : "r"(a) : "memory");
    return (long)v;
}
static long one_sd(long a)
{
    __asm__ volatile("hsv.d %0, (%1)" :: "r"(0x77ul), "r"(a) : "memory");
    return 0;
}

static void probe(const char *what, int mode, long (*fn)(long), uintptr_t a, uint64_t cause, uint64_t expv)
{
    rt_trap_reset();
    long v = rt_run(mode, fn, (long)a);
    if (!cause) {
        check_outcome(G, rt_fmt("%s: no trap", what), R_HLV, rt_ntraps() == 0, trap_desc());
        if (expv != ~0ul) check_eq(G, rt_fmt("%s: value", what), R_HLV, (uint64_t)v, expv);
        return;
    }
    check_outcome(G, rt_fmt("%s -> cause %lu", what, cause), R_HLV, one_trap(cause, PRV_M, 0), trap_desc());
    if (rt_ntraps()) {
        check_eq(G, rt_fmt("%s: mtval = guest VA", what), R_HLV, rt_trap(0)->tval, a);
        check_eq(G, rt_fmt("%s: mstatus.GVA = 1", what), "priv H 8.4.1 mstatus.GVA", rt_trap(0)->gva, 1);
    }
}

int main(void)
{
    h_reset();
    uint64_t insn = *(volatile uint32_t *)code_site;

    rt_run(PRV_S, hs_all, (long)d);
    check_outcome(G, "HS: all HLV/HLVX/HSV forms run without traps (vsatp, hgatp Bare)", R_HLV, rt_ntraps() == 0, trap_desc());
    check_eq(G, "hlv.b sign-extends", R_HLV, res[0], 0xffffffffffffff88ul);
    check_eq(G, "hlv.bu zero-extends", R_HLV, res[1], 0x88);
    check_eq(G, "hlv.h sign-extends", R_HLV, res[2], 0xffffffffffff8788ul);
    check_eq(G, "hlv.hu zero-extends", R_HLV, res[3], 0x8788);
    check_eq(G, "hlv.w sign-extends", R_HLV, res[4], 0xffffffff85868788ul);
    check_eq(G, "hlv.wu zero-extends", R_HLV, res[5], 0x85868788);
    check_eq(G, "hlv.d", R_HLV, res[6], 0x8182838485868788ul);
    check_eq(G, "hlvx.hu reads code", R_HLV, res[7], insn & 0xffff);
    check_eq(G, "hlvx.wu reads code", R_HLV, res[8], insn);
    check_eq(G, "hsv.b", R_HLV, e[0], 0x11);
    check_eq(G, "hsv.h", R_HLV, e[1], 0x2222);
    check_eq(G, "hsv.w", R_HLV, e[2], 0x33333333);
    check_eq(G, "hsv.d", R_HLV, e[3], 0x4444444444444444ul);

    /* U mode: HU=0 -> illegal, HU=1 -> allowed */
    h_reset();
    rt_run(PRV_U, one_ld, (long)d);
    check_outcome(G, "U: hlv.d with hstatus.HU=0 -> illegal instruction", R_HU, one_trap(CAUSE_ILLEGAL, PRV_M, 0), trap_desc());
    h_reset();
    csr_write(hstatus, (2ul << 32) | HSTATUS_HU);
    rt_trap_reset();
    long v = rt_run(PRV_U, one_ld, (long)d);
    check_outcome(G, "U: hlv.d with hstatus.HU=1 allowed", R_HU, rt_ntraps() == 0, trap_desc());
    check_eq(G, "U: hlv.d with HU=1 value", R_HU, (uint64_t)v, d[0]);
    rt_run(PRV_U, one_sd, (long)&e[0]);
    check_eq(G, "U: hsv.d with HU=1 stores", R_HU, e[0], 0x77);

    /* VS-stage Sv39: S page at VA 0x8000_0000, U page at 0x4000_0000, X-only S page at 0xC000_0000 */
    h_reset();
    vroot[2] = (0x80000000ul >> 12) << 10 | 0xcf;          /* V R W X A D */
    vroot[1] = (0x80000000ul >> 12) << 10 | 0xd7;          /* V R W U A D */
    vroot[3] = (0x80000000ul >> 12) << 10 | 0xc9;          /* V X A D */
    csr_write(vsatp, ATP_MODE_SV39 | ((uintptr_t)vroot >> 12));
    __asm__ volatile("hfence.vvma" ::: "memory");
    uintptr_t off = (uintptr_t)d - 0x80000000ul;
    uintptr_t coff = (uintptr_t)code_site - 0x80000000ul;
    csr_write(hstatus, (2ul << 32) | HSTATUS_SPVP);
    probe("SPVP=1: hlv.d of VS S page", PRV_S, one_ld, 0x80000000ul + off, 0, d[0]);
    probe("SPVP=1: hlv.d of VS U page, SUM=0", PRV_S, one_ld, 0x40000000ul + off, CAUSE_LOAD_PAGE, 0);
    probe("SPVP=1: hsv.d to VS U page, SUM=0", PRV_S, one_sd, 0x40000000ul + off + 8, CAUSE_STORE_PAGE, 0);
    csr_set(vsstatus, MSTATUS_SUM);
    probe("SPVP=1: hlv.d of VS U page, vsstatus.SUM=1", PRV_S, one_ld, 0x40000000ul + off, 0, d[0]);
    csr_clear(vsstatus, MSTATUS_SUM);
    csr_write(hstatus, 2ul << 32);
    probe("SPVP=0: hlv.d of VS U page", PRV_S, one_ld, 0x40000000ul + off, 0, d[0]);
    probe("SPVP=0: hlv.d of VS S page", PRV_S, one_ld, 0x80000000ul + off, CAUSE_LOAD_PAGE, 0);
    csr_write(hstatus, (2ul << 32) | HSTATUS_SPVP);
    probe("hlv.d of X-only page, MXR=0", PRV_S, one_ld, 0xC0000000ul + off, CAUSE_LOAD_PAGE, 0);
    csr_set(vsstatus, MSTATUS_MXR);
    probe("hlv.d of X-only page, vsstatus.MXR=1", PRV_S, one_ld, 0xC0000000ul + off, 0, d[0]);
    csr_clear(vsstatus, MSTATUS_MXR);
    probe("hlvx.hu of X-only page", PRV_S, one_lx, 0xC0000000ul + coff, 0, insn & 0xffff);
    csr_write(hstatus, 2ul << 32);
    probe("SPVP=0: hlvx.hu of U page without X -> load page fault", PRV_S, one_lx, 0x40000000ul + coff, CAUSE_LOAD_PAGE, 0);
    csr_write(vsatp, 0);
    __asm__ volatile("hfence.vvma" ::: "memory");

    /* G-stage: only RAM mapped; HLV/HSV elsewhere -> guest-page faults with mtval2 */
    h_reset();
    groot[2] = (0x80000000ul >> 12) << 10 | 0xdf;
    csr_write(hgatp, ATP_MODE_SV39 | ((uintptr_t)groot >> 12));
    __asm__ volatile("hfence.gvma" ::: "memory");
    probe("hgatp Sv39x4: hlv.d of mapped RAM", PRV_S, one_ld, (uintptr_t)d, 0, d[0]);
    probe("hgatp Sv39x4: hlv.d of unmapped GPA", PRV_S, one_ld, 0x100000008ul, CAUSE_LOAD_GPAGE, 0);
    if (rt_ntraps()) check_eq(G, "hlv.d guest-page fault: mtval2 = GPA >> 2", R_HLV, rt_trap(0)->tval2, 0x100000008ul >> 2);
    probe("hgatp Sv39x4: hsv.d to unmapped GPA", PRV_S, one_sd, 0x100000010ul, CAUSE_STORE_GPAGE, 0);
    probe("hgatp Sv39x4: hlvx.hu of unmapped GPA", PRV_S, one_lx, 0x100000000ul, CAUSE_LOAD_GPAGE, 0);
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_LOAD_GPAGE);
    csr_write(hgatp, ATP_MODE_SV39 | ((uintptr_t)groot >> 12));
    __asm__ volatile("hfence.gvma" ::: "memory");
    rt_run(PRV_S, one_ld, 0x100000018l);
    check_outcome(G, "HS hlv.d guest-page fault with medeleg[21] -> HS", R_HLV, one_trap(CAUSE_LOAD_GPAGE, PRV_S, 0), trap_desc());
    if (rt_ntraps()) {
        check_eq(G, "HS hlv.d guest-page fault: htval = GPA >> 2", R_HLV, rt_trap(0)->tval2, 0x100000018ul >> 2);
        check_eq(G, "HS hlv.d guest-page fault: hstatus.GVA = 1", "priv H 8.2.1 hstatus.GVA", rt_trap(0)->gva, 1);
        check_eq(G, "HS hlv.d guest-page fault: hstatus.SPV = 0 (from HS)", "priv H 8.2.1 hstatus.SPV", rt_trap(0)->hstatus & HSTATUS_SPV, 0);
    }
    h_reset();
    return 0;
}
