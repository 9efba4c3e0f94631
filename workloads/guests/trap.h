/* A VS-mode trap entry for guests that take traps: it saves the caller-saved registers, calls the
   guest's s_trap(), restores them and returns with sret. Include it in one .c file of a guest. */
#ifndef TRAP_H
#define TRAP_H
#include <stdint.h>

void s_trap(void);

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

static inline uint64_t csr_scause(void) {
    uint64_t v;
    __asm__ volatile("csrr %0, scause" : "=r"(v));
    return v;
}

static inline uint64_t csr_sepc(void) {
    uint64_t v;
    __asm__ volatile("csrr %0, sepc" : "=r"(v));
    return v;
}

static inline uint64_t csr_stval(void) {
    uint64_t v;
    __asm__ volatile("csrr %0, stval" : "=r"(v));
    return v;
}

/* Resumes after the trapping instruction (2 or 4 bytes; the guest runs with paging off). */
static inline void skip_trapping_instruction(void) {
    uint64_t epc = csr_sepc();
    uint16_t low = *(volatile uint16_t *)epc;
    epc += (low & 3) == 3 ? 4 : 2;
    __asm__ volatile("csrw sepc, %0" :: "r"(epc));
}

/* Takes traps at s_trap_entry and enables the supervisor external interrupt (SEIE, SIE). */
static inline void enable_external_interrupts(void) {
    __asm__ volatile("csrw stvec, %0" :: "r"(s_trap_entry));
    __asm__ volatile("csrs sie, %0" :: "r"(1ul << 9));
    __asm__ volatile("csrs sstatus, %0" :: "r"(2ul));
}

#define CAUSE_EXTERNAL ((1ul << 63) | 9)
#endif
