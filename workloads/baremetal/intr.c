/*
 * intr.c - interrupts: CLINT software (MSIP) and timer (MTIP), mip.SSIP/STIP/
 * SEIP written by M, Sstc (menvcfg.STCE, stimecmp -> STIP), PLIC external
 * (UART THRE -> MEIP), priority order when several are pending, the global
 * enable rules of priv 3.1.9 (mstatus.MIE/SIE, lower-privilege modes), and
 * WFI waking on a pending but globally disabled interrupt.
 */
#include "rt.h"
#include "sites.h"

#define CSR_MENVCFG 0x30a
#define CSR_STIMECMP 0x14d
#define MENVCFG_STCE (1ul << 63)
#define PLIC_BASE 0x0c000000ul
#define UART_IRQ 10

SITE(s_wfi, "\twfi");
SITE(s_rd_stimecmp, "\tcsrr a0, 0x14d");

static const char *G;

/* Busy-wait n microseconds of mtime (CLINT MMIO: usable in M, S and U without paging). */
static void spin(long us) { uint64_t end = rt_mtime() + us * (TIMEBASE_HZ / 1000000); while (rt_mtime() < end) ; }
/*
 * Wait until n traps have been recorded, or 2 s. A timer interrupt set 50 us ahead may be
 * delivered much later than that when the host is busy (QEMU raises it from its I/O thread), so the
 * bound is generous; the wait ends as soon as the trap is there.
 */
static int wait_traps(int n)
{
    uint64_t end = rt_mtime() + 2 * TIMEBASE_HZ;
    while (rt_ntraps() < n && rt_mtime() < end) ;
    return rt_ntraps();
}

/* S/U body: spin us microseconds (interrupts get taken meanwhile). */
static long lower_spin(long us) { spin(us); return 0; }
static long lower_wfi(long a) { (void)a; __asm__ volatile("wfi"); return 0; }
/* S/U body: wait (up to 2 s, see wait_traps) for an interrupt to be taken. */
static long lower_wait_trap(long a) { (void)a; wait_traps(1); return 0; }
/*
 * S body: wfi until an interrupt has been taken (up to 2 s). The interrupt may come before the
 * first wfi (the host was slow); its handler masks it, so a wfi after it would wait for ever.
 */
static long lower_wfi_until_trap(long a)
{
    (void)a;
    uint64_t end = rt_mtime() + 2 * TIMEBASE_HZ;
    while (rt_ntraps() == 0 && rt_mtime() < end) __asm__ volatile("wfi");
    return 0;
}

static void clear_all(void)
{
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_SIE);
    csr_write(mie, 0);
    csr_write(mideleg, 0);
    csr_clear(mip, (1ul << IRQ_SSI) | (1ul << IRQ_STI) | (1ul << IRQ_SEI));
    mmio_w32(CLINT_MSIP(0), 0);
    mmio_w64(CLINT_MTIMECMP(0), ~0ul);
}

static void uart_irq(int on)
{
    if (on) {
        mmio_w32(PLIC_BASE + 4 * UART_IRQ, 1);                       /* priority */
        mmio_w32(PLIC_BASE + 0x2000, 1u << UART_IRQ);                /* enable, context 0 = hart 0 M */
        mmio_w32(PLIC_BASE + 0x200000, 0);                           /* threshold */
        *(volatile uint8_t *)(UART_BASE + 1) = 0x02;                 /* IER.ETBEI: THR empty -> irq */
    } else {
        *(volatile uint8_t *)(UART_BASE + 1) = 0;
        uint32_t id = mmio_r32(PLIC_BASE + 0x200004);                /* claim */
        if (id) mmio_w32(PLIC_BASE + 0x200004, id);                  /* complete */
        mmio_w32(PLIC_BASE + 0x2000, 0);
    }
}

