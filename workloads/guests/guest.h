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

/* Exit-less virtual IPIs (the VM planes' SBI extension DV_VIPI, duvisor/.../vm/ExitEmulation.java):
   when the hypervisor offers it, vCPU h's id in the vIPI bitmap (dv-ext.md §6), else -1. The guest
   then posts an IPI itself with guest_vipi_post: a CSRRS on vipi0..3 from VS, no exit. */
#define SBI_DV_VIPI 0x0A445649L

static inline long guest_vipi_id(long hart) {
    if (!sbi_call(0x10, 3, SBI_DV_VIPI, 0, 0).value) return -1;   /* BASE probe_extension */
    struct sbiret r = sbi_call(SBI_DV_VIPI, 0, hart, 0, 0);
    return r.error ? -1 : r.value;
}

static inline void guest_vipi_post(long id) {
    uint64_t bit = 1ul << (id & 63);
    switch (id >> 6) {
    case 0: __asm__ volatile("csrs 0x483, %0" :: "r"(bit) : "memory"); break;
    case 1: __asm__ volatile("csrs 0x484, %0" :: "r"(bit) : "memory"); break;
    case 2: __asm__ volatile("csrs 0x485, %0" :: "r"(bit) : "memory"); break;
    default: __asm__ volatile("csrs 0x486, %0" :: "r"(bit) : "memory"); break;
    }
}

/* SBI TIME set_timer: the guest's timer interrupt (scause 1<<63 | 5) at time stime_value. */
static inline void guest_set_timer(uint64_t stime_value) {
    sbi_call(0x54494D45, 0, (long)stime_value, 0, 0);
}

static inline uint64_t guest_time(void) {
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

void guest_shutdown(void);

/* Powers off reporting a failure (SBI SRST, reason "system failure"): the VM's exit code is 1. */
static inline void guest_fail(void) {
    for (;;) sbi_call(0x53525354, 0, 0, 1, 0);
}
#endif
