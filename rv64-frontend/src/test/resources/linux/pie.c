/* A freestanding static PIE: no C library. It applies its own R_RISCV_RELATIVE relocations, as a
 * static-pie C library start-up does, then prints through raw system calls. */
#include <elf.h>
#include <stddef.h>

static long sys3(long n, long a, long b, long c) {
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

extern Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
extern char __ehdr_start[] __attribute__((visibility("hidden")));

/* Needs R_RISCV_RELATIVE relocations: an array of absolute pointers. */
const char *volatile messages[] = {"static-pie: relocated pointer one\n", "static-pie: relocated pointer two\n"};

static size_t len(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static void relocate(void) {
    unsigned long base = (unsigned long)__ehdr_start;
    Elf64_Rela *rela = 0;
    unsigned long size = 0;
    for (Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_RELA) rela = (Elf64_Rela *)(base + d->d_un.d_ptr);
        if (d->d_tag == DT_RELASZ) size = d->d_un.d_val;
    }
    for (unsigned long i = 0; rela && i < size / sizeof(Elf64_Rela); i++) {
        if (ELF64_R_TYPE(rela[i].r_info) == 3 /* R_RISCV_RELATIVE */)
            *(unsigned long *)(base + rela[i].r_offset) = base + rela[i].r_addend;
    }
}

__attribute__((noreturn)) void _start_c(long *sp) {
    relocate();
    for (int i = 0; i < 2; i++) sys3(64, 1, (long)messages[i], (long)len(messages[i]));
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    for (long i = 0; i < argc; i++) {
        sys3(64, 1, (long)argv[i], (long)len(argv[i]));
        sys3(64, 1, (long)"\n", 1);
    }
    int loaded_high = (unsigned long)__ehdr_start != 0;
    sys3(64, 1, loaded_high ? (long)"base nonzero\n" : (long)"base zero\n", loaded_high ? 13 : 10);
    sys3(94, 5, 0, 0);
    for (;;) { }
}

__asm__(".globl _start\n_start:\n mv a0, sp\n j _start_c\n");
