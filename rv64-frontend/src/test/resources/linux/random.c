#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>

int main(void) {
    unsigned char a[32], b[32], zero[32] = {0};
    ssize_t n = getrandom(a, sizeof a, 0);
    ssize_t m = getrandom(b, sizeof b, GRND_NONBLOCK);
    printf("getrandom %zd %zd differ=%d nonzero=%d\n", n, m, memcmp(a, b, 32) != 0, memcmp(a, zero, 32) != 0);
    unsigned char *r = (unsigned char *)getauxval(AT_RANDOM);
    printf("AT_RANDOM present=%d\n", r != NULL && memcmp(r, zero, 16) != 0);
    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    return 0;
}
