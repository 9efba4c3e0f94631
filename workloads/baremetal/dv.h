/*
 * dv.h - shared helpers for the DV-Ext tests dv-*.c (delegated user-level
 * virtualization, /work/shared/design/dv-ext.md).  Builds on h.h.
 *
 * binutils knows no DV-Ext instruction: huret, HULV/HUSV/HULVX and HUFENCE are
 * emitted with .word / .insn; the CSRs are used by number.
 *
 * HU-level runtime (everything here runs in U-mode with hstatus.HU = 1):
 *  - dv_utrap_entry (direct) / dv_utrap_vectors (16 slots, 256-aligned): the
 *    utvec targets.  The stub swaps sp with uscratch (a per-hart HU trap
 *    stack), saves all registers and calls dv_uhandle(), which records the
 *    trap in rt_traps[] with level LVL_HU (cause = ucause, tval = utval,
 *    epc = uepc, status/hstatus = hustatus, virt = UPV, prev = UPVP,
 *    gva = GVA, tval2 = hutval, tinst = hutinst, vec = slot) and skips the
 *    instruction like the M/S handlers (fetch faults resume at ra); then
 *    huret.  Traps that came from the guest go back to it (UPV forced to 1);
 *    traps from HU itself go back to HU (UPV = UPVP = 0 forced).
 *    Interrupts: dv_irq_hook(cause) if set, else the huie bit is cleared.
 *  - dv_enter(fn, arg, upvp): from HU, huret into fn(arg) at VS (upvp = 1)
 *    or VU (upvp = 0).  Other hustatus bits (UIE/UPIE/VTW..) are left as the
 *    caller set them.  The guest returns through rt_lower_return (exit
 *    ecall): if that ecall reaches HU (medeleg[c] && sedeleg[c]), dv_enter
 *    returns the guest's a0; if it goes to HS or M, the runtime there ends
 *    the whole rt_run() with the same value (the HU code is abandoned).
 *  - M-side wrappers: hu_run(fn, arg) runs fn in HU; run_guest(upvp, fn,
 *    arg) runs fn as an HU-owned guest (HU calls dv_enter).
 */
#ifndef DV_H
#define DV_H
#include "h.h"

#define LVL_HU 4                     /* trap_rec.level of the HU-level handler */

/* CSR numbers (dv-ext §2) */
#define CSR_UTVEC       0x005
#define CSR_USCRATCH    0x040
#define CSR_UEPC        0x041
#define CSR_UCAUSE      0x042
#define CSR_UTVAL       0x043
#define CSR_SEDELEG     0x102
#define CSR_SIDELEG     0x103
#define CSR_HUSTATUS    0x800
#define CSR_HUIE        0x804
#define CSR_HUTIMEDELTA 0x805
#define CSR_HUCOUNTEREN 0x806
#define CSR_HUTVAL      0x843
#define CSR_HUIP        0x844
#define CSR_HUVIP       0x845
#define CSR_HUTINST     0x84a
#define CSR_HUGATP      0x880
#define CSR_HUVSSTATUS  0x400
#define CSR_HUVSIE      0x404
#define CSR_HUVSTVEC    0x405
#define CSR_HUVSSCRATCH 0x440
#define CSR_HUVSEPC     0x441
#define CSR_HUVSCAUSE   0x442
#define CSR_HUVSTVAL    0x443
#define CSR_HUVSIP      0x444
#define CSR_HUVSATP     0x480
#define CSR_VTIMECMP    0x401
#define CSR_VTIMECTL    0x402
#define CSR_VCPUID      0x482
#define CSR_VIPI0       0x483
#define CSR_VIPI1       0x484
#define CSR_VIPI2       0x485
#define CSR_VIPI3       0x486
#define CSR_HTIMEDELTA  0x605
#define CSR_HCOUNTEREN  0x606

/* hustatus bits (dv-ext §3) */
#define HUS_UIE  (1ul << 0)
#define HUS_UPIE (1ul << 4)
#define HUS_GVA  (1ul << 6)
#define HUS_UPV  (1ul << 7)
#define HUS_UPVP (1ul << 8)
#define HUS_VTVM (1ul << 20)
#define HUS_VTW  (1ul << 21)
#define HUS_VTSR (1ul << 22)
#define HUS_VSXL (3ul << 32)

