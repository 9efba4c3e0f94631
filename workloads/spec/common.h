/*
 * Shared helpers for the SPEC-like guest workloads.
 *
 * Every program takes one optional argument, "test" (default, small) or
 * "ref" (large), generates its input with the xorshift PRNG below, and
 * checks its result against a value embedded in the program.  Output is a
 * single line "<name>: <size> <what> <value> OK" (exit 0) or
 * "... MISMATCH expected <value>" (exit 1).
 *
 * Portability rules followed by all programs so that x86-64 and RV64 builds
 * agree bit for bit: fixed-width unsigned arithmetic for checksums, no
 * plain-char signedness dependence, no addresses, time or rand().
 */
#ifndef DV_SPEC_COMMON_H
#define DV_SPEC_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIZE_TEST = 0, SIZE_REF = 1 };

static const char *const dv_size_names[2] = { "test", "ref" };

/* Parses argv[1]: "test" (default) or "ref". Exits 2 on anything else. */
static int dv_parse_size(const char *prog, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "test") == 0)
        return SIZE_TEST;
    if (strcmp(argv[1], "ref") == 0)
        return SIZE_REF;
    fprintf(stderr, "usage: %s [test|ref]\n", prog);
    exit(2);
}

/* xorshift64* generator; state must be non-zero. */
typedef struct { uint64_t s; } dv_rng;

static void dv_seed(dv_rng *r, uint64_t seed)
{
    r->s = seed ? seed : 0x9E3779B97F4A7C15ull;
}

static uint64_t dv_next(dv_rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform-ish integer in [0, n), n > 0. */
static uint32_t dv_below(dv_rng *r, uint32_t n)
{
    return (uint32_t)((dv_next(r) >> 32) * (uint64_t)n >> 32);
}

/* Double in [0, 1) with 53 random bits. */
static double dv_unit(dv_rng *r)
{
    return (double)(dv_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Order-sensitive 64-bit mixing of a value into a running checksum. */
static uint64_t dv_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 33);
}

static void *dv_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory (%lu bytes)\n", (unsigned long)n);
        exit(3);
    }
    return p;
}

/* Prints the result line for an integer checksum and returns the exit code. */
static int dv_check_u64(const char *name, int size, uint64_t got, const uint64_t expected[2])
{
    if (got == expected[size]) {
        printf("%s: %s checksum 0x%016llx OK\n", name, dv_size_names[size],
               (unsigned long long)got);
        return 0;
    }
    printf("%s: %s checksum 0x%016llx MISMATCH expected 0x%016llx\n", name,
           dv_size_names[size], (unsigned long long)got,
           (unsigned long long)expected[size]);
    return 1;
}

/*
 * Prints the result line for a floating-point result with limited precision
 * and checks it with a relative tolerance (fused multiply-add on RV64 changes
 * the last bits).  The full value goes to the MISMATCH line so it can be
 * pasted back into the program.
 */
static int dv_check_f64(const char *name, int size, const char *what, double got,
                        const double expected[2], double rel_tol)
{
    double e = expected[size];
    double diff = got - e;
    double mag = e < 0 ? -e : e;
    if (diff < 0)
        diff = -diff;
    if (diff <= rel_tol * mag && got == got) {
        printf("%s: %s %s %.6e OK\n", name, dv_size_names[size], what, got);
        return 0;
    }
    printf("%s: %s %s %.17g MISMATCH expected %.17g\n", name, dv_size_names[size], what,
           got, e);
    return 1;
}

#endif
