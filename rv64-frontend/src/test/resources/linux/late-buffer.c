/*
 * A hot loop translated while its data lived in one mapping, then run over a
 * buffer mapped afterwards, then after the first mapping is unmapped: an
 * emulator that compiles assumptions about the address space into its
 * translations must notice both changes. Prints one checksum.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

__attribute__((noinline)) static uint64_t sum(const volatile uint32_t *p, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++) s += p[i];
    return s;
}

/* One loop for every phase: its translation is made in the first. */
__attribute__((noinline)) static uint64_t rounds(const volatile uint32_t *p, size_t n, int times)
{
    uint64_t s = 0;
    for (int r = 0; r < times; r++) s += sum(p, n);
    return s;
}

int main(void)
{
    size_t n = 1 << 16, bytes = n * sizeof(uint32_t);
    uint32_t *a = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) return 2;
    for (size_t i = 0; i < n; i++) a[i] = (uint32_t)i;
    uint64_t s = 0;
    s += rounds(a, n, 64);
    uint32_t *b = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED) return 2;
    for (size_t i = 0; i < n; i++) b[i] = 3 * (uint32_t)i;
    s += rounds(b, n, 64);
    munmap(a, bytes);
    s += rounds(b, n, 8);
    printf("sum=%" PRIu64 "\n", s);
    return 0;
}
