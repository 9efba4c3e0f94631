/*
 * h.h - shared helpers for the H-extension (hypervisor 1.0) tests h-*.c.
 *
 * gcc 12 rejects "h" in -march, so the assembler gets it from the directive
 * below; the Makefile builds h-* with -fno-toplevel-reorder so it comes
 * before every function.  The runtime (rt.c) itself does not need it.
 */
#ifndef H_H
#define H_H
__asm__(".option arch, +h");
#include "rt.h"
#include "sites.h"

/* hstatus bits */
#define HSTATUS_VSBE  (1ul << 5)
#define HSTATUS_GVA   (1ul << 6)
#define HSTATUS_SPV   (1ul << 7)
#define HSTATUS_SPVP  (1ul << 8)
#define HSTATUS_HU    (1ul << 9)
#define HSTATUS_VGEIN (0x3ful << 12)
#define HSTATUS_VTVM  (1ul << 20)
#define HSTATUS_VTW   (1ul << 21)
#define HSTATUS_VTSR  (1ul << 22)
#define HSTATUS_VSXL  (3ul << 32)

/* VS-level interrupt bits in mip/hip/hie/hvip/hideleg */
#define IRQ_VSSI 2
#define IRQ_VSTI 6
#define IRQ_VSEI 10
#define IRQ_SGEI 12
#define VS_IRQS  ((1ul << IRQ_VSSI) | (1ul << IRQ_VSTI) | (1ul << IRQ_VSEI))

#define ATP_MODE_SV39 (8ul << 60)
#define ATP_MODE_SV48 (9ul << 60)

#define CSR_MTVAL2 0x34b
#define CSR_MTINST 0x34a

#define VS (PRV_S | RT_VIRT)
#define VU (PRV_U | RT_VIRT)

/* Reset the H state a test may have changed (M-mode). */
static inline void h_reset(void)
{
    csr_write(hstatus, 2ul << 32);
    csr_write(hedeleg, 0);
    csr_write(hideleg, 0);
    csr_write(hvip, 0);
    csr_write(hie, 0);
    csr_write(hgatp, 0);
    csr_write(vsatp, 0);
    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_write(vsstatus, 1ul << 13);    /* FS = Initial: C code in VS may use FP regs */
    csr_clear(mstatus, MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
    rt_vs_init();
    __asm__ volatile("hfence.gvma\n\thfence.vvma\n\tsfence.vma" ::: "memory");
    rt_trap_reset();
}

/* Exactly one trap was recorded and it is (cause, level, virt). */
static inline int one_trap(uint64_t cause, int level, int virt)
{
    return rt_ntraps() == 1 && rt_trap(0)->cause == cause && rt_trap(0)->level == level
           && rt_trap(0)->virt == virt;
}
static inline const char *trap_desc(void)
{
    if (rt_ntraps() == 0) return "no trap";
    volatile struct trap_rec *t = rt_trap(0);
    return rt_fmt("%d trap(s), first cause %lu level %d virt %d tval 0x%lx", rt_ntraps(),
                  t->cause, t->level, t->virt, t->tval);
}
#define lvl_name(l) ((l) == PRV_M ? "M" : (l) == PRV_S ? "HS" : "VS")
#endif
