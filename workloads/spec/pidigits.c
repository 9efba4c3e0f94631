/*
 * pidigits: decimal digits of pi with the Rabinowitz-Wagon spigot algorithm.
 *
 * The algorithm keeps a mixed-radix representation of pi in an array of
 * small integers and produces one decimal digit per pass over the array, so
 * the work is dominated by integer multiplication, division and remainder.
 * Held-back digits (runs of nines) are handled with a predigit buffer.  The
 * first 50 digits are compared with the known expansion and all digits are
 * folded into the checksum.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0x9af0cd84255b4b65ull, 0x97a41b0848cf45aaull };

static const char PI50[] = "31415926535897932384626433832795028841971693993751";

/* Writes ndigits digits of pi ("3141...") to out; returns the count written. */
static int spigot(int ndigits, char *out)
{
    int len = ndigits * 10 / 3 + 2;
    uint32_t *a = dv_alloc((size_t)len * sizeof *a);
    for (int i = 0; i < len; i++)
        a[i] = 2;
    int produced = 0, nines = 0, have_pre = 0;
    int predigit = 0;
    /* one extra pass so that the last held-back digits are released */
    for (int pass = 0; pass <= ndigits && produced < ndigits; pass++) {
        uint64_t q = 0;
        for (int i = len - 1; i >= 1; i--) {
            uint64_t x = 10 * (uint64_t)a[i] + q * (uint64_t)(i + 1);
            uint64_t d = 2 * (uint64_t)i + 1;
            a[i] = (uint32_t)(x % d);
            q = x / d;
        }
        uint64_t x = 10 * (uint64_t)a[0] + q;
        a[0] = (uint32_t)(x % 10);
        q = x / 10;
        if (q == 9) {
            nines++;
        } else if (q == 10) {
            if (have_pre && produced < ndigits)
                out[produced++] = (char)('0' + predigit + 1);
            for (; nines > 0; nines--)
                if (produced < ndigits)
                    out[produced++] = '0';
            predigit = 0;
            have_pre = 1;
        } else {
            if (have_pre && produced < ndigits)
                out[produced++] = (char)('0' + predigit);
            for (; nines > 0; nines--)
                if (produced < ndigits)
                    out[produced++] = '9';
            predigit = (int)q;
            have_pre = 1;
        }
    }
    if (produced < ndigits && have_pre)
        out[produced++] = (char)('0' + predigit);
    free(a);
    return produced;
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("pidigits", argc, argv);
    static const int ndigits[2] = { 700, 14000 };
    int n = ndigits[size];
    char *digits = dv_alloc((size_t)n + 1);
    int got = spigot(n, digits);
    digits[got] = 0;
    if (got != n || memcmp(digits, PI50, n < 50 ? (size_t)n : 50) != 0) {
        printf("pidigits: wrong digits: %.50s\n", digits);
        return 1;
    }
    uint64_t h = 0;
    for (int i = 0; i < n; i += 8) {
        uint64_t w = 0;
        for (int k = i; k < i + 8 && k < n; k++)
            w = w * 10 + (uint64_t)(digits[k] - '0');
        h = dv_mix(h, w);
    }
    printf("pidigits: %d digits, last ten %s\n", n, digits + n - 10);
    return dv_check_u64("pidigits", size, h, EXPECTED);
}
