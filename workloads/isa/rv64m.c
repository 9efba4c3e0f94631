/*
 * rv64m.c - self-checking test of the RV64M multiply/divide extension.
 *
 * One line per check with inputs and actual result in hex, then OK/FAIL;
 * last line "rv64m: N checks, M failed"; exit status 0 iff all passed.
 * Expected values follow the RISC-V unprivileged spec, chapter "M":
 *   - MULH/MULHSU/MULHU return the upper 64 bits of the 128-bit product
 *     (signed x signed, signed x unsigned, unsigned x unsigned);
 *   - division rounds toward zero; the remainder has the dividend's sign;
 *   - x / 0 = all ones (DIV, DIVU), x % 0 = x (REM, REMU);
 *   - signed overflow (-2^(XLEN-1) / -1) gives the dividend, remainder 0;
 *   - the W forms operate on the low 32 bits and sign-extend the 32-bit
 *     result (also DIVUW/REMUW).
 *
 * Build: riscv64-linux-gnu-gcc -O2 -static -march=rv64gc_zba_zbb_zbs
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"

#define U64(x) ((uint64_t)(x))
#define X "0x%016" PRIx64

#define RR(op, a, b) ({ uint64_t r_; \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(U64(a)), "r"(U64(b))); r_; })
#define T_RR(op, a, b, exp) check(RR(op, a, b), U64(exp), op " " X " " X, U64(a), U64(b))

static void test_mul(void)
{
    T_RR("mul", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("mul", 0x0000000000000003, 0x0000000000000007, 0x0000000000000015);
    T_RR("mul", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001);
    T_RR("mul", 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000);
    T_RR("mul", 0xffffffffffffffff, 0x8000000000000000, 0x8000000000000000);
    T_RR("mul", 0x8000000000000000, 0x8000000000000000, 0x0000000000000000);
    T_RR("mul", 0x7fffffffffffffff, 0x7fffffffffffffff, 0x0000000000000001);
    T_RR("mul", 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000);
    T_RR("mul", 0x123456789abcdef0, 0x0fedcba987654321, 0x2236d88fe5618cf0);
    T_RR("mul", 0x00000000ffffffff, 0x00000000ffffffff, 0xfffffffe00000001);
    T_RR("mul", 0x0000000100000000, 0x0000000100000000, 0x0000000000000000);
    T_RR("mul", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_RR("mul", 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff);
    T_RR("mul", 0xfedcba9876543210, 0x0000000000000002, 0xfdb97530eca86420);
    T_RR("mul", 0x0000000000000002, 0xfedcba9876543210, 0xfdb97530eca86420);
    T_RR("mul", 0x8000000000000000, 0x0000000000000002, 0x0000000000000000);
    T_RR("mul", 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000);

    T_RR("mulh", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("mulh", 0x0000000000000003, 0x0000000000000007, 0x0000000000000000);
    T_RR("mulh", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("mulh", 0x8000000000000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("mulh", 0xffffffffffffffff, 0x8000000000000000, 0x0000000000000000);
    T_RR("mulh", 0x8000000000000000, 0x8000000000000000, 0x4000000000000000);
    T_RR("mulh", 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff);
    T_RR("mulh", 0x7fffffffffffffff, 0x8000000000000000, 0xc000000000000000);
    T_RR("mulh", 0x123456789abcdef0, 0x0fedcba987654321, 0x0121fa00ad77d742);
    T_RR("mulh", 0x00000000ffffffff, 0x00000000ffffffff, 0x0000000000000000);
    T_RR("mulh", 0x0000000100000000, 0x0000000100000000, 0x0000000000000001);
    T_RR("mulh", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_RR("mulh", 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff);
    T_RR("mulh", 0xfedcba9876543210, 0x0000000000000002, 0xffffffffffffffff);
    T_RR("mulh", 0x0000000000000002, 0xfedcba9876543210, 0xffffffffffffffff);
    T_RR("mulh", 0x8000000000000000, 0x0000000000000002, 0xffffffffffffffff);
    T_RR("mulh", 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000);

    T_RR("mulhsu", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("mulhsu", 0x0000000000000003, 0x0000000000000007, 0x0000000000000000);
    T_RR("mulhsu", 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff);
    T_RR("mulhsu", 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000);
    T_RR("mulhsu", 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff);
    T_RR("mulhsu", 0x8000000000000000, 0x8000000000000000, 0xc000000000000000);
    T_RR("mulhsu", 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff);
    T_RR("mulhsu", 0x7fffffffffffffff, 0x8000000000000000, 0x3fffffffffffffff);
    T_RR("mulhsu", 0x123456789abcdef0, 0x0fedcba987654321, 0x0121fa00ad77d742);
    T_RR("mulhsu", 0x00000000ffffffff, 0x00000000ffffffff, 0x0000000000000000);
    T_RR("mulhsu", 0x0000000100000000, 0x0000000100000000, 0x0000000000000001);
    T_RR("mulhsu", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_RR("mulhsu", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("mulhsu", 0xfedcba9876543210, 0x0000000000000002, 0xffffffffffffffff);
    T_RR("mulhsu", 0x0000000000000002, 0xfedcba9876543210, 0x0000000000000001);
    T_RR("mulhsu", 0x8000000000000000, 0x0000000000000002, 0xffffffffffffffff);
    T_RR("mulhsu", 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000);

    T_RR("mulhu", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("mulhu", 0x0000000000000003, 0x0000000000000007, 0x0000000000000000);
    T_RR("mulhu", 0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffffe);
    T_RR("mulhu", 0x8000000000000000, 0xffffffffffffffff, 0x7fffffffffffffff);
    T_RR("mulhu", 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff);
    T_RR("mulhu", 0x8000000000000000, 0x8000000000000000, 0x4000000000000000);
    T_RR("mulhu", 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff);
    T_RR("mulhu", 0x7fffffffffffffff, 0x8000000000000000, 0x3fffffffffffffff);
    T_RR("mulhu", 0x123456789abcdef0, 0x0fedcba987654321, 0x0121fa00ad77d742);
    T_RR("mulhu", 0x00000000ffffffff, 0x00000000ffffffff, 0x0000000000000000);
    T_RR("mulhu", 0x0000000100000000, 0x0000000100000000, 0x0000000000000001);
    T_RR("mulhu", 0xffffffffffffffff, 0x0000000000000001, 0x0000000000000000);
    T_RR("mulhu", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("mulhu", 0xfedcba9876543210, 0x0000000000000002, 0x0000000000000001);
    T_RR("mulhu", 0x0000000000000002, 0xfedcba9876543210, 0x0000000000000001);
    T_RR("mulhu", 0x8000000000000000, 0x0000000000000002, 0x0000000000000001);
    T_RR("mulhu", 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000);

}

static void test_mulw(void)
{
    T_RR("mulw", 0x000000007fffffff, 0x0000000000000002, 0xfffffffffffffffe);
    T_RR("mulw", 0x0000000080000000, 0xffffffffffffffff, 0xffffffff80000000);
    T_RR("mulw", 0x00000000ffffffff, 0x00000000ffffffff, 0x0000000000000001);
    T_RR("mulw", 0x1234567800000003, 0xabcdef0000000005, 0x000000000000000f);
    T_RR("mulw", 0x0000000000010000, 0x0000000000010000, 0x0000000000000000);
    T_RR("mulw", 0x0000000000008000, 0x0000000000010000, 0xffffffff80000000);
    T_RR("mulw", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001);
    T_RR("mulw", 0x000000007fffffff, 0x000000007fffffff, 0x0000000000000001);
}

static void test_div(void)
{
    T_RR("div", 0x0000000000000014, 0x0000000000000006, 0x0000000000000003);
    T_RR("div", 0xffffffffffffffec, 0x0000000000000006, 0xfffffffffffffffd);
    T_RR("div", 0x0000000000000014, 0xfffffffffffffffa, 0xfffffffffffffffd);
    T_RR("div", 0xffffffffffffffec, 0xfffffffffffffffa, 0x0000000000000003);
    T_RR("div", 0x0000000000000000, 0x0000000000000005, 0x0000000000000000);
    T_RR("div", 0x0000000000000005, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("div", 0x0000000000000000, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("div", 0xfffffffffffffffb, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("div", 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000);
    T_RR("div", 0x8000000000000000, 0x0000000000000001, 0x8000000000000000);
    T_RR("div", 0x8000000000000000, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("div", 0x7fffffffffffffff, 0xffffffffffffffff, 0x8000000000000001);
    T_RR("div", 0xffffffffffffffff, 0x0000000000000002, 0x0000000000000000);
    T_RR("div", 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff);
    T_RR("div", 0x8000000000000000, 0x0000000000000002, 0xc000000000000000);
    T_RR("div", 0x123456789abcdef0, 0x0000000000001234, 0x00010004c016906b);
    T_RR("div", 0x0000000000000007, 0x0000000000000007, 0x0000000000000001);
    T_RR("div", 0x7fffffffffffffff, 0x8000000000000000, 0x0000000000000000);
    T_RR("div", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001);

    T_RR("divu", 0x0000000000000014, 0x0000000000000006, 0x0000000000000003);
    T_RR("divu", 0xffffffffffffffec, 0x0000000000000006, 0x2aaaaaaaaaaaaaa7);
    T_RR("divu", 0x0000000000000014, 0xfffffffffffffffa, 0x0000000000000000);
    T_RR("divu", 0xffffffffffffffec, 0xfffffffffffffffa, 0x0000000000000000);
    T_RR("divu", 0x0000000000000000, 0x0000000000000005, 0x0000000000000000);
    T_RR("divu", 0x0000000000000005, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divu", 0x0000000000000000, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divu", 0xfffffffffffffffb, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divu", 0x8000000000000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("divu", 0x8000000000000000, 0x0000000000000001, 0x8000000000000000);
    T_RR("divu", 0x8000000000000000, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divu", 0x7fffffffffffffff, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("divu", 0xffffffffffffffff, 0x0000000000000002, 0x7fffffffffffffff);
    T_RR("divu", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("divu", 0x8000000000000000, 0x0000000000000002, 0x4000000000000000);
    T_RR("divu", 0x123456789abcdef0, 0x0000000000001234, 0x00010004c016906b);
    T_RR("divu", 0x0000000000000007, 0x0000000000000007, 0x0000000000000001);
    T_RR("divu", 0x7fffffffffffffff, 0x8000000000000000, 0x0000000000000000);
    T_RR("divu", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001);

    T_RR("rem", 0x0000000000000014, 0x0000000000000006, 0x0000000000000002);
    T_RR("rem", 0xffffffffffffffec, 0x0000000000000006, 0xfffffffffffffffe);
    T_RR("rem", 0x0000000000000014, 0xfffffffffffffffa, 0x0000000000000002);
    T_RR("rem", 0xffffffffffffffec, 0xfffffffffffffffa, 0xfffffffffffffffe);
    T_RR("rem", 0x0000000000000000, 0x0000000000000005, 0x0000000000000000);
    T_RR("rem", 0x0000000000000005, 0x0000000000000000, 0x0000000000000005);
    T_RR("rem", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("rem", 0xfffffffffffffffb, 0x0000000000000000, 0xfffffffffffffffb);
    T_RR("rem", 0x8000000000000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("rem", 0x8000000000000000, 0x0000000000000001, 0x0000000000000000);
    T_RR("rem", 0x8000000000000000, 0x0000000000000000, 0x8000000000000000);
    T_RR("rem", 0x7fffffffffffffff, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("rem", 0xffffffffffffffff, 0x0000000000000002, 0xffffffffffffffff);
    T_RR("rem", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("rem", 0x8000000000000000, 0x0000000000000002, 0x0000000000000000);
    T_RR("rem", 0x123456789abcdef0, 0x0000000000001234, 0x0000000000000334);
    T_RR("rem", 0x0000000000000007, 0x0000000000000007, 0x0000000000000000);
    T_RR("rem", 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff);
    T_RR("rem", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000000);

    T_RR("remu", 0x0000000000000014, 0x0000000000000006, 0x0000000000000002);
    T_RR("remu", 0xffffffffffffffec, 0x0000000000000006, 0x0000000000000002);
    T_RR("remu", 0x0000000000000014, 0xfffffffffffffffa, 0x0000000000000014);
    T_RR("remu", 0xffffffffffffffec, 0xfffffffffffffffa, 0xffffffffffffffec);
    T_RR("remu", 0x0000000000000000, 0x0000000000000005, 0x0000000000000000);
    T_RR("remu", 0x0000000000000005, 0x0000000000000000, 0x0000000000000005);
    T_RR("remu", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("remu", 0xfffffffffffffffb, 0x0000000000000000, 0xfffffffffffffffb);
    T_RR("remu", 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000);
    T_RR("remu", 0x8000000000000000, 0x0000000000000001, 0x0000000000000000);
    T_RR("remu", 0x8000000000000000, 0x0000000000000000, 0x8000000000000000);
    T_RR("remu", 0x7fffffffffffffff, 0xffffffffffffffff, 0x7fffffffffffffff);
    T_RR("remu", 0xffffffffffffffff, 0x0000000000000002, 0x0000000000000001);
    T_RR("remu", 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001);
    T_RR("remu", 0x8000000000000000, 0x0000000000000002, 0x0000000000000000);
    T_RR("remu", 0x123456789abcdef0, 0x0000000000001234, 0x0000000000000334);
    T_RR("remu", 0x0000000000000007, 0x0000000000000007, 0x0000000000000000);
    T_RR("remu", 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff);
    T_RR("remu", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000000);
}

static void test_divw(void)
{
    T_RR("divw", 0x0000000000000014, 0x0000000000000006, 0x0000000000000003);
    T_RR("divw", 0x00000000ffffffec, 0x0000000000000006, 0xfffffffffffffffd);
    T_RR("divw", 0x0000000000000014, 0x00000000fffffffa, 0xfffffffffffffffd);
    T_RR("divw", 0x00000000ffffffec, 0x00000000fffffffa, 0x0000000000000003);
    T_RR("divw", 0x0000000000000005, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divw", 0x00000000fffffffb, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divw", 0x123456780000000b, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divw", 0x0000000080000000, 0xffffffffffffffff, 0xffffffff80000000);
    T_RR("divw", 0xffffffff80000000, 0x00000000ffffffff, 0xffffffff80000000);
    T_RR("divw", 0x0000000080000000, 0x0000000000000001, 0xffffffff80000000);
    T_RR("divw", 0x0000000080000000, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divw", 0x000000007fffffff, 0x00000000ffffffff, 0xffffffff80000001);
    T_RR("divw", 0x0000000100000006, 0x0000000000000003, 0x0000000000000002);
    T_RR("divw", 0x0000000000000006, 0x0000000100000003, 0x0000000000000002);
    T_RR("divw", 0x00000000ffffffff, 0x0000000000000002, 0x0000000000000000);
    T_RR("divw", 0x0000000080000000, 0x0000000000000002, 0xffffffffc0000000);
    T_RR("divw", 0x00000000deadbeef, 0x0000000000001234, 0xfffffffffffe2b63);
    T_RR("divw", 0x00000001ffffffff, 0x0000000100000000, 0xffffffffffffffff);

    T_RR("divuw", 0x0000000000000014, 0x0000000000000006, 0x0000000000000003);
    T_RR("divuw", 0x00000000ffffffec, 0x0000000000000006, 0x000000002aaaaaa7);
    T_RR("divuw", 0x0000000000000014, 0x00000000fffffffa, 0x0000000000000000);
    T_RR("divuw", 0x00000000ffffffec, 0x00000000fffffffa, 0x0000000000000000);
    T_RR("divuw", 0x0000000000000005, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divuw", 0x00000000fffffffb, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divuw", 0x123456780000000b, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divuw", 0x0000000080000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("divuw", 0xffffffff80000000, 0x00000000ffffffff, 0x0000000000000000);
    T_RR("divuw", 0x0000000080000000, 0x0000000000000001, 0xffffffff80000000);
    T_RR("divuw", 0x0000000080000000, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("divuw", 0x000000007fffffff, 0x00000000ffffffff, 0x0000000000000000);
    T_RR("divuw", 0x0000000100000006, 0x0000000000000003, 0x0000000000000002);
    T_RR("divuw", 0x0000000000000006, 0x0000000100000003, 0x0000000000000002);
    T_RR("divuw", 0x00000000ffffffff, 0x0000000000000002, 0x000000007fffffff);
    T_RR("divuw", 0x0000000080000000, 0x0000000000000002, 0x0000000040000000);
    T_RR("divuw", 0x00000000deadbeef, 0x0000000000001234, 0x00000000000c3ba5);
    T_RR("divuw", 0x00000001ffffffff, 0x0000000100000000, 0xffffffffffffffff);

    T_RR("remw", 0x0000000000000014, 0x0000000000000006, 0x0000000000000002);
    T_RR("remw", 0x00000000ffffffec, 0x0000000000000006, 0xfffffffffffffffe);
    T_RR("remw", 0x0000000000000014, 0x00000000fffffffa, 0x0000000000000002);
    T_RR("remw", 0x00000000ffffffec, 0x00000000fffffffa, 0xfffffffffffffffe);
    T_RR("remw", 0x0000000000000005, 0x0000000000000000, 0x0000000000000005);
    T_RR("remw", 0x00000000fffffffb, 0x0000000000000000, 0xfffffffffffffffb);
    T_RR("remw", 0x123456780000000b, 0x0000000000000000, 0x000000000000000b);
    T_RR("remw", 0x0000000080000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("remw", 0xffffffff80000000, 0x00000000ffffffff, 0x0000000000000000);
    T_RR("remw", 0x0000000080000000, 0x0000000000000001, 0x0000000000000000);
    T_RR("remw", 0x0000000080000000, 0x0000000000000000, 0xffffffff80000000);
    T_RR("remw", 0x000000007fffffff, 0x00000000ffffffff, 0x0000000000000000);
    T_RR("remw", 0x0000000100000006, 0x0000000000000003, 0x0000000000000000);
    T_RR("remw", 0x0000000000000006, 0x0000000100000003, 0x0000000000000000);
    T_RR("remw", 0x00000000ffffffff, 0x0000000000000002, 0xffffffffffffffff);
    T_RR("remw", 0x0000000080000000, 0x0000000000000002, 0x0000000000000000);
    T_RR("remw", 0x00000000deadbeef, 0x0000000000001234, 0xfffffffffffff8d3);
    T_RR("remw", 0x00000001ffffffff, 0x0000000100000000, 0xffffffffffffffff);

    T_RR("remuw", 0x0000000000000014, 0x0000000000000006, 0x0000000000000002);
    T_RR("remuw", 0x00000000ffffffec, 0x0000000000000006, 0x0000000000000002);
    T_RR("remuw", 0x0000000000000014, 0x00000000fffffffa, 0x0000000000000014);
    T_RR("remuw", 0x00000000ffffffec, 0x00000000fffffffa, 0xffffffffffffffec);
    T_RR("remuw", 0x0000000000000005, 0x0000000000000000, 0x0000000000000005);
    T_RR("remuw", 0x00000000fffffffb, 0x0000000000000000, 0xfffffffffffffffb);
    T_RR("remuw", 0x123456780000000b, 0x0000000000000000, 0x000000000000000b);
    T_RR("remuw", 0x0000000080000000, 0xffffffffffffffff, 0xffffffff80000000);
    T_RR("remuw", 0xffffffff80000000, 0x00000000ffffffff, 0xffffffff80000000);
    T_RR("remuw", 0x0000000080000000, 0x0000000000000001, 0x0000000000000000);
    T_RR("remuw", 0x0000000080000000, 0x0000000000000000, 0xffffffff80000000);
    T_RR("remuw", 0x000000007fffffff, 0x00000000ffffffff, 0x000000007fffffff);
    T_RR("remuw", 0x0000000100000006, 0x0000000000000003, 0x0000000000000000);
    T_RR("remuw", 0x0000000000000006, 0x0000000100000003, 0x0000000000000000);
    T_RR("remuw", 0x00000000ffffffff, 0x0000000000000002, 0x0000000000000001);
    T_RR("remuw", 0x0000000080000000, 0x0000000000000002, 0x0000000000000000);
    T_RR("remuw", 0x00000000deadbeef, 0x0000000000001234, 0x000000000000076b);
    T_RR("remuw", 0x00000001ffffffff, 0x0000000100000000, 0xffffffffffffffff);
}

/* The spec's recommended fusable sequences: MULH[[S]U] then MUL, and
 * DIV[U] then REM[U], on the same sources into different destinations. */
