/* Prints a line, writes and checks a few pages (G-stage faults on first touch), powers off. */
#include "guest.h"

static volatile uint64_t pages[8][512];

int main(void) {
    guest_puts("hello from a VM-plane guest\n");
    for (int i = 0; i < 8; i++) pages[i][i] = 0x1234u + i;
    for (int i = 0; i < 8; i++) if (pages[i][i] != 0x1234u + i) { guest_puts("memory check FAILED\n"); return 1; }
    guest_puts("memory check ok\n");
    return 0;
}