static void test_sources(void)
{
    G = "sources";
    clear_all();
    mmio_w32(CLINT_MSIP(0), 1);
    check_eq(G, "CLINT msip=1 sets mip.MSIP", "priv 3.1.9 mip.MSIP", csr_read(mip) & (1ul << IRQ_MSI), 1ul << IRQ_MSI);
    mmio_w32(CLINT_MSIP(0), 0);
    check_eq(G, "CLINT msip=0 clears mip.MSIP", "priv 3.1.9 mip.MSIP", csr_read(mip) & (1ul << IRQ_MSI), 0);
    csr_set(mip, 1ul << IRQ_MSI);
    check_eq(G, "mip.MSIP is read-only to csrs", "priv 3.1.9 mip.MSIP read-only", csr_read(mip) & (1ul << IRQ_MSI), 0);
    mmio_w64(CLINT_MTIMECMP(0), 0);
    check_eq(G, "mtimecmp <= mtime sets mip.MTIP", "priv 3.2.1 mtimecmp", csr_read(mip) & (1ul << IRQ_MTI), 1ul << IRQ_MTI);
    mmio_w64(CLINT_MTIMECMP(0), ~0ul);
    check_eq(G, "mtimecmp > mtime clears mip.MTIP", "priv 3.2.1 mtimecmp", csr_read(mip) & (1ul << IRQ_MTI), 0);
    uint64_t bits = (1ul << IRQ_SSI) | (1ul << IRQ_STI) | (1ul << IRQ_SEI);
    csr_clear(CSR_MENVCFG, MENVCFG_STCE);
    csr_set(mip, bits);
    check_eq(G, "M can set mip.SSIP/STIP/SEIP (STCE=0)", "priv 3.1.9 mip", csr_read(mip) & bits, bits);
    csr_write(mideleg, bits);
    check_eq(G, "delegated SSIP/STIP/SEIP visible in sip", "priv 4.1.3 sip", csr_read(sip) & bits, bits);
    csr_write(mideleg, 0);
    check_eq(G, "non-delegated bits read 0 in sip", "priv 4.1.3 sip", csr_read(sip) & bits, 0);
    csr_clear(mip, bits);
    check_eq(G, "M can clear mip.SSIP/STIP/SEIP", "priv 3.1.9 mip", csr_read(mip) & bits, 0);
    uart_irq(1);
    spin(100);
    check_eq(G, "PLIC (UART THRE, source 10) raises mip.MEIP", "priv 3.1.9 mip.MEIP",
             csr_read(mip) & (1ul << IRQ_MEI), 1ul << IRQ_MEI);
    uart_irq(0);
    spin(100);
    check_eq(G, "PLIC source disabled: mip.MEIP clear", "priv 3.1.9 mip.MEIP", csr_read(mip) & (1ul << IRQ_MEI), 0);

    /* Taking them in M. */
    struct { int irq; const char *what; } t[] = {
        { IRQ_MSI, "MSI taken in M: mcause = interrupt 3" },
        { IRQ_MTI, "MTI taken in M: mcause = interrupt 7" },
        { IRQ_SSI, "SSI (not delegated) taken in M: mcause = interrupt 1" },
        { IRQ_STI, "STI (not delegated) taken in M: mcause = interrupt 5" },
        { IRQ_SEI, "SEI (not delegated) taken in M: mcause = interrupt 9" },
        { IRQ_MEI, "MEI taken in M: mcause = interrupt 11" },
    };
    for (int i = 0; i < 6; i++) {
        clear_all();
        rt_trap_reset();
        int irq = t[i].irq;
        if (irq == IRQ_MSI) mmio_w32(CLINT_MSIP(0), 1);
        else if (irq == IRQ_MTI) mmio_w64(CLINT_MTIMECMP(0), rt_mtime() + 500);   /* 50 us ahead */
        else if (irq == IRQ_MEI) uart_irq(1);
        else csr_set(mip, 1ul << irq);
        csr_write(mie, 1ul << irq);
        csr_set(mstatus, MSTATUS_MIE);
        wait_traps(1);
        csr_clear(mstatus, MSTATUS_MIE);
        if (irq == IRQ_MEI) uart_irq(0);
        check_eq(G, t[i].what, "priv 3.1.15 mcause", rt_ntraps() ? rt_trap(0)->cause : 0, INTR | irq);
        if (irq == IRQ_MTI && rt_ntraps())
            check(G, "MTI taken only once mtime >= mtimecmp", "priv 3.2.1 mtimecmp",
                  rt_mtime() >= mmio_r64(CLINT_MTIMECMP(0)));
        if (rt_ntraps())
            check_eq(G, "interrupt: mepc = next instruction to run, MPP = M", "priv 3.1.14 mepc",
                     rt_trap(0)->prev, PRV_M);
    }
    clear_all();
}

