/* Microbenchmark "MMIO": N reads of the emulated UART's line-status register, each an exit. */
#include "guest.h"
#define N 1000000

int main(void) {
    volatile uint8_t *lsr = (volatile uint8_t *)0x10000005UL;
    uint64_t ready = 0;
    for (int i = 0; i < N; i++) ready += (*lsr >> 5) & 1; /* THRE */
    guest_puts("DV-MB mmio ");
    guest_put_u64(ready);
    guest_putchar('\n');
    return 0;
}