static void test_sequences(void)
{
    uint64_t hi, lo, q, r;
    const uint64_t a = 0xfedcba9876543210ull, b = 0x0123456789abcdefull;

    __asm__ volatile("mulh %0, %2, %3\nmul %1, %2, %3" : "=&r"(hi), "=&r"(lo) : "r"(a), "r"(b));
    check(hi, 0xfffeb49923cc0953ull, "mulh;mul " X " " X " high", a, b);
    check(lo, 0x2236d88fe5618cf0ull, "mulh;mul " X " " X " low", a, b);
    __asm__ volatile("mulhu %0, %2, %3\nmul %1, %2, %3" : "=&r"(hi), "=&r"(lo) : "r"(a), "r"(b));
    check(hi, 0x0121fa00ad77d742ull, "mulhu;mul " X " " X " high", a, b);
    check(lo, 0x2236d88fe5618cf0ull, "mulhu;mul " X " " X " low", a, b);
    __asm__ volatile("div %0, %2, %3\nrem %1, %2, %3" : "=&r"(q), "=&r"(r) : "r"(a), "r"(U64(1000)));
    check(q, 0xffffb56f41a7821aull, "div;rem " X " 1000 quotient", a);
    check(r, 0xfffffffffffffc80ull, "div;rem " X " 1000 remainder", a);
    __asm__ volatile("divu %0, %2, %3\nremu %1, %2, %3" : "=&r"(q), "=&r"(r) : "r"(a), "r"(U64(1000)));
    check(q, 0x00413ea68d6e2a08ull, "divu;remu " X " 1000 quotient", a);
    check(r, 0x00000000000002d0ull, "divu;remu " X " 1000 remainder", a);

    /* Destination equal to a source. */
    uint64_t x = 0x7fffffffffffffffull;
    __asm__ volatile("mulhu %0, %0, %0" : "+r"(x));
    check(x, 0x3fffffffffffffffull, "mulhu rd=rs1=rs2 0x7fffffffffffffff");
    x = 100;
    __asm__ volatile("divw %0, %0, %1" : "+r"(x) : "r"(U64(-7)));
    check(x, 0xfffffffffffffff2ull, "divw rd=rs1 100 / -7");
}

int main(void)
{
    test_mul();
    test_mulw();
    test_div();
    test_divw();
    test_sequences();
    printf("rv64m: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
