/*
 * check.h - the reporting every isa test shares.  check(got, expected,
 * description...) prints the description, the value and OK or FAIL, and
 * counts; a test ends with "<name>: N checks, M failed" from n_checks and
 * n_failed and exits 0 iff n_failed is 0.  Included once, by the test's only
 * source file (each test is one program).
 */
#ifndef ISA_CHECK_H
#define ISA_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

static unsigned n_checks, n_failed;

static void check(uint64_t got, uint64_t exp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    n_checks++;
    if (got == exp) {
        printf(" = 0x%016" PRIx64 " OK\n", got);
    } else {
        n_failed++;
        printf(" = 0x%016" PRIx64 " FAIL (expected 0x%016" PRIx64 ")\n", got, exp);
    }
}

#endif
