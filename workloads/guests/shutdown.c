#include "guest.h"

void guest_shutdown(void) {
    sbi_call(0x53525354, 0, 0, 0, 0); /* SRST system_reset(shutdown, no reason) */
    for (;;) __asm__ volatile("wfi");
}

/* What vCPUs other than 0 run unless a guest provides its own: nothing. */
__attribute__((weak)) void secondary(long id) {
    (void)id;
    for (;;) __asm__ volatile("wfi");
}
