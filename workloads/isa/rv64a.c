/*
 * rv64a.c - self-checking test of the RV64A atomic extension.
 *
 * One line per check with inputs and actual result in hex, then OK/FAIL;
 * last line "rv64a: N checks, M failed"; exit status 0 iff all passed.
 * Expected values follow the RISC-V unprivileged spec, chapter "A":
 *   - LR.W/AMO*.W sign-extend the loaded 32-bit value into rd;
 *   - AMO*.W operate on (and write) only the addressed 32-bit word, using
 *     the low 32 bits of rs2; MIN/MAX compare signed, MINU/MAXU unsigned;
 *   - SC writes 0 to rd on success and a nonzero code on failure, and every
 *     SC (successful or not) invalidates the hart's reservation, so an SC
 *     with no reservation must fail and must not write memory.
 * The nonzero SC failure code is implementation-defined, so it is printed
 * as the boolean rd != 0.
 *
 * Build: riscv64-linux-gnu-gcc -O2 -static -march=rv64gc_zba_zbb_zbs
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define U64(x) ((uint64_t)(x))
#define X "0x%016" PRIx64

static uint64_t amem[2] __attribute__((aligned(16)));
#define NEIGHBOUR 0x5a5a5a5au

/* AMO on a 32-bit word at byte offset off (0 or 4) of amem[0]; the other
 * word holds NEIGHBOUR and must not change.  Checks rd and the doubleword. */
#define T_AMOW(op, off, old, rs2, exp_rd, exp_new) do { \
    uint32_t w_[2] = { NEIGHBOUR, NEIGHBOUR }; w_[(off) / 4] = (old); \
    memcpy(amem, w_, 8); \
    uint64_t rd_; \
    __asm__ volatile(op " %0, %2, (%1)" : "=r"(rd_) \
                     : "r"((char *)amem + (off)), "r"(U64(rs2)) : "memory"); \
    uint64_t m_ = amem[0]; \
    uint64_t e_ = (off) ? ((uint64_t)(exp_new) << 32 | NEIGHBOUR) \
                        : ((uint64_t)NEIGHBOUR << 32 | (uint32_t)(exp_new)); \
    check(rd_, U64(exp_rd), op " [+%d]=0x%08x rs2=" X " rd", (off), (unsigned)(old), U64(rs2)); \
    check(m_, e_, op " [+%d]=0x%08x rs2=" X " mem", (off), (unsigned)(old), U64(rs2)); \
} while (0)

#define T_AMOD(op, old, rs2, exp_rd, exp_new) do { \
    amem[0] = (old); amem[1] = 0x5a5a5a5a5a5a5a5aull; \
    uint64_t rd_; \
    __asm__ volatile(op " %0, %2, (%1)" : "=r"(rd_) : "r"(amem), "r"(U64(rs2)) : "memory"); \
    check(rd_, U64(exp_rd), op " [" X "] rs2=" X " rd", U64(old), U64(rs2)); \
    check(amem[0], U64(exp_new), op " [" X "] rs2=" X " mem", U64(old), U64(rs2)); \
    check(amem[1], 0x5a5a5a5a5a5a5a5aull, op " [" X "] rs2=" X " next doubleword", U64(old), U64(rs2)); \
} while (0)

