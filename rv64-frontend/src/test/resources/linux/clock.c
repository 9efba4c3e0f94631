#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec a, b, r;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    printf("slept enough: %d\n", ns >= 20 * 1000 * 1000 && ns < 5L * 1000 * 1000 * 1000);
    time_t t = time(NULL);
    printf("time sane: %d\n", t > 1600000000 && t < 4000000000L);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday sane: %d\n", tv.tv_sec >= t - 1 && tv.tv_sec <= t + 5 && tv.tv_usec < 1000000);
    clock_gettime(CLOCK_REALTIME, &a);
    printf("realtime sane: %d\n", a.tv_sec >= t - 1 && a.tv_nsec < 1000000000);
    printf("getres: %d %d\n", clock_getres(CLOCK_MONOTONIC, &r), r.tv_sec == 0 && r.tv_nsec > 0);
    clock_gettime(CLOCK_MONOTONIC, &a);
    nap.tv_nsec = 5 * 1000 * 1000;
    clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    printf("clock_nanosleep enough: %d\n", ns >= 5 * 1000 * 1000);
    struct tm tm;
    time_t fixed = 1700000000;
    gmtime_r(&fixed, &tm);
    char out[64];
    strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S", &tm);
    printf("gmtime: %s\n", out);
    return 0;
}
