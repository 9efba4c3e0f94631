#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
    /* many small blocks: the brk heap */
    void *first = sbrk(0);
    char *small[5000];
    long sum = 0;
    for (int i = 0; i < 5000; i++) {
        small[i] = malloc(16 + i % 200);
        memset(small[i], i & 0xff, 16 + i % 200);
    }
    for (int i = 0; i < 5000; i++) { sum += small[i][i % 16]; }
    for (int i = 0; i < 5000; i += 2) free(small[i]);
    for (int i = 1; i < 5000; i += 2) sum += small[i][0];
    printf("small sum=%ld heap grew=%d\n", sum, (char *)sbrk(0) > (char *)first);

    /* big blocks: mmap */
    char *big = malloc(32 << 20);
    for (long i = 0; i < (32L << 20); i += 4096) big[i] = (char)(i >> 12);
    long bsum = 0;
    for (long i = 0; i < (32L << 20); i += 4096) bsum += big[i];
    printf("big sum=%ld\n", bsum);
    /* realloc of a big block: mremap */
    big = realloc(big, 96 << 20);
    long rsum = 0;
    for (long i = 0; i < (32L << 20); i += 4096) rsum += big[i];
    big[(96 << 20) - 1] = 7;
    printf("realloc kept=%d tail=%d\n", rsum == bsum, big[(96 << 20) - 1]);
    big = realloc(big, 8 << 20);
    printf("shrunk first=%d\n", big[4096]);
    free(big);
    for (int i = 1; i < 5000; i += 2) free(small[i]);

    /* anonymous mmap, MAP_FIXED, munmap, mprotect */
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(m, 0x5a, 4 * pg);
    munmap(m + pg, pg);
    char *again = mmap(m + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("fixed same=%d zeroed=%d kept=%d\n", again == m + pg, again[0] == 0 && again[pg - 1] == 0, m[0] == 0x5a);
    void *clash = mmap(m, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    /* Kernels before 4.17 (and qemu 7.2) take the flag as a hint and map elsewhere; newer ones fail with EEXIST. */
    printf("noreplace kept the old mapping=%d\n", (clash == MAP_FAILED || clash != (void *)m) && m[0] == 0x5a);
    printf("mprotect=%d\n", mprotect(m, 4 * pg, PROT_READ));
    printf("read after mprotect=%d\n", m[3 * pg]);
    printf("munmap=%d\n", munmap(m, 4 * pg));
    printf("bad munmap=%d\n", munmap(m + 1, pg));
    return 0;
}
