/*
 * sites.h - tiny assembly functions that execute one interesting instruction
 * at a known address and return, so a test can compare the recorded epc with
 * the address.  SITE(name, insns): "name:" runs insns then returns a0.
 * ECALL_SITE(name): clears a7 (so it is never the runtime's exit ecall), then
 * "name_at:" ecall.
 */
#ifndef SITES_H
#define SITES_H
#define SITE(name, insns) \
    __asm__(".pushsection .text\n.balign 4\n.globl " #name "\n" #name ":\n" insns "\n\tret\n.popsection\n"); \
    extern char name[]
#define ECALL_SITE(name) \
    __asm__(".pushsection .text\n.balign 4\n.globl " #name "\n" #name ":\n\tli a7, 0\n.globl " #name "_at\n" #name "_at:\n\tecall\n\tret\n.popsection\n"); \
    extern char name[], name##_at[]
#define CALL(name, arg) (((long (*)(long))(uintptr_t)(name))(arg))
#define FN(name) ((long (*)(long))(uintptr_t)(name))
#endif
