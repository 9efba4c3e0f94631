/*
 * rt.h - tiny bare-metal runtime for the privileged-architecture tests.
 *
 * Machine: QEMU virt layout (RAM 0x8000_0000, 16550 UART 0x1000_0000, CLINT
 * 0x0200_0000, sifive test finisher 0x10_0000).  Programs start in M-mode on
 * every hart; hart 0 runs main(), the others park in WFI until
 * rt_start_hart() releases them.
 *
 * Trap framework: every exception that is not the runtime's own "return
 * from lower mode" ecall is recorded (rt_ntraps()/rt_trap(i)) and skipped
 * (epc += length of the faulting instruction, 2 or 4).  A fault on
 * instruction fetch (causes 0, 1, 12) cannot be skipped: the handler
 * resumes at the trapping context's ra, i.e. "returns" from the function
 * that was called at the bad address.  Interrupts are recorded too; if a
 * hook is installed (rt_irq_hook) it is called and must clear the source,
 * otherwise the handler masks the interrupt (clears its mie/sie bit).
 */
#ifndef RT_H
#define RT_H

#include <stdint.h>
#include <stddef.h>

#define MAX_HARTS 4

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3
#define LVL_VS 2     /* trap_rec.level / rt_irq_hook index of the VS-level handler (H) */
#define RT_VIRT 0x10 /* rt_run/rt_run_raw mode flag: enter VS or VU (mstatus.MPV = 1) */

/* mstatus bits */
#define MSTATUS_SIE   (1ul << 1)
#define MSTATUS_MIE   (1ul << 3)
#define MSTATUS_SPIE  (1ul << 5)
#define MSTATUS_MPIE  (1ul << 7)
#define MSTATUS_SPP   (1ul << 8)
#define MSTATUS_MPP   (3ul << 11)
#define MSTATUS_FS    (3ul << 13)
#define MSTATUS_MPRV  (1ul << 17)
#define MSTATUS_SUM   (1ul << 18)
#define MSTATUS_MXR   (1ul << 19)
#define MSTATUS_TVM   (1ul << 20)
#define MSTATUS_TW    (1ul << 21)
#define MSTATUS_TSR   (1ul << 22)
#define MSTATUS_GVA   (1ul << 38)
#define MSTATUS_MPV   (1ul << 39)

/* interrupt numbers (mip/mie bit positions, cause codes) */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define INTR    (1ul << 63)

/* exception causes */
#define CAUSE_FETCH_MISALIGNED 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_LOAD_MISALIGNED  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15
#define CAUSE_ECALL_VS         10
#define CAUSE_FETCH_GPAGE      20
#define CAUSE_LOAD_GPAGE       21
#define CAUSE_VIRT_INSN        22
#define CAUSE_STORE_GPAGE      23

/* devices */
#define UART_BASE     0x10000000ul
#define CLINT_BASE    0x02000000ul
#define CLINT_MSIP(h) (CLINT_BASE + 4ul * (h))
#define CLINT_MTIMECMP(h) (CLINT_BASE + 0x4000ul + 8ul * (h))
#define CLINT_MTIME   (CLINT_BASE + 0xbff8ul)
#define FINISHER_BASE 0x100000ul
#define TIMEBASE_HZ   10000000ul

#define STR_(x) #x
#define STR(x) STR_(x)
#define csr_read(csr) ({ unsigned long v_; __asm__ volatile("csrr %0, " STR(csr) : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " STR(csr) ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " STR(csr) ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " STR(csr) ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_swap(csr, v) ({ unsigned long v_; __asm__ volatile("csrrw %0, " STR(csr) ", %1" : "=r"(v_) : "rK"((unsigned long)(v)) : "memory"); v_; })

#define mmio_r32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define mmio_r64(a) (*(volatile uint64_t *)(uintptr_t)(a))
#define mmio_w32(a, v) (*(volatile uint32_t *)(uintptr_t)(a) = (v))
#define mmio_w64(a, v) (*(volatile uint64_t *)(uintptr_t)(a) = (v))

