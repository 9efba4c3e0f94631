/* The little a VM-plane guest needs: SBI calls (SBI 2.0), console output, and power-off. */
#ifndef GUEST_H
#define GUEST_H
#include <stdint.h>

struct sbiret { long error; long value; };

static inline struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2) {
    register long r0 __asm__("a0") = a0, r1 __asm__("a1") = a1, r2 __asm__("a2") = a2;
    register long r6 __asm__("a6") = fid, r7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
    return (struct sbiret){r0, r1};
}

static inline void guest_putchar(int c) {
    sbi_call(0x4442434E, 2, c, 0, 0); /* DBCN console_write_byte */
}

static inline void guest_puts(const char *s) {
    while (*s) guest_putchar(*s++);
}

static inline void guest_put_u64(uint64_t v) {
    char buf[24];
    int n = 0;
    do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) guest_putchar(buf[--n]);
}

void guest_shutdown(void);

/* Powers off reporting a failure (SBI SRST, reason "system failure"): the VM's exit code is 1. */
static inline void guest_fail(void) {
    for (;;) sbi_call(0x53525354, 0, 0, 1, 0);
}
#endif