static void test_sstc(void)
{
    G = "sstc";
    clear_all();
    csr_set(CSR_MENVCFG, MENVCFG_STCE);
    int stce = (csr_read(CSR_MENVCFG) & MENVCFG_STCE) != 0;
    check(G, "menvcfg.STCE is writable (Sstc implemented)", "Sstc: menvcfg.STCE", stce);
    if (!stce) return;
    csr_set(mcounteren, 2);    /* TM: S may access time/stimecmp */
    csr_write(CSR_STIMECMP, ~0ul);
    csr_set(mip, 1ul << IRQ_STI);
    check_eq(G, "STCE=1: mip.STIP not writable by M", "Sstc: STIP read-only", csr_read(mip) & (1ul << IRQ_STI), 0);
    csr_write(CSR_STIMECMP, 0);
    check_eq(G, "stimecmp <= time sets mip.STIP", "Sstc: stimecmp", csr_read(mip) & (1ul << IRQ_STI), 1ul << IRQ_STI);
    csr_write(CSR_STIMECMP, ~0ul);
    check_eq(G, "stimecmp > time clears mip.STIP", "Sstc: stimecmp", csr_read(mip) & (1ul << IRQ_STI), 0);
    /* Delegated STI taken in S from a stimecmp set ahead. */
    csr_write(mideleg, 1ul << IRQ_STI);
    csr_write(mie, 1ul << IRQ_STI);
    csr_set(mstatus, MSTATUS_SIE);
    rt_trap_reset();
    csr_write(CSR_STIMECMP, csr_read(time) + 1000);   /* 100 us */
    rt_run(PRV_S, lower_wait_trap, 0);
    csr_write(CSR_STIMECMP, ~0ul);
    check_eq(G, "stimecmp -> STI taken in S: scause = interrupt 5", "Sstc + priv 4.1.8 scause",
             rt_ntraps() ? rt_trap(0)->cause : 0, INTR | IRQ_STI);
    if (rt_ntraps()) check_eq(G, "stimecmp -> STI taken in S", "priv 3.1.8 mideleg", rt_trap(0)->level, PRV_S);
    clear_all();
    /* STCE=0: stimecmp from S is illegal. */
    csr_clear(CSR_MENVCFG, MENVCFG_STCE);
    rt_trap_reset();
    rt_run(PRV_S, FN(s_rd_stimecmp), 0);
    check_eq(G, "STCE=0: stimecmp access from S is illegal", "Sstc: menvcfg.STCE",
             rt_ntraps() ? rt_trap(0)->cause : 99, CAUSE_ILLEGAL);
    csr_set(CSR_MENVCFG, MENVCFG_STCE);
    csr_clear(mcounteren, 2);
    rt_trap_reset();
    rt_run(PRV_S, FN(s_rd_stimecmp), 0);
    check_eq(G, "mcounteren.TM=0: stimecmp access from S is illegal", "Sstc: mcounteren.TM",
             rt_ntraps() ? rt_trap(0)->cause : 99, CAUSE_ILLEGAL);
    csr_clear(CSR_MENVCFG, MENVCFG_STCE);
}