/* U-level interrupts (mip/mie bit numbers) */
#define IRQ_USI 0
#define IRQ_UTI 4
#define IRQ_UEI 8
#define U_IRQS  ((1ul << IRQ_USI) | (1ul << IRQ_UTI) | (1ul << IRQ_UEI))

/* Control-plane defaults (dv-ext §4, "values a control plane programs") */
#define DV_SEDELEG ((1ul << CAUSE_ECALL_VS) | (1ul << CAUSE_FETCH_GPAGE) | (1ul << CAUSE_LOAD_GPAGE) \
                    | (1ul << CAUSE_STORE_GPAGE) | (1ul << CAUSE_VIRT_INSN))
#define DV_SIDELEG ((1ul << IRQ_USI) | (1ul << IRQ_UTI))
#define DV_HEDELEG ((1ul << 0) | (1ul << 3) | (1ul << 8) | (1ul << 12) | (1ul << 13) | (1ul << 15))

/* Instructions (dv-ext §4, §8) */
#define HURET_WORD ".word 0x00200073"
#define HUFENCE_VVMA_ALL ".word 0xA2000073"
#define HUFENCE_GVMA_ALL ".word 0xE2000073"

/* Section citations */
#define R_EN    "dv-ext §1 enabling"
#define R_CSR   "dv-ext §2 CSRs"
#define R_HUS   "dv-ext §3 hustatus"
#define R_HURET "dv-ext §4 huret"
#define R_ROUTE "dv-ext §4 trap routing"
#define R_IPEND "dv-ext §4 interrupt pending rule"
#define R_VT    "dv-ext §5 virtual timer"
#define R_VIPI  "dv-ext §6 virtual IPIs"
#define R_MEM   "dv-ext §8 memory"
#define R_OWN   "dv-ext §8/§9 ownership bit"
#define R_STRICT "dv-ext §9 strict predicates"

/* ------------------------------------------------------------ HU runtime */
#define DV_FRAME 288
typedef void (*dv_irq_fn)(uint64_t cause);
dv_irq_fn volatile dv_irq_hook;
volatile int dv_guest_active[MAX_HARTS];
static uint8_t dv_ustack[MAX_HARTS][4096] __attribute__((aligned(16)));
static uint8_t dv_gstack[MAX_HARTS][8192] __attribute__((aligned(16)));
uint64_t dv_uctx[MAX_HARTS][16];
uintptr_t dv_ustack_top(void) { return (uintptr_t)dv_ustack[rt_hartid()] + 4096; }
uintptr_t dv_gstack_top(void) { return (uintptr_t)dv_gstack[rt_hartid()] + 8192; }

#define DV_SAVE_REGS \
    ".irp r, 1,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n" \
    "sd x\\r, (\\r*8)(sp)\n.endr\n"
#define DV_RESTORE_REGS \
    ".irp r, 1,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n" \
    "ld x\\r, (\\r*8)(sp)\n.endr\nld x5, 40(sp)\n"

