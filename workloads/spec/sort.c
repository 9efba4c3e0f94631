/*
 * sort: integer and string sorting.
 *
 * Each round generates a fresh array of 32-bit keys (mixed distributions:
 * uniform, few distinct values, presorted runs), sorts it with an
 * introspective-style quicksort (median of three, insertion sort for short
 * ranges), sorts signed 64-bit keys with heapsort, and sorts generated words
 * with a top-down merge sort.  Every result is verified to be ordered and to
 * be a permutation of the input (sum/xor fingerprints), then folded into the
 * checksum.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0x65807207086a3ed7ull, 0x8a3e0909a155a286ull };

/* ---------- 32-bit unsigned keys: quicksort ---------- */

static void insertion_u32(uint32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void swap_u32(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

static void quicksort_u32(uint32_t *a, long n)
{
    while (n > 24) {
        long mid = n / 2;
        /* median of three moved to a[0] */
        if (a[mid] < a[0]) swap_u32(&a[mid], &a[0]);
        if (a[n - 1] < a[0]) swap_u32(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid]) swap_u32(&a[n - 1], &a[mid]);
        swap_u32(&a[0], &a[mid]);
        uint32_t pivot = a[0];
        long i = 0, j = n;
        for (;;) {
            do i++; while (i < n && a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j)
                break;
            swap_u32(&a[i], &a[j]);
        }
        swap_u32(&a[0], &a[j]);
        /* recurse into the smaller part, iterate over the larger */
        long left = j, right = n - j - 1;
        if (left < right) {
            quicksort_u32(a, left);
            a += j + 1;
            n = right;
        } else {
            quicksort_u32(a + j + 1, right);
            n = left;
        }
    }
    insertion_u32(a, n);
}

/* ---------- signed 64-bit keys: heapsort ---------- */

static void sift_down_i64(int64_t *a, long start, long n)
{
    long root = start;
    int64_t v = a[root];
    for (;;) {
        long child = 2 * root + 1;
        if (child >= n)
            break;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        if (a[child] <= v)
            break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort_i64(int64_t *a, long n)
{
    for (long s = n / 2 - 1; s >= 0; s--)
        sift_down_i64(a, s, n);
    for (long end = n - 1; end > 0; end--) {
        int64_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down_i64(a, 0, end);
    }
}

/* ---------- strings: merge sort ---------- */

static int cmp_str(const unsigned char *x, const unsigned char *y)
{
    while (*x && *x == *y) {
        x++;
        y++;
    }
    return (int)*x - (int)*y;
}

static void msort_str(const unsigned char **a, const unsigned char **tmp, long n)
{
    if (n < 12) {
        for (long i = 1; i < n; i++) {
            const unsigned char *v = a[i];
            long j = i - 1;
            while (j >= 0 && cmp_str(a[j], v) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
        return;
    }
    long h = n / 2;
    msort_str(a, tmp, h);
    msort_str(a + h, tmp, n - h);
    if (cmp_str(a[h - 1], a[h]) <= 0)
        return;
    memcpy(tmp, a, (size_t)h * sizeof *a);
    long i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (cmp_str(a[j], tmp[i]) < 0)
            a[k++] = a[j++];
        else
            a[k++] = tmp[i++];
    }
    while (i < h)
        a[k++] = tmp[i++];
}

static void fail(const char *what, int round)
{
    printf("sort: %s failed in round %d\n", what, round);
    exit(1);
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("sort", argc, argv);
    static const long n_int[2] = { 30000, 600000 };
    static const long n_str[2] = { 6000, 120000 };
    static const int rounds[2] = { 1, 20 };
    long ni = n_int[size], ns = n_str[size];

    uint32_t *u = dv_alloc((size_t)ni * sizeof *u);
    int64_t *s = dv_alloc((size_t)ni * sizeof *s);
    unsigned char *pool = dv_alloc((size_t)ns * 24);
    const unsigned char **words = dv_alloc((size_t)ns * sizeof *words);
    const unsigned char **tmp = dv_alloc((size_t)ns * sizeof *tmp);
    dv_rng rng;
    dv_seed(&rng, 0x5017ull);
    uint64_t h = 0;

    for (int r = 0; r < rounds[size]; r++) {
        /* 32-bit keys: three segments with different distributions */
        uint64_t sum_in = 0, xor_in = 0;
        for (long i = 0; i < ni; i++) {
            uint32_t v;
            if (i < ni / 2)
                v = (uint32_t)(dv_next(&rng) >> 32);
            else if (i < ni * 3 / 4)
                v = dv_below(&rng, 97);
            else
                v = (uint32_t)i * 2654435761u >> 4 ^ dv_below(&rng, 8);
            u[i] = v;
            sum_in += v;
            xor_in ^= v * 0x9E3779B1u;
        }
        quicksort_u32(u, ni);
        uint64_t sum_out = 0, xor_out = 0;
        for (long i = 0; i < ni; i++) {
            if (i && u[i - 1] > u[i])
                fail("quicksort order", r);
            sum_out += u[i];
            xor_out ^= u[i] * 0x9E3779B1u;
            if ((i & 63) == 0)
                h = dv_mix(h, u[i]);
        }
        if (sum_in != sum_out || xor_in != xor_out)
            fail("quicksort permutation", r);

        /* signed 64-bit keys */
        uint64_t ssum_in = 0;
        for (long i = 0; i < ni; i++) {
            s[i] = (int64_t)(dv_next(&rng) >> (i % 40));
            if (i & 1)
                s[i] = -s[i];
            ssum_in += (uint64_t)s[i];
        }
        heapsort_i64(s, ni);
        uint64_t ssum_out = 0;
        for (long i = 0; i < ni; i++) {
            if (i && s[i - 1] > s[i])
                fail("heapsort order", r);
            ssum_out += (uint64_t)s[i];
            if ((i & 127) == 0)
                h = dv_mix(h, (uint64_t)s[i]);
        }
        if (ssum_in != ssum_out)
            fail("heapsort permutation", r);

        /* words: skewed letter frequencies, shared prefixes */
        static const char letters[] = "etaoinshrdlcumwfgypbvkjxqz";
        unsigned char *p = pool;
        uint64_t wsum_in = 0;
        for (long i = 0; i < ns; i++) {
            int len = 3 + (int)dv_below(&rng, 18);
            words[i] = p;
            for (int k = 0; k < len; k++) {
                uint32_t c = dv_below(&rng, 26);
                c = c * dv_below(&rng, 27) / 26; /* bias toward frequent letters */
                *p = (unsigned char)letters[c];
                wsum_in += (uint64_t)*p * (uint64_t)(k + 1);
                p++;
            }
            *p++ = 0;
        }
        msort_str(words, tmp, ns);
        uint64_t wsum_out = 0;
        for (long i = 0; i < ns; i++) {
            if (i && cmp_str(words[i - 1], words[i]) > 0)
                fail("mergesort order", r);
            for (int k = 0; words[i][k]; k++)
                wsum_out += (uint64_t)words[i][k] * (uint64_t)(k + 1);
            if ((i & 31) == 0)
                for (int k = 0; words[i][k]; k++)
                    h = dv_mix(h, words[i][k]);
        }
        if (wsum_in != wsum_out)
            fail("mergesort permutation", r);
        h = dv_mix(h, sum_out ^ ssum_out ^ wsum_out);
    }
    return dv_check_u64("sort", size, h, EXPECTED);
}