static void test_priority(void)
{
    G = "priority";
    clear_all();
    uart_irq(1);
    mmio_w32(CLINT_MSIP(0), 1);
    mmio_w64(CLINT_MTIMECMP(0), 0);
    csr_set(mip, (1ul << IRQ_SSI) | (1ul << IRQ_STI) | (1ul << IRQ_SEI));
    spin(100);
    rt_trap_reset();
    csr_write(mie, (1ul << IRQ_MEI) | (1ul << IRQ_MSI) | (1ul << IRQ_MTI) | (1ul << IRQ_SEI) | (1ul << IRQ_SSI) | (1ul << IRQ_STI));
    csr_set(mstatus, MSTATUS_MIE);    /* handler masks each taken one in mie */
    wait_traps(6);
    csr_clear(mstatus, MSTATUS_MIE);
    uart_irq(0);
    static const int order[6] = { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI };
    uint64_t got = 0, exp = 0;
    for (int i = 0; i < 6; i++) {
        exp = exp << 4 | order[i];
        got = got << 4 | (i < rt_ntraps() ? (rt_trap(i)->cause & 15) : 0);
    }
    note("order taken (hex digits, first = highest): %lx", got);
    check_eq(G, "all six pending in M: order MEI MSI MTI SEI SSI STI", "priv 3.1.9 interrupt priority", got, exp);
    clear_all();

    /* M-level before S-level: MTI (to M) and delegated SSI pending while in S. */
    csr_write(mideleg, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    mmio_w64(CLINT_MTIMECMP(0), 0);
    csr_write(mie, (1ul << IRQ_MTI) | (1ul << IRQ_SSI));
    csr_set(mstatus, MSTATUS_SIE);
    rt_trap_reset();
    rt_run(PRV_S, lower_spin, 200);
    int n = rt_ntraps();
    check(G, "in S: MTI (to M) taken before delegated SSI (to S)", "priv 3.1.9 M-level interrupts first",
          n == 2 && rt_trap(0)->cause == (INTR | IRQ_MTI) && rt_trap(0)->level == PRV_M
          && rt_trap(1)->cause == (INTR | IRQ_SSI) && rt_trap(1)->level == PRV_S);
    clear_all();
}

/* The global-enable rules of priv 3.1.9: an interrupt i traps to M if pending and
 * enabled in mie and (priv < M, or priv = M and MIE = 1); delegated to S it traps
 * if (priv < S, or priv = S and SIE = 1); delegated interrupts are never taken in M. */
static void test_enables(void)
{
    G = "enables";
    const char *R = "priv 3.1.9 global interrupt enables";
    clear_all();
    csr_write(mie, 1ul << IRQ_MSI);
    mmio_w32(CLINT_MSIP(0), 1);
    rt_trap_reset();
    spin(200);
    check_eq(G, "M, MIE=0: MSI pending+enabled not taken", R, rt_ntraps(), 0);
    csr_set(mstatus, MSTATUS_MIE);
    wait_traps(1);
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq(G, "M, MIE=1: MSI taken", R, rt_ntraps(), 1);

    csr_write(mie, 1ul << IRQ_MSI);
    rt_trap_reset();
    rt_run(PRV_S, lower_spin, 200);
    check(G, "S, MIE=0: M-level MSI taken anyway", R, rt_ntraps() == 1 && rt_trap(0)->level == PRV_M);
    csr_write(mie, 1ul << IRQ_MSI);
    rt_trap_reset();
    rt_run(PRV_U, lower_spin, 200);
    check(G, "U, MIE=0: M-level MSI taken anyway", R, rt_ntraps() == 1 && rt_trap(0)->level == PRV_M);
    clear_all();

    /* Non-delegated SSI in S with MIE=0 and SIE=0: goes to M. */
    csr_write(mie, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    rt_trap_reset();
    rt_run(PRV_S, lower_spin, 200);
    check(G, "S, MIE=0, SIE=0: non-delegated SSI taken in M", R, rt_ntraps() == 1 && rt_trap(0)->level == PRV_M);
    clear_all();

    /* Delegated SSI. */
    csr_write(mideleg, 1ul << IRQ_SSI);
    csr_write(mie, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    csr_set(mstatus, MSTATUS_SIE | MSTATUS_MIE);
    rt_trap_reset();
    spin(200);
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq(G, "M, MIE=1, SIE=1: delegated SSI never taken in M", R, rt_ntraps(), 0);
    csr_clear(mstatus, MSTATUS_SIE);
    rt_trap_reset();
    rt_run(PRV_S, lower_spin, 200);
    check_eq(G, "S, SIE=0: delegated SSI not taken", R, rt_ntraps(), 0);
    csr_set(mstatus, MSTATUS_SIE);
    csr_write(mie, 0);
    rt_trap_reset();
    rt_run(PRV_S, lower_spin, 200);
    check_eq(G, "S, SIE=1, sie.SSIE=0: delegated SSI not taken", R, rt_ntraps(), 0);
    csr_write(mie, 1ul << IRQ_SSI);
    rt_trap_reset();
    rt_run(PRV_S, lower_spin, 200);
    check(G, "S, SIE=1: delegated SSI taken in S", R, rt_ntraps() == 1 && rt_trap(0)->level == PRV_S);
    csr_clear(mstatus, MSTATUS_SIE);
    csr_write(mie, 1ul << IRQ_SSI);
    rt_trap_reset();
    rt_run(PRV_U, lower_spin, 200);
    check(G, "U, SIE=0: delegated SSI taken in S", R, rt_ntraps() == 1 && rt_trap(0)->level == PRV_S);
    if (rt_ntraps()) check_eq(G, "SSI from U: SPP = U", "priv 4.1.1.2 sstatus.SPP", rt_trap(0)->prev, PRV_U);
    clear_all();
}

static void test_wfi(void)
{
    G = "wfi";
    const char *R = "priv 3.3.3 WFI: resumes on a locally enabled pending interrupt, regardless of MIE/SIE";
    clear_all();
    csr_write(mie, 1ul << IRQ_MTI);
    uint64_t cmp = rt_mtime() + 10000;    /* 1 ms */
    mmio_w64(CLINT_MTIMECMP(0), cmp);
    rt_trap_reset();
    __asm__ volatile("wfi");
    /* WFI may return early (it is a hint): wait in a loop, as software must. */
    for (int i = 0; i < 100 && !(csr_read(mip) & (1ul << IRQ_MTI)); i++) __asm__ volatile("wfi");
    uint64_t now = rt_mtime();
    check(G, "M, MIE=0, MTIE=1: wfi loop ends when MTIP becomes pending", R,
          now >= cmp && (csr_read(mip) & (1ul << IRQ_MTI)));
    check_eq(G, "M, MIE=0: the waking interrupt is not taken", R, rt_ntraps(), 0);
    clear_all();
    csr_write(mie, 1ul << IRQ_MSI);
    mmio_w32(CLINT_MSIP(0), 1);
    rt_trap_reset();
    __asm__ volatile("wfi");
    check_eq(G, "M, MIE=0: wfi with MSI already pending returns, no trap", R, rt_ntraps(), 0);
    clear_all();
    /* S, delegated SSI pending + enabled in sie, SIE=0: wfi returns, not taken. */
    csr_write(mideleg, 1ul << IRQ_SSI);
    csr_write(mie, 1ul << IRQ_SSI);
    csr_set(mip, 1ul << IRQ_SSI);
    rt_trap_reset();
    rt_run(PRV_S, lower_wfi, 0);
    check_eq(G, "S, SIE=0, delegated SSI pending: wfi returns, no trap", R, rt_ntraps(), 0);
    clear_all();
    /* S: wfi woken by an M timer interrupt, which is taken (priv < M). */
    csr_write(mie, 1ul << IRQ_MTI);
    mmio_w64(CLINT_MTIMECMP(0), rt_mtime() + 5000);
    rt_trap_reset();
    rt_run(PRV_S, lower_wfi_until_trap, 0);
    check(G, "S: wfi woken by MTI, which traps to M", R, rt_ntraps() == 1 && rt_trap(0)->cause == (INTR | IRQ_MTI));
    clear_all();
    (void)s_wfi;
}

/* Without AIA, QEMU 7.2 takes the lowest-numbered pending interrupt first. */
const char *const QEMU_DEVIATION[] = {
    "priority: all six pending in M: order MEI MSI MTI SEI SSI STI",
    0
};

int main(void)
{
    printf("intr: interrupts\n");
    test_sources();
    test_sstc();
    test_priority();
    test_enables();
    test_wfi();
    clear_all();
    return 0;
}