static inline int rt_hartid(void) { long t; __asm__ volatile("mv %0, tp" : "=r"(t)); return (int)t; }
static inline uint64_t rt_mtime(void) { return mmio_r64(CLINT_MTIME); }

/* One recorded trap. */
struct trap_rec {
    uint64_t cause, tval, epc;
    uint64_t status;   /* mstatus (level M) or sstatus (level S) right after trap entry */
    uint64_t insn;     /* instruction bits at epc (0 for fetch faults and interrupts) */
    int level;         /* PRV_M or PRV_S: the mode that took the trap */
    int prev;          /* privilege the trap came from (MPP / SPP) */
    long vec;          /* -1: direct mode entry; otherwise the vector-table slot used */
    /* H extension (zero without it): */
    int virt;          /* the trap came from V=1 (M: mstatus.MPV, HS: hstatus.SPV, VS: always) */
    int gva;           /* M: mstatus.GVA, HS: hstatus.GVA */
    uint64_t tval2;    /* M: mtval2, HS: htval */
    uint64_t tinst;    /* M: mtinst, HS: htinst */
    uint64_t hstatus;  /* HS: hstatus right after trap entry */
};

#define RT_MAX_REC 16
struct hart_traps {
    int count;                      /* traps since rt_trap_reset() */
    struct trap_rec rec[RT_MAX_REC];/* the first RT_MAX_REC of them */
};
extern volatile struct hart_traps rt_traps[MAX_HARTS];

void rt_trap_reset(void);
static inline int rt_ntraps(void) { return rt_traps[rt_hartid()].count; }
static inline volatile struct trap_rec *rt_trap(int i) { return &rt_traps[rt_hartid()].rec[i]; }

/* Interrupt hooks, per level that takes the interrupt: [PRV_S] and [PRV_M]. */
typedef void (*rt_irq_fn)(uint64_t cause);
extern rt_irq_fn volatile rt_irq_hook[4];

/* Trap vectors: direct entries and 16-slot vectored tables (256-byte aligned). */
extern char rt_mtrap_entry[], rt_strap_entry[], rt_mtrap_vectors[], rt_strap_vectors[];
/* H extension: the VS-level entry (for vstvec) and rt_vs_init(), which points
 * vstvec at it and vsscratch at this hart's VS trap stack (M or HS only).
 * rt_has_h: misa.H, read at start-up. */
extern char rt_vstrap_entry[];
void rt_vs_init(void);
extern int rt_has_h;

/*
 * Run fn(arg) in mode (PRV_S or PRV_U) and return its result; M-mode only.
 * The lower-mode code gets its own stack; returning from fn performs an
 * ecall with a7 = RT_ECALL_EXIT that the runtime turns into the return.
 * rt_run_raw lets the caller choose the addresses (for aliased mappings).
 */
#define RT_ECALL_EXIT 0x5254455874ul
long rt_run(int mode, long (*fn)(long), long arg);   /* mode may include RT_VIRT */
long rt_run_raw(long mode, uintptr_t fn, long arg, uintptr_t sp, uintptr_t ret);
extern char rt_lower_return[];
uintptr_t rt_lower_stack_top(void);

/* Release a parked hart: it calls fn(hartid) in M-mode, then parks again. */
void rt_start_hart(int hart, void (*fn)(int));

/* Output */
void rt_putc(char c);
void rt_puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reporting */
void check(const char *group, const char *what, const char *rule, int cond);
void check_eq(const char *group, const char *what, const char *rule, uint64_t got, uint64_t exp);
/* A check with several spec-legal outcomes; prints which one happened. */
void check_outcome(const char *group, const char *what, const char *rule, int ok, const char *outcome);
/* printf into a rotating static buffer (8 live results): for check names. */
const char *rt_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Checks whose "<group>: <what>" is in this NULL-terminated list are known
 * QEMU 7.2 deviations: printed as "... SPEC-ONLY" and not counted in the
 * exit code unless the DTB bootargs contain "rt-strict".  A test defines it
 * to override the runtime's empty default. */
extern const char *const QEMU_DEVIATION[];
__attribute__((noreturn)) void rt_exit(int code);
__attribute__((noreturn)) void rt_fatal(const char *msg);

int main(void);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);

#endif
