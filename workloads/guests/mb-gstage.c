/* Microbenchmark "G-stage page fault": the first write to each of N fresh pages faults to the VM plane. */
#include "guest.h"
#define N 16384

static volatile uint8_t area[N][4096] __attribute__((aligned(4096)));

int main(void) {
    uint64_t touched = 0;
    for (int i = 0; i < N; i++) { area[i][0] = 1; touched += area[i][0]; }
    guest_puts("DV-MB gstage-fault ");
    guest_put_u64(touched);
    guest_putchar('\n');
    return 0;
}
