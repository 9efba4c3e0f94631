/*
 * crt0.S - entry, per-hart setup, trap entries (direct and vectored, M and S),
 * and the switch to / return from a lower privilege mode.
 *
 * Per hart h (0 <= h < MAX_HARTS), stacks at rt_stack_area + h*HART_STACK:
 *   +0x0000..0x4000  M-mode stack (main / hart function)
 *   +0x4000..0x6000  M trap stack   (mscratch holds its top while not in a handler)
 *   +0x6000..0x8000  S trap stack   (sscratch likewise)
 *   +0x8000..0xC000  lower-mode stack used by rt_run
 * tp holds the hart id in every mode (C code never touches tp).
 */
#define MAX_HARTS   4
#define HART_STACK  0xC000
#define OFF_MSTACK  0x4000
#define OFF_MTRAP   0x6000
#define OFF_STRAP   0x8000
#define OFF_LOWER   0xC000
#define FRAME       288
#define F_EPC       256
#define F_CAUSE     264
#define F_TVAL      272
#define F_STATUS    280
#define CTX_SIZE    128

/* t1 = rt_stack_area + tp*HART_STACK + off (clobbers t2) */
.macro hart_area off
    la   t1, rt_stack_area
    li   t2, HART_STACK
    mul  t2, t2, tp
    add  t1, t1, t2
    li   t2, \off
    add  t1, t1, t2
.endm

    .section .text.init, "ax"
    .globl _start
_start:
    csrw mie, zero
    mv   tp, a0
    li   t0, MAX_HARTS
    bgeu a0, t0, park_forever
    hart_area OFF_MSTACK
    mv   sp, t1
    hart_area OFF_MTRAP
    csrw mscratch, t1
    hart_area OFF_STRAP
    csrw sscratch, t1
    /* PMP entry 0 = NAPOT over everything, RWX, so S/U may access memory
     * (with PMP implemented and no matching entry, S/U accesses fail).
     * A temporary mtvec skips this if PMP is absent. */
    la   t0, 1f
    csrw mtvec, t0
    li   t0, -1
    csrw pmpaddr0, t0
    li   t0, 0x1f
    csrw pmpcfg0, t0
    .balign 4
1:  la   t0, rt_mtrap_entry
    csrw mtvec, t0
    la   t0, rt_strap_entry
    csrw stvec, t0
    csrw medeleg, zero
    csrw mideleg, zero
    csrw satp, zero
    li   t0, (1 << 13)          /* mstatus.FS = Initial: gcc may use FP regs */
    csrs mstatus, t0
    csrw fcsr, zero
    bnez tp, secondary

    la   t0, __bss_start
    la   t1, __bss_end
2:  bgeu t0, t1, 3f
    sd   zero, 0(t0)
    addi t0, t0, 8
    j    2b
3:  call rt_main                /* a0 = hartid, a1 = DTB; never returns */
park_forever:
    csrw mie, zero
4:  wfi
    j    4b

/* Harts other than 0: wait for rt_start_hart (rt_boot_fn[h] set + CLINT msip). */
secondary:
    li   t0, 8                  /* mie.MSIE: WFI wakes on the IPI (mstatus.MIE stays 0) */
    csrw mie, t0
5:  wfi
    la   t0, rt_boot_fn
    slli t1, tp, 3
    add  t0, t0, t1
    ld   t3, 0(t0)
    beqz t3, 5b
    sd   zero, 0(t0)
    li   t0, 0x02000000
    slli t1, tp, 2
    add  t0, t0, t1
    sw   zero, 0(t0)            /* clear our msip */
    csrw mie, zero
    fence
    hart_area OFF_MSTACK
    mv   sp, t1
    mv   a0, tp
    jalr t3
    j    secondary

/* ---------------------------------------------------------------- traps */
.macro save_regs
    sd   x1, 8(sp)
    sd   x3, 24(sp)
    sd   x4, 32(sp)
    sd   x6, 48(sp)
    sd   x7, 56(sp)
    sd   x8, 64(sp)
    sd   x9, 72(sp)
    sd   x10, 80(sp)
    sd   x11, 88(sp)
    sd   x12, 96(sp)
    sd   x13, 104(sp)
    sd   x14, 112(sp)
    sd   x15, 120(sp)
    sd   x16, 128(sp)
    sd   x17, 136(sp)
    sd   x18, 144(sp)
    sd   x19, 152(sp)
    sd   x20, 160(sp)
    sd   x21, 168(sp)
    sd   x22, 176(sp)
    sd   x23, 184(sp)
    sd   x24, 192(sp)
    sd   x25, 200(sp)
    sd   x26, 208(sp)
    sd   x27, 216(sp)
    sd   x28, 224(sp)
    sd   x29, 232(sp)
    sd   x30, 240(sp)
    sd   x31, 248(sp)
.endm
.macro restore_regs
    ld   x1, 8(sp)
    ld   x3, 24(sp)
    ld   x4, 32(sp)
    ld   x6, 48(sp)
    ld   x7, 56(sp)
    ld   x8, 64(sp)
    ld   x9, 72(sp)
    ld   x10, 80(sp)
    ld   x11, 88(sp)
    ld   x12, 96(sp)
    ld   x13, 104(sp)
    ld   x14, 112(sp)
    ld   x15, 120(sp)
    ld   x16, 128(sp)
    ld   x17, 136(sp)
    ld   x18, 144(sp)
    ld   x19, 152(sp)
    ld   x20, 160(sp)
    ld   x21, 168(sp)
    ld   x22, 176(sp)
    ld   x23, 184(sp)
    ld   x24, 192(sp)
    ld   x25, 200(sp)
    ld   x26, 208(sp)
    ld   x27, 216(sp)
    ld   x28, 224(sp)
    ld   x29, 232(sp)
    ld   x30, 240(sp)
    ld   x31, 248(sp)
    ld   x5, 40(sp)
