/* Entry of a VM-plane guest: VS-mode, a0 = vCPU id. vCPU 0 runs main and shuts down; the others,
   started here by SBI HSM hart_start, run secondary() (weak default: wait), each on its own stack. */
    .section .text.start
    .globl _start
_start:
    la t0, unexpected_trap   /* until a guest installs its own handler (trap.h) */
    csrw stvec, t0
    la sp, _stack_top
    slli t0, a0, 14          /* 16 KiB of stack per vCPU, below _stack_top */
    sub sp, sp, t0
    bnez a0, 2f
    call main
    call guest_shutdown
1:  j 1b
2:  call secondary
3:  wfi
    j 3b

    /* A trap the guest did not ask for (e.g. an FP instruction with FS off): fail at once,
       SBI SRST shutdown with reason 1 (system failure), rather than spin at vstvec 0. */
    .align 2
unexpected_trap:
    li a7, 0x53525354
    li a6, 0
    li a0, 0
    li a1, 1
    ecall
    j unexpected_trap
