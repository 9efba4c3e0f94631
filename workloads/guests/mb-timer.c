/* Microbenchmark "timer interrupt": N times, set the timer to now (SBI set_timer) and wait until its
   interrupt has been taken by the supervisor timer interrupt handler, which withdraws it by setting
   the timer to the far future. On the kernel plane's vanilla path each interrupt is a host-timer
   exit; on the exit-less virtual timer (dv-ext.md §5) none is. */
#include "guest.h"
#include "trap.h"
#define N 10000

static volatile uint64_t fired;

void s_trap(void) {
    uint64_t cause;
    __asm__ volatile("csrr %0, scause" : "=r"(cause));
    if (cause == ((1ul << 63) | 5)) {
        guest_set_timer(~0ul);
        fired++;
    }
}

int main(void) {
    __asm__ volatile("csrw stvec, %0" :: "r"(s_trap_entry));
    __asm__ volatile("csrs sie, %0" :: "r"(1ul << 5));  /* STIE */
    __asm__ volatile("csrs sstatus, %0" :: "r"(2ul));   /* SIE */
    for (int i = 0; i < N; i++) {
        uint64_t before = fired;
        guest_set_timer(guest_time());
        while (fired == before) ;
    }
    guest_puts("DV-MB timer ");
    guest_put_u64(fired);
    guest_putchar('\n');
    return 0;
}