__asm__(
    ".pushsection .text\n"
    ".balign 4\n.globl dv_utrap_entry\ndv_utrap_entry:\n"
    "csrrw sp, 0x040, sp\naddi sp, sp, -288\nsd t0, 40(sp)\nli t0, -1\n"
    "dv_utrap_common:\n"
    "sd t0, 0(sp)\n" DV_SAVE_REGS
    "csrr t0, 0x040\nsd t0, 16(sp)\n"
    "mv a0, sp\ncall dv_uhandle\n"
    "addi t0, sp, 288\ncsrw 0x040, t0\n"
    DV_RESTORE_REGS
    "ld sp, 16(sp)\n" HURET_WORD "\n"
    /* vectored table */
    ".balign 256\n.globl dv_utrap_vectors\ndv_utrap_vectors:\n"
    ".option push\n.option norvc\n"
    ".irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\nj dv_uvec_\\i\n.endr\n"
    ".option pop\n"
    ".irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "dv_uvec_\\i: csrrw sp, 0x040, sp\naddi sp, sp, -288\nsd t0, 40(sp)\nli t0, \\i\nj dv_utrap_common\n.endr\n"
    /* long dv_enter(uintptr_t fn, long arg, long upvp) -- HU only */
    ".balign 4\n.globl dv_enter\ndv_enter:\n"
    "la t0, dv_uctx\nslli t1, tp, 7\nadd t0, t0, t1\n"
    "sd ra, 0(t0)\nsd sp, 8(t0)\nsd s0, 16(t0)\nsd s1, 24(t0)\nsd s2, 32(t0)\nsd s3, 40(t0)\n"
    "sd s4, 48(t0)\nsd s5, 56(t0)\nsd s6, 64(t0)\nsd s7, 72(t0)\nsd s8, 80(t0)\nsd s9, 88(t0)\n"
    "sd s10, 96(t0)\nsd s11, 104(t0)\n"
    "mv s0, a0\nmv s1, a1\nmv s2, a2\n"
    "call dv_gstack_top\nmv s3, a0\n"
    "csrw 0x041, s0\n"
    "li t1, 0x180\ncsrc 0x800, t1\nli t1, 0x80\ncsrs 0x800, t1\nandi s2, s2, 1\nslli s2, s2, 8\ncsrs 0x800, s2\n"
    "la t0, dv_guest_active\nslli t1, tp, 2\nadd t0, t0, t1\nli t1, 1\nsw t1, 0(t0)\n"
    "mv a0, s1\nmv sp, s3\nla ra, rt_lower_return\n"
    HURET_WORD "\n"
    /* void dv_uctx_resume(long val) -- from the HU handler back to dv_enter's caller */
    ".globl dv_uctx_resume\ndv_uctx_resume:\n"
    "mv s0, a0\ncall dv_ustack_top\ncsrw 0x040, a0\nmv a0, s0\n"
    "la t0, dv_uctx\nslli t1, tp, 7\nadd t0, t0, t1\n"
    "ld ra, 0(t0)\nld sp, 8(t0)\nld s0, 16(t0)\nld s1, 24(t0)\nld s2, 32(t0)\nld s3, 40(t0)\n"
    "ld s4, 48(t0)\nld s5, 56(t0)\nld s6, 64(t0)\nld s7, 72(t0)\nld s8, 80(t0)\nld s9, 88(t0)\n"
    "ld s10, 96(t0)\nld s11, 104(t0)\nret\n"
    ".popsection\n");
extern char dv_utrap_entry[], dv_utrap_vectors[];
long dv_enter(uintptr_t fn, long arg, long upvp);
void dv_uctx_resume(long val) __attribute__((noreturn));

struct dv_frame { uint64_t x[32]; };