static void test_amo(void)
{
    T_AMOW("amoswap.w", 4, 0x80000001, 0x0000000012345678, 0xffffffff80000001, 0x12345678);
    T_AMOW("amoswap.w.aq", 0, 0x12345678, 0xffffffff80000001, 0x0000000012345678, 0x80000001);
    T_AMOW("amoswap.w.rl", 4, 0xdeadbeef, 0xabcdef0000000000, 0xffffffffdeadbeef, 0x00000000);
    T_AMOD("amoswap.d.aqrl", 0x8000000000000001, 0x123456789abcdef0, 0x8000000000000001, 0x123456789abcdef0);
    T_AMOD("amoswap.d", 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000, 0xffffffffffffffff);

    T_AMOW("amoadd.w.aq", 0, 0x7fffffff, 0x0000000000000001, 0x000000007fffffff, 0x80000000);
    T_AMOW("amoadd.w.rl", 4, 0xffffffff, 0x0000000000000001, 0xffffffffffffffff, 0x00000000);
    T_AMOW("amoadd.w.aqrl", 0, 0x00000005, 0x1234567800000003, 0x0000000000000005, 0x00000008);
    T_AMOW("amoadd.w", 4, 0x80000000, 0x0000000080000000, 0xffffffff80000000, 0x00000000);
    T_AMOD("amoadd.d.aq", 0x7fffffffffffffff, 0x0000000000000001, 0x7fffffffffffffff, 0x8000000000000000);
    T_AMOD("amoadd.d.rl", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000000);
    T_AMOD("amoadd.d.aqrl", 0x00000000ffffffff, 0x0000000000000001, 0x00000000ffffffff, 0x0000000100000000);
    T_AMOD("amoadd.d", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x0000000000000000);

    T_AMOW("amoxor.w.aq", 0, 0xf0f0f0f0, 0xffffffffffffffff, 0xfffffffff0f0f0f0, 0x0f0f0f0f);
    T_AMOW("amoxor.w.rl", 4, 0x12345678, 0x0000000012345678, 0x0000000012345678, 0x00000000);
    T_AMOD("amoxor.d.aqrl", 0xf0f0f0f0f0f0f0f0, 0xffffffffffffffff, 0xf0f0f0f0f0f0f0f0, 0x0f0f0f0f0f0f0f0f);
    T_AMOD("amoxor.d", 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x1dd99dd11dd99dd1);

    T_AMOW("amoand.w.aq", 0, 0xf0f0f0f0, 0x000000000ff00ff0, 0xfffffffff0f0f0f0, 0x00f000f0);
    T_AMOW("amoand.w.rl", 4, 0x89abcdef, 0xffffffff00000000, 0xffffffff89abcdef, 0x00000000);
    T_AMOD("amoand.d.aqrl", 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0, 0xf000f000f000f000);
    T_AMOD("amoand.d", 0xffffffffffffffff, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000);

    T_AMOW("amoor.w.aq", 0, 0x00ff00ff, 0x0000000080000000, 0x0000000000ff00ff, 0x80ff00ff);
    T_AMOW("amoor.w.rl", 4, 0x00000000, 0xabcd000000001234, 0x0000000000000000, 0x00001234);
    T_AMOD("amoor.d.aqrl", 0x00ff00ff00ff00ff, 0x8000000000000000, 0x00ff00ff00ff00ff, 0x80ff00ff00ff00ff);
    T_AMOD("amoor.d", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);

    T_AMOW("amomin.w.aq", 0, 0xffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xffffffff);
    T_AMOW("amomin.w.rl", 4, 0x00000001, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff);
    T_AMOW("amomin.w.aqrl", 0, 0x80000000, 0x000000007fffffff, 0xffffffff80000000, 0x80000000);
    T_AMOW("amomin.w", 4, 0x7fffffff, 0xffffffff80000000, 0x000000007fffffff, 0x80000000);
    T_AMOW("amomin.w.aq", 0, 0x00000005, 0x0000000100000005, 0x0000000000000005, 0x00000005);
    T_AMOD("amomin.d.rl", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff);
    T_AMOD("amomin.d.aqrl", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_AMOD("amomin.d", 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000);
    T_AMOD("amomin.d.aq", 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000);
    T_AMOD("amomin.d.rl", 0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff, 0x00000000ffffffff);

    T_AMOW("amomax.w.aqrl", 0, 0xffffffff, 0x0000000000000001, 0xffffffffffffffff, 0x00000001);
    T_AMOW("amomax.w", 4, 0x00000001, 0x00000000ffffffff, 0x0000000000000001, 0x00000001);
    T_AMOW("amomax.w.aq", 0, 0x80000000, 0x000000007fffffff, 0xffffffff80000000, 0x7fffffff);
    T_AMOW("amomax.w.rl", 4, 0x7fffffff, 0xffffffff80000000, 0x000000007fffffff, 0x7fffffff);
    T_AMOD("amomax.d.aqrl", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001);
    T_AMOD("amomax.d", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, 0x0000000000000001);
    T_AMOD("amomax.d.aq", 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff);
    T_AMOD("amomax.d.rl", 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff);

    T_AMOW("amominu.w.aqrl", 0, 0xffffffff, 0x0000000000000001, 0xffffffffffffffff, 0x00000001);
    T_AMOW("amominu.w", 4, 0x00000001, 0x00000000ffffffff, 0x0000000000000001, 0x00000001);
    T_AMOW("amominu.w.aq", 0, 0x80000000, 0x000000007fffffff, 0xffffffff80000000, 0x7fffffff);
    T_AMOW("amominu.w.rl", 4, 0x00000002, 0xffffffff00000001, 0x0000000000000002, 0x00000001);
    T_AMOD("amominu.d.aqrl", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001);
    T_AMOD("amominu.d", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, 0x0000000000000001);
    T_AMOD("amominu.d.aq", 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff);
    T_AMOD("amominu.d.rl", 0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff, 0x00000000ffffffff);

    T_AMOW("amomaxu.w.aqrl", 0, 0xffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xffffffff);
    T_AMOW("amomaxu.w", 4, 0x00000001, 0x00000000ffffffff, 0x0000000000000001, 0xffffffff);
    T_AMOW("amomaxu.w.aq", 0, 0x80000000, 0x000000007fffffff, 0xffffffff80000000, 0x80000000);
    T_AMOW("amomaxu.w.rl", 4, 0x00000002, 0x0000000100000001, 0x0000000000000002, 0x00000002);
    T_AMOD("amomaxu.d.aqrl", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff);
    T_AMOD("amomaxu.d", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_AMOD("amomaxu.d.aq", 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000);
    T_AMOD("amomaxu.d.rl", 0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff, 0x0000000100000000);

    /* rd = x0: the AMO still updates memory. */
    amem[0] = 40;
    __asm__ volatile("amoadd.d zero, %1, (%0)" :: "r"(amem), "r"(U64(2)) : "memory");
    check(amem[0], 42, "amoadd.d rd=x0 [40] rs2=2 mem");
    /* rd == rs2: rd receives the old value, memory gets the old rs2. */
    uint64_t r = 0x1111111122222222ull;
    amem[0] = 0x3333333344444444ull;
    __asm__ volatile("amoswap.d %0, %0, (%1)" : "+r"(r) : "r"(amem) : "memory");
    check(r, 0x3333333344444444ull, "amoswap.d rd=rs2 rd");
    check(amem[0], 0x1111111122222222ull, "amoswap.d rd=rs2 mem");
}

/*
 * LR, then SC of v1 (which should succeed), then SC of v2 (which must fail:
 * the first SC consumed the reservation), all in one asm block -- any
 * function call in between could execute LR/SC itself (glibc locks do) or
 * trap, and either may legitimately drop the reservation.
 * Results: loaded value, the two SC outcomes (rd != 0), final memory.
 */
#define LRSC(lr, sc1, sc2, p, v1, v2, exp_ld, exp_mem) do { \
    uint64_t ld_, f1_, f2_; \
    __asm__ volatile(lr " %0, (%3)\n" \
                     sc1 " %1, %4, (%3)\n" \
                     sc2 " %2, %5, (%3)\n" \
                     "snez %1, %1\nsnez %2, %2" \
                     : "=&r"(ld_), "=&r"(f1_), "=&r"(f2_) \
                     : "r"(p), "r"(U64(v1)), "r"(U64(v2)) : "memory"); \
    check(ld_, U64(exp_ld), lr " (then " sc1 " " X ")", U64(v1)); \
    check(f1_, 0, sc1 " " X " after " lr ": failed", U64(v1)); \
    check(f2_, 1, sc2 " " X " without reservation: failed", U64(v2)); \
    check(amem[0], U64(exp_mem), lr "/" sc1 "/" sc2 ": mem"); \
} while (0)

static void test_lrsc(void)
{
    uint32_t *w = (uint32_t *)amem;
    uint64_t f, f2;

    /* LR.W sign-extends; SC.W writes only the addressed word. */
    amem[0] = 0xa5a5a5a580000000ull;
    LRSC("lr.w", "sc.w", "sc.w", w, 0xffffffff7fffffffull, 0x12345678,
         0xffffffff80000000ull, 0xa5a5a5a57fffffffull);
    LRSC("lr.w", "sc.w", "sc.w", w + 1, 0x01020304, 0xffffffff,
         0xffffffffa5a5a5a5ull, 0x010203047fffffffull);
    LRSC("lr.w", "sc.w", "sc.w", w, 0, 0x99,
         0x000000007fffffffull, 0x0102030400000000ull);
    /* LR.D / SC.D. */
    amem[0] = 0x8000000000000001ull;
    LRSC("lr.d", "sc.d", "sc.d", amem, 0xfedcba9876543210ull, 0x1111,
         0x8000000000000001ull, 0xfedcba9876543210ull);
    /* Ordering-annotated variants behave the same in a single hart. */
    amem[0] = 0xffffffff;
    LRSC("lr.w.aq", "sc.w.rl", "sc.w.aq", w, 0x55, 0x77, 0xffffffffffffffffull, 0x55);
    LRSC("lr.w.aqrl", "sc.w.aqrl", "sc.w.rl", w, 0x66, 0x77, 0x55, 0x66);
    LRSC("lr.w.rl", "sc.w.aq", "sc.w.aqrl", w, 0x80000000, 0x77, 0x66, 0x80000000);
    LRSC("lr.d.aq", "sc.d.rl", "sc.d.aq", amem, 0x8877665544332211ull, 2, 0x80000000,
         0x8877665544332211ull);
    LRSC("lr.d.aqrl", "sc.d.aqrl", "sc.d.rl", amem, 1, 2, 0x8877665544332211ull, 1);
    LRSC("lr.d.rl", "sc.d.aq", "sc.d.aqrl", amem, 3, 2, 1, 3);

    /* A failed SC also leaves no reservation: two failures in a row. */
    amem[0] = 7;
    __asm__ volatile("lr.d t0, (%2)\nsc.d t0, zero, (%2)\n"
                     "sc.d %0, %3, (%2)\nsc.d %1, %3, (%2)\nsnez %0, %0\nsnez %1, %1"
                     : "=&r"(f), "=&r"(f2) : "r"(amem), "r"(U64(9)) : "t0", "memory");
    check(f, 1, "sc.d 9 (first, no reservation): failed");
    check(f2, 1, "sc.d 9 (second, no reservation): failed");
    check(amem[0], 0, "sc.d 9 twice without reservation: mem");
    /* SC with rd = x0 after LR still stores. */
    __asm__ volatile("lr.w t0, (%0)\nsc.w zero, %1, (%0)" :: "r"(w), "r"(U64(0xabc)) : "t0", "memory");
    check(amem[0], 0xabc, "lr.w; sc.w rd=x0 0xabc: mem");

    /* A constrained LR/SC retry loop (atomic increment), 1000 times. */
    amem[0] = 0xfffffffffffffc18ull;     /* -1000 */
    for (int i = 0; i < 1000; i++) {
        uint64_t t, f;
        __asm__ volatile("1: lr.d %0, (%2)\n"
                         "addi %0, %0, 1\n"
                         "sc.d %1, %0, (%2)\n"
                         "bnez %1, 1b"
                         : "=&r"(t), "=&r"(f) : "r"(amem) : "memory");
    }
    check(amem[0], 0, "lr.d/sc.d increment loop x1000 from -1000");
    uint32_t *w1 = w + 1;
    amem[0] = 0;
    for (int i = 0; i < 300; i++) {
        uint64_t t, f;
        __asm__ volatile("1: lr.w.aq %0, (%2)\n"
                         "addi %0, %0, -3\n"
                         "sc.w.rl %1, %0, (%2)\n"
                         "bnez %1, 1b"
                         : "=&r"(t), "=&r"(f) : "r"(w1) : "memory");
    }
    check(amem[0], 0xfffffc7c00000000ull, "lr.w/sc.w decrement-by-3 loop x300 on upper word");
}

int main(void)
{
    test_amo();
    test_lrsc();
    printf("rv64a: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
