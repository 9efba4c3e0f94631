/*
 * mapping.c - self-checking test of memory accesses from hot code across
 * changes of the address space: munmap, mprotect, brk shrinking, MAP_FIXED
 * replacement, and data pages that become code.
 *
 * Each hot loop below runs long enough to be translated while its memory is
 * plain read-write data; then the mapping changes under it and the same loop
 * runs again.  An emulator that compiled assumptions about the old mapping
 * into its translations (a translator's direct RAM windows, a cached TLB
 * entry) shows it here: a load from an unmapped page that does not fault, a
 * store to a read-only page that lands, stale code.
 *
 * One line per check, then OK/FAIL; last line "mapping: N checks, M failed";
 * exit status 0 iff all passed.  Faulting addresses are printed as offsets
 * from their mapping, never as absolute addresses.
 *
 * Build: riscv64-linux-gnu-gcc -O2 -static -march=rv64gc_zba_zbb_zbs
 */
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096UL
#define HOT_ROUNDS 400

/* The hot loops: out of line so every caller shares one translation. */
__attribute__((noinline)) static uint64_t sum_words(const volatile uint64_t *p, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++) s += p[i] * (i | 1);
    return s;
}

__attribute__((noinline)) static void fill_words(volatile uint64_t *p, size_t n, uint64_t v)
{
    for (size_t i = 0; i < n; i++) p[i] = v + i;
}

__attribute__((noinline)) static void copy_words(volatile uint32_t *to, const uint32_t *from, size_t n)
{
    for (size_t i = 0; i < n; i++) to[i] = from[i];
}

static uint64_t expected_sum(size_t n, uint64_t v)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++) s += (v + i) * (i | 1);
    return s;
}

/* SIGSEGV is caught and turned into a return from sigsetjmp. */
static sigjmp_buf fault_env;
static volatile uintptr_t fault_addr;

static void on_sigsegv(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(fault_env, 1);
}

#define FAULTS(stmt) ({ \
    int faulted_ = 0; \
    fault_addr = 0; \
    if (sigsetjmp(fault_env, 1) == 0) { stmt; } else { faulted_ = 1; } \
    faulted_; })

/* Warms a buffer's loops: fill and sum it many times (they become hot). */
static uint64_t warm(volatile uint64_t *p, size_t n)
{
    uint64_t s = 0;
    for (int r = 0; r < HOT_ROUNDS; r++) {
        fill_words(p, n, (uint64_t)r);
        s = sum_words(p, n);
    }
    return s;
}

static void test_munmap(void)
{
    size_t words = 16 * PAGE / 8;
    volatile uint64_t *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, 1, "munmap: mmap 16 pages read-write");
    check(warm(p, words), expected_sum(words, HOT_ROUNDS - 1), "munmap: hot fill+sum over 16 pages");
    check(munmap((void *)(p + words / 2), 8 * PAGE), 0, "munmap: unmap the upper 8 pages");
    check(sum_words(p, words / 2), expected_sum(words / 2, HOT_ROUNDS - 1), "munmap: sum of the lower 8 pages");
    uint64_t s = 0;
    check(FAULTS(s = sum_words(p, words)), 1, "munmap: the hot sum faults in the unmapped half");
    check(fault_addr - (uintptr_t)p, 8 * PAGE, "munmap: fault address (offset from the mapping)");
    check(FAULTS(fill_words(p + words / 2 - 4, 8, 7)), 1, "munmap: the hot fill faults at the unmapped page");
    check(fault_addr - (uintptr_t)p, 8 * PAGE, "munmap: fault address of the fill");
    check(p[words / 2 - 1], 7 + 3, "munmap: the fill's stores before the fault landed");
    (void)s;
    munmap((void *)p, 8 * PAGE);
}

static void test_mprotect(void)
{
    size_t words = 16 * PAGE / 8;
    volatile uint64_t *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(warm(p, words), expected_sum(words, HOT_ROUNDS - 1), "mprotect: hot fill+sum over 16 pages");
    check(mprotect((void *)(p + words / 4), 4 * PAGE, PROT_READ), 0, "mprotect: pages 4-7 read-only");
    check(FAULTS(fill_words(p, words, 1000)), 1, "mprotect: the hot fill faults at the read-only pages");
    check(fault_addr - (uintptr_t)p, 4 * PAGE, "mprotect: fault address (offset from the mapping)");
    check(p[words / 4 - 1], 1000 + words / 4 - 1, "mprotect: the last store before the read-only pages landed");
    check(p[words / 4], HOT_ROUNDS - 1 + words / 4, "mprotect: the first read-only word is unchanged");
    check(sum_words(p + words / 4, words / 4), expected_sum(words / 4, HOT_ROUNDS - 1 + words / 4),
          "mprotect: the read-only pages still read");
    check(mprotect((void *)(p + words / 4), 4 * PAGE, PROT_NONE), 0, "mprotect: pages 4-7 inaccessible");
    check(FAULTS(sum_words(p, words)), 1, "mprotect: the hot sum faults at the inaccessible pages");
    check(fault_addr - (uintptr_t)p, 4 * PAGE, "mprotect: fault address of the sum");
    check(mprotect((void *)(p + words / 4), 4 * PAGE, PROT_READ | PROT_WRITE), 0, "mprotect: pages 4-7 read-write again");
    fill_words(p, words, 5);
    check(sum_words(p, words), expected_sum(words, 5), "mprotect: hot fill+sum over all 16 pages again");
    munmap((void *)p, 16 * PAGE);
}

