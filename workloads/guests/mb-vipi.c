/* Microbenchmark "virtual IPI": vCPU 0 sends N IPIs to vCPU 1 and waits for each to be taken
   there (vCPU 1's supervisor software interrupt handler counts it). Needs 2 vCPUs. vCPU 1 spins
   with interrupts enabled rather than sleeping in WFI, so the benchmark measures delivery to a
   running vCPU, not the host's thread wake-up. An IPI is an SBI IPI call, or, when the hypervisor
   offers exit-less vIPIs (guest_vipi_id), a write of vCPU 1's bit in the vIPI bitmap. */
#include "guest.h"
#include "trap.h"
#define N 100000

static volatile uint64_t acked;

void s_trap(void) {
    uint64_t cause;
    __asm__ volatile("csrr %0, scause" : "=r"(cause));
    if (cause == ((1ul << 63) | 1)) {
        __asm__ volatile("csrc sip, %0" :: "r"(2ul));
        acked++;
    }
}

static volatile int ready;

void secondary(long id) {
    (void)id;
    __asm__ volatile("csrw stvec, %0" :: "r"(s_trap_entry));
    __asm__ volatile("csrs sie, %0" :: "r"(2ul));   /* SSIE */
    __asm__ volatile("csrs sstatus, %0" :: "r"(2ul)); /* SIE */
    ready = 1;
    for (;;) __asm__ volatile("nop");
}

extern void _start(void);

int main(void) {
    sbi_call(0x48534D, 0, 1, (long)_start, 0); /* HSM hart_start(vCPU 1, _start, 0) */
    while (!ready) ;
    long target = guest_vipi_id(1);
    uint64_t sent = 0;
    for (int i = 0; i < N; i++) {
        uint64_t before = acked;
        if (target >= 0) guest_vipi_post(target);
        else sbi_call(0x735049, 0, 1ul << 1, 0, 0); /* IPI send_ipi(hart_mask = vCPU 1, base 0) */
        sent++;
        while (acked == before) ;
    }
    guest_puts("DV-MB vipi ");
    guest_put_u64(acked == sent ? sent : 0);
    guest_putchar('\n');
    return 0;
}
