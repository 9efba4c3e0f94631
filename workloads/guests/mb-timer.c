/* Microbenchmark "timer interrupt": N times, set the timer to now (SBI set_timer) and wait until its
   interrupt has been taken by the supervisor timer interrupt handler, which withdraws it by setting
   the timer to the far future. On the kernel plane's vanilla path each interrupt is a host-timer
   exit; on the exit-less virtual timer (dv-ext.md §5) none is. */
#include "guest.h"
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

__asm__(".align 4\n"
        "s_trap_entry:\n"
        "  addi sp, sp, -128\n"
        "  sd ra, 0(sp); sd t0, 8(sp); sd t1, 16(sp); sd t2, 24(sp); sd a0, 32(sp); sd a1, 40(sp); sd a2, 48(sp)\n"
        "  sd a3, 56(sp); sd a4, 64(sp); sd a5, 72(sp); sd a6, 80(sp); sd a7, 88(sp); sd t3, 96(sp); sd t4, 104(sp)\n"
        "  sd t5, 112(sp); sd t6, 120(sp)\n"
        "  call s_trap\n"
        "  ld ra, 0(sp); ld t0, 8(sp); ld t1, 16(sp); ld t2, 24(sp); ld a0, 32(sp); ld a1, 40(sp); ld a2, 48(sp)\n"
        "  ld a3, 56(sp); ld a4, 64(sp); ld a5, 72(sp); ld a6, 80(sp); ld a7, 88(sp); ld t3, 96(sp); ld t4, 104(sp)\n"
        "  ld t5, 112(sp); ld t6, 120(sp)\n"
        "  addi sp, sp, 128\n"
        "  sret\n");
extern void s_trap_entry(void);

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
