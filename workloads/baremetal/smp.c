/*
 * smp.c - two harts: hart 1 is released by an IPI (CLINT msip), harts send
 * each other software interrupts, and both hammer shared counters with
 * LR/SC loops and AMOADD; totals must be exact.
 */
#include "rt.h"

#define N 20000
static volatile uint64_t sc_counter, amo_counter, lock_counter;
static volatile uint32_t lock;
static volatile int h1_started, h1_done, h1_hartid = -1, h1_ipis, h0_ipis, go;
static volatile int h1_sc_fail;

static void count_lrsc(void)
{
    for (int i = 0; i < N; i++) {
        uint64_t tmp, fail;
        __asm__ volatile("1:\tlr.d %0, (%2)\n\taddi %0, %0, 1\n\tsc.d %1, %0, (%2)\n\tbnez %1, 1b"
                         : "=&r"(tmp), "=&r"(fail) : "r"(&sc_counter) : "memory");
    }
}
static void count_amo(void)
{
    for (int i = 0; i < N; i++) __atomic_fetch_add(&amo_counter, 1, __ATOMIC_RELAXED);
}
static void count_lock(void)
{
    for (int i = 0; i < N; i++) {
        while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) ;
        lock_counter = lock_counter + 1;
        __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
    }
}

static void ipi_hook(uint64_t cause)
{
    if (cause == (INTR | IRQ_MSI)) {
        mmio_w32(CLINT_MSIP(rt_hartid()), 0);
        if (rt_hartid() == 1) h1_ipis++; else h0_ipis++;
    }
}

static void hart1(int hartid)
{
    h1_hartid = (int)csr_read(mhartid);
    (void)hartid;
    h1_started = 1;
    while (!go) ;
    count_lrsc();
    count_amo();
    count_lock();
    /* take an IPI from hart 0, then send one back */
    csr_write(mie, 1ul << IRQ_MSI);
    csr_set(mstatus, MSTATUS_MIE);
    h1_done = 1;
    while (h1_ipis == 0) ;
    mmio_w32(CLINT_MSIP(0), 1);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    h1_done = 2;
}

static int wait_for(volatile int *p, int v)
{
    uint64_t end = rt_mtime() + TIMEBASE_HZ;   /* 1 s */
    while (*p < v && rt_mtime() < end) ;
    return *p >= v;
}

int main(void)
{
    const char *G = "smp";
    printf("smp: two harts\n");
    rt_irq_hook[PRV_M] = ipi_hook;
    rt_start_hart(1, hart1);
    int up = wait_for(&h1_started, 1);
    check(G, "hart 1 leaves WFI on a CLINT msip IPI and runs", "priv 3.3.3 WFI + CLINT msip", up);
    if (!up) return 0;
    check_eq(G, "hart 1 mhartid", "priv 3.1.5 mhartid", (uint64_t)h1_hartid, 1);
    check_eq(G, "hart 1 cleared its msip (mip.MSIP of hart 1 = 0 seen via CLINT)", "CLINT msip", mmio_r32(CLINT_MSIP(1)), 0);
    go = 1;
    count_lrsc();
    count_amo();
    count_lock();
    int done = wait_for(&h1_done, 1);
    check(G, "hart 1 finished counting", "test progress", done);
    check_eq(G, "LR/SC counter = 2N", "unpriv A 8.2 LR/SC", sc_counter, 2 * N);
    check_eq(G, "AMOADD counter = 2N", "unpriv A 8.4 AMO", amo_counter, 2 * N);
    check_eq(G, "AMOSWAP spinlock-protected counter = 2N", "unpriv A 8.4 AMOSWAP acquire/release", lock_counter, 2 * N);
    /* IPIs both ways */
    csr_write(mie, 1ul << IRQ_MSI);
    csr_set(mstatus, MSTATUS_MIE);
    mmio_w32(CLINT_MSIP(1), 1);
    int got1 = wait_for(&h1_ipis, 1);
    int got0 = wait_for(&h0_ipis, 1);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    check(G, "hart 1 takes an MSI from hart 0", "priv 3.1.9 MSIP via CLINT", got1);
    check(G, "hart 0 takes an MSI from hart 1", "priv 3.1.9 MSIP via CLINT", got0);
    check(G, "hart 1 finished", "test progress", wait_for(&h1_done, 2));
    (void)h1_sc_fail;
    return 0;
}
