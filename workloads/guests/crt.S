/* Entry of a VM-plane guest: VS-mode, a0 = vCPU id. vCPU 0 runs main and shuts down; the others,
   started here by SBI HSM hart_start, run secondary() (weak default: wait), each on its own stack. */
    .section .text.start
    .globl _start
_start:
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