static void test_map_fixed(void)
{
    size_t words = 8 * PAGE / 8;
    volatile uint64_t *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(warm(p, words), expected_sum(words, HOT_ROUNDS - 1), "map-fixed: hot fill+sum over 8 pages");
    void *q = mmap((void *)(p + words / 2), 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check(q == (void *)(p + words / 2), 1, "map-fixed: a read-only mapping replaces the upper 4 pages");
    check(sum_words(p + words / 2, words / 2), 0, "map-fixed: the new pages read zero");
    check(FAULTS(fill_words(p, words, 9)), 1, "map-fixed: the hot fill faults at the new pages");
    check(fault_addr - (uintptr_t)p, 4 * PAGE, "map-fixed: fault address (offset from the mapping)");
    munmap((void *)p, 8 * PAGE);
}

/*
 * Shrinking the break unmaps the pages above it on Linux; qemu-user 7.2 keeps
 * them mapped, so a fault there is not checked (the two disagree), only that
 * the pages read zero once the heap grows back.
 */
static void test_brk(void)
{
    size_t words = 16 * PAGE / 8;
    char *base = sbrk(0);
    char *top = (char *)(((uintptr_t)base + PAGE - 1) & ~(PAGE - 1));
    check(brk(top + 16 * PAGE), 0, "brk: grow the heap by 16 pages (from a page boundary)");
    volatile uint64_t *p = (volatile uint64_t *)top;
    check(warm(p, words), expected_sum(words, HOT_ROUNDS - 1), "brk: hot fill+sum over the new heap");
    check(brk(top + 8 * PAGE), 0, "brk: shrink the heap by 8 pages");
    check(sum_words(p, words / 2), expected_sum(words / 2, HOT_ROUNDS - 1), "brk: the hot sum below the break");
    check(brk(top + 16 * PAGE), 0, "brk: grow it back");
    check(sum_words(p + words / 2, words / 2), 0, "brk: the pages given back read zero");
    fill_words(p, words, 11);
    check(sum_words(p, words), expected_sum(words, 11), "brk: hot fill+sum over all 16 pages again");
    check(brk(base), 0, "brk: back to the original break");
}

/* addi a0, a0, imm; ret */
static uint32_t addi_a0(int imm)
{
    return (uint32_t)(imm & 0xfff) << 20 | 10u << 15 | 10u << 7 | 0x13u;
}

static void test_data_becomes_code(void)
{
    size_t words = 4 * PAGE / 8;
    volatile uint64_t *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(warm(p, words), expected_sum(words, HOT_ROUNDS - 1), "code: hot fill+sum over 4 data pages");
    uint32_t prog[64];
    for (int k = 0; k < 63; k++) prog[k] = addi_a0(1);
    prog[63] = 0x00008067u; /* ret */
    /* The hot copy loop was translated while the pages held data. */
    for (int r = 0; r < HOT_ROUNDS; r++) copy_words((volatile uint32_t *)p, prog, 64);
    check(mprotect((void *)p, 4 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC), 0, "code: the pages become executable");
    copy_words((volatile uint32_t *)p, prog, 64);
    __asm__ volatile("fence.i" ::: "memory");
    long (*f)(long) = (long (*)(long))(uintptr_t)p;
    long r1 = 0;
    for (int r = 0; r < HOT_ROUNDS; r++) r1 = f(r);
    check((uint64_t)r1, HOT_ROUNDS - 1 + 63, "code: run the copied code (63 x addi 1), hot");
    for (int k = 0; k < 63; k++) prog[k] = addi_a0(2);
    copy_words((volatile uint32_t *)p, prog, 64);
    __asm__ volatile("fence.i" ::: "memory");
    check((uint64_t)f(0), 126, "code: rewritten by the hot copy loop (63 x addi 2)");
    check(mprotect((void *)p, 4 * PAGE, PROT_READ | PROT_WRITE), 0, "code: the pages become data again");
    check(FAULTS(f(0)), 1, "code: executing them now faults");
    fill_words(p, words, 3);
    check(sum_words(p, words), expected_sum(words, 3), "code: hot fill+sum over them as data");
    munmap((void *)p, 4 * PAGE);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsegv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);

    test_munmap();
    test_mprotect();
    test_map_fixed();
    test_brk();
    test_data_becomes_code();

    printf("mapping: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
