/* Entry of a VM-plane guest: VS-mode, a0 = vCPU id. vCPU 0 runs main and shuts down; others wait. */
    .section .text.start
    .globl _start
_start:
    la sp, _stack_top
    bnez a0, 2f
    call main
    call guest_shutdown
1:  j 1b
2:  wfi
    j 2b
