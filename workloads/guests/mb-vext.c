/* Microbenchmark "virtual external interrupt": N times, ring the emulated device's doorbell (one
   MMIO write) and wait until its interrupt has been taken, claimed and completed in the guest's
   PLIC context by the supervisor external interrupt handler. */
#include "guest.h"
#include "trap.h"
#define N 100000

#define PLIC        0x0C000000UL
#define SOURCE      8                                  /* the doorbell's interrupt (slot 7's window) */
#define CONTEXT     1                                  /* vCPU 0, S-mode */
#define DOORBELL    ((volatile uint32_t *)0x10008000UL)

static volatile uint64_t handled;

static inline volatile uint32_t *reg(uint64_t off) { return (volatile uint32_t *)(PLIC + off); }

void s_trap(void) {
    uint64_t cause;
    __asm__ volatile("csrr %0, scause" : "=r"(cause));
    if (cause == ((1ul << 63) | 9)) {
        uint32_t id = *reg(0x200004 + 0x1000 * CONTEXT); /* claim */
        if (id) {
            handled++;
            *reg(0x200004 + 0x1000 * CONTEXT) = id;     /* complete */
        }
    }
}

int main(void) {
    *reg(4 * SOURCE) = 1;                               /* priority */
    *reg(0x2000 + 0x80 * CONTEXT) = 1u << SOURCE;       /* enable */
    *reg(0x200000 + 0x1000 * CONTEXT) = 0;              /* threshold */
    __asm__ volatile("csrw stvec, %0" :: "r"(s_trap_entry));
    __asm__ volatile("csrs sie, %0" :: "r"(1ul << 9));  /* SEIE */
    __asm__ volatile("csrs sstatus, %0" :: "r"(2ul));   /* SIE */
    for (int i = 0; i < N; i++) {
        uint64_t before = handled;
        *DOORBELL = 1;
        while (handled == before) ;
    }
    guest_puts("DV-MB vext ");
    guest_put_u64(handled);
    guest_putchar('\n');
    return 0;
}
