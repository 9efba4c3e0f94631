/*
 * Prints a line, writes and checks a few pages (G-stage faults on first touch), turns its FP unit
 * on (sstatus.FS in VS is vsstatus.FS; the plane keeps the host's FS on) and checks a few double
 * operations, powers off.
 */
#include "guest.h"

static volatile uint64_t pages[8][512];

int main(void) {
    guest_puts("hello from a VM-plane guest\n");
    for (int i = 0; i < 8; i++) pages[i][i] = 0x1234u + i;
    for (int i = 0; i < 8; i++) if (pages[i][i] != 0x1234u + i) { guest_puts("memory check FAILED\n"); return 1; }
    guest_puts("memory check ok\n");
    __asm__ volatile("csrs sstatus, %0" :: "r"(1ul << 13)); /* FS = Initial */
    volatile double a = 1.5, b = 0.25;
    double s = a * 4 + b / 0.5;                              /* 6.5, exact */
    if (s != 6.5) { guest_puts("fp check FAILED\n"); return 1; }
    guest_puts("fp check ok\n");
    return 0;
}