void dv_uhandle(struct dv_frame *f)
{
    int hart = rt_hartid();
    int from_guest = dv_guest_active[hart];
    dv_guest_active[hart] = 0;
    uint64_t cause = csr_read(CSR_UCAUSE), epc = csr_read(CSR_UEPC), tval = csr_read(CSR_UTVAL);
    uint64_t hus = csr_read(CSR_HUSTATUS), tval2 = csr_read(CSR_HUTVAL), tinst = csr_read(CSR_HUTINST);
    int irq = (cause >> 63) != 0;
    if (!irq && from_guest && (cause == CAUSE_ECALL_VS || cause == CAUSE_ECALL_U) && f->x[17] == RT_ECALL_EXIT)
        dv_uctx_resume((long)f->x[10]);
    volatile struct hart_traps *t = &rt_traps[hart];
    int n = t->count;
    t->count = n + 1;
    int fetch_fault = !irq && (cause == CAUSE_FETCH_MISALIGNED || cause == CAUSE_FETCH_ACCESS
                               || cause == CAUSE_FETCH_PAGE || cause == CAUSE_FETCH_GPAGE);
    uint32_t insn = 0;
    if (!irq && !fetch_fault) {
        /* guest code is identity-mapped (VA = GPA = PA) in every dv test */
        insn = *(volatile uint16_t *)epc;
        if ((insn & 3) == 3) insn |= (uint32_t)*(volatile uint16_t *)(epc + 2) << 16;
    }
    if (n < RT_MAX_REC) {
        volatile struct trap_rec *r = &t->rec[n];
        r->cause = cause; r->tval = tval; r->epc = epc; r->status = hus; r->insn = insn;
        r->level = LVL_HU; r->prev = (hus >> 8) & 1; r->vec = (long)f->x[0];
        r->virt = (hus >> 7) & 1; r->gva = (hus >> 6) & 1; r->tval2 = tval2; r->tinst = tinst;
        r->hstatus = hus;
    }
    if (n + 1 > 200) {
        printf("trap storm: level HU cause 0x%lx epc 0x%lx tval 0x%lx\n", cause, epc, tval);
        rt_fatal("more than 200 traps without rt_trap_reset()");
    }
    if (irq) {
        if (dv_irq_hook) dv_irq_hook(cause);
        else csr_clear(CSR_HUIE, 1ul << (cause & 63));
    } else if (fetch_fault) {
        epc = f->x[1];
    } else {
        epc += (insn & 3) == 3 ? 4 : 2;
    }
    csr_write(CSR_UEPC, epc);
    if (from_guest) {
        csr_set(CSR_HUSTATUS, HUS_UPV);
        dv_guest_active[hart] = 1;
    } else {
        csr_clear(CSR_HUSTATUS, HUS_UPV | HUS_UPVP);
    }
}

/* ------------------------------------------------------------ M side */
volatile uintptr_t dv_g_fn;
volatile long dv_g_arg, dv_g_upvp;
volatile uint64_t dv_g_hus_set;        /* hustatus bits HU sets before dv_enter */
static long hu_guest(long x)
{
    (void)x;
    if (dv_g_hus_set) csr_set(CSR_HUSTATUS, dv_g_hus_set);
    return dv_enter(dv_g_fn, dv_g_arg, dv_g_upvp);
}
static inline long hu_run(long (*fn)(long), long arg)
{
    csr_set(hstatus, HSTATUS_HU);
    return rt_run(PRV_U, fn, arg);
}
/* Run fn(arg) as an HU-owned guest (VS if upvp, else VU), entered by huret from HU. */
static inline long run_guest(int upvp, void *fn, long arg)
{
    dv_g_fn = (uintptr_t)fn;
    dv_g_arg = arg;
    dv_g_upvp = upvp;
    return hu_run(hu_guest, 0);
}

/* Reset the DV-Ext and H state (M-mode). */
static inline void dv_reset(void)
{
    h_reset();
    dv_irq_hook = 0;
    dv_g_hus_set = 0;
    for (int i = 0; i < MAX_HARTS; i++) dv_guest_active[i] = 0;
    csr_write(CSR_SEDELEG, 0);
    csr_write(CSR_SIDELEG, DV_SIDELEG);    /* huip writes are masked by sideleg */
    csr_write(CSR_HUIP, 0);
    csr_write(CSR_SIDELEG, 0);
    csr_write(CSR_HUSTATUS, 0);
    csr_write(CSR_HUGATP, 0);
    csr_write(CSR_HUIE, 0);
    csr_write(CSR_HUVIP, 0);
    csr_write(CSR_VTIMECTL, 0);
    csr_write(CSR_VTIMECMP, ~0ul);
    csr_write(CSR_HUTIMEDELTA, 0);
    csr_clear(mip, U_IRQS);
    csr_write(CSR_UTVEC, (uintptr_t)dv_utrap_entry);
    csr_write(CSR_USCRATCH, dv_ustack_top());
    csr_clear(mie, U_IRQS);
    __asm__ volatile(HUFENCE_GVMA_ALL "\n\t" HUFENCE_VVMA_ALL ::: "memory");
    rt_trap_reset();
}