.endm

/* \p = m or s.  Entry: sp <-> \p scratch, frame pushed, t0 saved, t0 = slot. */
.macro trap_stub p, slot
    csrrw sp, \p\()scratch, sp
    addi sp, sp, -FRAME
    sd   t0, 40(sp)
    li   t0, \slot
    j    \p\()trap_common
.endm

.macro trap_common p, ret, handler, name
\name:
    sd   t0, 0(sp)              /* vector slot (-1 = direct) in the x0 slot */
    save_regs
    csrr t0, \p\()scratch
    sd   t0, 16(sp)             /* interrupted sp */
    csrr t0, \p\()epc
    sd   t0, F_EPC(sp)
    csrr t0, \p\()cause
    sd   t0, F_CAUSE(sp)
    csrr t0, \p\()tval
    sd   t0, F_TVAL(sp)
    csrr t0, \p\()status
    sd   t0, F_STATUS(sp)
    mv   a0, sp
    call \handler
    ld   t0, F_EPC(sp)
    csrw \p\()epc, t0
    addi t0, sp, FRAME
    csrw \p\()scratch, t0
    restore_regs
    ld   sp, 16(sp)
    \ret
.endm

    .text
    .balign 4
    .globl rt_mtrap_entry
rt_mtrap_entry:
    trap_stub m, -1
    trap_common m, mret, rt_mtrap, mtrap_common

    .balign 4
    .globl rt_strap_entry
rt_strap_entry:
    trap_stub s, -1
    trap_common s, sret, rt_strap, strap_common

/* VS-level entry (H extension): vstvec points here, vsscratch holds the VS
 * trap stack (in VS mode the s* CSR names access the vs* registers). */
    .balign 4
    .globl rt_vstrap_entry
rt_vstrap_entry:
    csrrw sp, sscratch, sp
    addi sp, sp, -FRAME
    sd   t0, 40(sp)
    li   t0, -1
    trap_common s, sret, rt_vstrap, vstrap_common

/* Vectored tables: slot 0 = exceptions, slot i = interrupt cause i. */
.macro vec_table p
    .balign 256
    .globl rt_\p\()trap_vectors
rt_\p\()trap_vectors:
    .option push
    .option norvc
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j    \p\()vec_\i
    .endr
    .option pop
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
\p\()vec_\i: trap_stub \p, \i
    .endr
.endm
    vec_table m
    vec_table s

/* long rt_run_raw(long mode, uintptr_t fn, long arg, uintptr_t sp, uintptr_t ret)
 * mode: PRV_S/PRV_U, | RT_VIRT (0x10) for VS/VU; mstatus.MPV is cleared otherwise. */
    .globl rt_run_raw
rt_run_raw:
    la   t0, rt_ctx
    slli t1, tp, 7
    add  t0, t0, t1
    sd   ra, 0(t0)
    sd   sp, 8(t0)
    sd   s0, 16(t0)
    sd   s1, 24(t0)
    sd   s2, 32(t0)
    sd   s3, 40(t0)
    sd   s4, 48(t0)
    sd   s5, 56(t0)
    sd   s6, 64(t0)
    sd   s7, 72(t0)
    sd   s8, 80(t0)
    sd   s9, 88(t0)
    sd   s10, 96(t0)
    sd   s11, 104(t0)
    csrr t1, mstatus
    sd   t1, 112(t0)
    li   t1, (3 << 11)
    csrc mstatus, t1
    andi t2, a0, 3
    slli t1, t2, 11
    csrs mstatus, t1
    li   t1, 1
    slli t1, t1, 39             /* mstatus.MPV (H): mode | RT_VIRT enters VS/VU */
    csrc mstatus, t1
    andi t2, a0, 0x10
    slli t2, t2, 35
    csrs mstatus, t2
    csrw mepc, a1
    mv   a0, a2
    mv   sp, a3
    mv   ra, a4
    mret

/* Lower-mode functions return here. */
    .balign 4
    .globl rt_lower_return
rt_lower_return:
    li   a7, 0x5254455874
    ecall
6:  j    6b

/* void rt_ctx_resume(long val): from the M trap handler, back into rt_run_raw's caller. */
    .globl rt_ctx_resume
rt_ctx_resume:
    hart_area OFF_MTRAP
    csrw mscratch, t1
    hart_area OFF_STRAP
    csrw sscratch, t1
    la   t0, rt_ctx
    slli t1, tp, 7
    add  t0, t0, t1
    ld   ra, 0(t0)
    ld   sp, 8(t0)
    ld   s0, 16(t0)
    ld   s1, 24(t0)
    ld   s2, 32(t0)
    ld   s3, 40(t0)
    ld   s4, 48(t0)
    ld   s5, 56(t0)
    ld   s6, 64(t0)
    ld   s7, 72(t0)
    ld   s8, 80(t0)
    ld   s9, 88(t0)
    ld   s10, 96(t0)
    ld   s11, 104(t0)
    ld   t1, 112(t0)
    andi t1, t1, 8
    csrs mstatus, t1            /* restore mstatus.MIE */
    ret

/* uintptr_t rt_lower_stack_top(void) */
    .globl rt_lower_stack_top
rt_lower_stack_top:
    hart_area OFF_LOWER
    mv   a0, t1
    ret

    .bss
    .balign 16
rt_ctx: .space CTX_SIZE * MAX_HARTS

    .data
    .balign 8
    .globl rt_boot_fn
rt_boot_fn: .space 8 * MAX_HARTS

    .section .tohost, "aw", @progbits
    .balign 8
    .globl tohost, fromhost
tohost:   .dword 0
    .balign 64
fromhost: .dword 0