/* DV-Ext present: hustatus readable from M without a trap (prints a NOTE otherwise). */
static inline int dv_present(void)
{
    rt_trap_reset();
    (void)csr_read(CSR_HUSTATUS);
    int ok = rt_ntraps() == 0;
    rt_trap_reset();
    if (!ok) note("DV-Ext absent: hustatus (0x800) traps in M; every DV check below is expected to fail");
    return ok;
}

#define lvl_name_dv(l) ((l) == PRV_M ? "M" : (l) == PRV_S ? "HS" : (l) == LVL_VS ? "VS" : "HU")

/* ------------------------------------------------------------ G-stage */
#define PTE_V 1ul
#define PTE_R 2ul
#define PTE_W 4ul
#define PTE_X 8ul
#define PTE_U 16ul
#define PTE_A 64ul
#define PTE_D 128ul
#define PTE(pa, f) ((((uintptr_t)(pa)) >> 12) << 10 | (f))
#define GURWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)

/* Two Sv39x4 G-stage tables, both identity-mapping RAM (1 GiB at 0x8000_0000);
 * GPA_UONLY is mapped only in the hugatp table (-> dv_pg[0]), GPA_HONLY only in
 * the hgatp table (-> dv_pg[1]); GPA_BOTH in both (hugatp -> dv_pg[2], hgatp -> dv_pg[3]). */
#define GPA_UONLY 0x100000000ul
#define GPA_HONLY 0x100001000ul
#define GPA_BOTH  0x100002000ul
static uint64_t dv_uroot[2048] __attribute__((aligned(16384)));
static uint64_t dv_hroot[2048] __attribute__((aligned(16384)));
static uint64_t dv_ul1[512] __attribute__((aligned(4096))), dv_ul0[512] __attribute__((aligned(4096)));
static uint64_t dv_hl1[512] __attribute__((aligned(4096))), dv_hl0[512] __attribute__((aligned(4096)));
static volatile uint64_t dv_pg[4][512] __attribute__((aligned(4096)));

static void dv_gstage_build(void)
{
    memset(dv_uroot, 0, sizeof dv_uroot); memset(dv_hroot, 0, sizeof dv_hroot);
    memset(dv_ul1, 0, sizeof dv_ul1); memset(dv_ul0, 0, sizeof dv_ul0);
    memset(dv_hl1, 0, sizeof dv_hl1); memset(dv_hl0, 0, sizeof dv_hl0);
    dv_uroot[2] = PTE(0x80000000ul, GURWX);
    dv_hroot[2] = PTE(0x80000000ul, GURWX);
    dv_uroot[4] = PTE(dv_ul1, PTE_V); dv_ul1[0] = PTE(dv_ul0, PTE_V);
    dv_hroot[4] = PTE(dv_hl1, PTE_V); dv_hl1[0] = PTE(dv_hl0, PTE_V);
    dv_ul0[0] = PTE(dv_pg[0], GURWX);
    dv_hl0[1] = PTE(dv_pg[1], GURWX);
    dv_ul0[2] = PTE(dv_pg[2], GURWX);
    dv_hl0[2] = PTE(dv_pg[3], GURWX);
    for (int i = 0; i < 4; i++) dv_pg[i][0] = 0xd0d0 + i;
}
static void dv_gstage_on(void)
{
    csr_write(CSR_HUGATP, ATP_MODE_SV39 | ((uintptr_t)dv_uroot >> 12));
    csr_write(hgatp, ATP_MODE_SV39 | ((uintptr_t)dv_hroot >> 12));
    __asm__ volatile("hfence.gvma\n\t" HUFENCE_GVMA_ALL ::: "memory");
}

/* Delegation as a control plane sets it up (dv-ext §4). */
static void dv_deleg_default(void)
{
    csr_write(medeleg, DV_SEDELEG | DV_HEDELEG);
    csr_write(mideleg, DV_SIDELEG | VS_IRQS);
    csr_write(hedeleg, DV_HEDELEG);
    csr_write(hideleg, VS_IRQS);
    csr_write(CSR_SEDELEG, DV_SEDELEG);
    csr_write(CSR_SIDELEG, DV_SIDELEG);
}
#endif
