/*
 * zbs.c - self-checking test of the Zbs single-bit extension:
 *   bclr/bset/binv/bext with index rs2[5:0] (so 64 acts as 0, -1 as 63),
 *   and the immediate forms bclri/bseti/binvi/bexti with shamt 0..63.
 *
 * One line per check with inputs and actual result in hex, then OK/FAIL;
 * last line "zbs: N checks, M failed"; exit status 0 iff all passed.
 * Expected values are worked out from the RISC-V bit-manipulation spec.
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
#define RI(op, a, imm) ({ uint64_t r_; \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(U64(a)), "i"(imm)); r_; })
#define R1(op, a) ({ uint64_t r_; \
    __asm__ volatile(op " %0, %1" : "=r"(r_) : "r"(U64(a))); r_; })
#define T_RR(op, a, b, exp) check(RR(op, a, b), U64(exp), op " " X " " X, U64(a), U64(b))
#define T_RI(op, a, imm, exp) check(RI(op, a, imm), U64(exp), op " " X " %d", U64(a), (int)(imm))
#define T_R1(op, a, exp) check(R1(op, a), U64(exp), op " " X, U64(a))

int main(void)
{
    T_RR("bclr", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("bclr", 0x0000000000000000, 0x0000000000000001, 0x0000000000000000);
    T_RR("bclr", 0x0000000000000000, 0x000000000000001f, 0x0000000000000000);
    T_RR("bclr", 0x0000000000000000, 0x0000000000000020, 0x0000000000000000);
    T_RR("bclr", 0x0000000000000000, 0x000000000000003f, 0x0000000000000000);
    T_RR("bclr", 0x0000000000000000, 0x0000000000000040, 0x0000000000000000);
    T_RR("bclr", 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("bclr", 0x0000000000000000, 0x0000000000000047, 0x0000000000000000);
    T_RR("bclr", 0xffffffffffffffff, 0x0000000000000000, 0xfffffffffffffffe);
    T_RR("bclr", 0xffffffffffffffff, 0x0000000000000001, 0xfffffffffffffffd);
    T_RR("bclr", 0xffffffffffffffff, 0x000000000000001f, 0xffffffff7fffffff);
    T_RR("bclr", 0xffffffffffffffff, 0x0000000000000020, 0xfffffffeffffffff);
    T_RR("bclr", 0xffffffffffffffff, 0x000000000000003f, 0x7fffffffffffffff);
    T_RR("bclr", 0xffffffffffffffff, 0x0000000000000040, 0xfffffffffffffffe);
    T_RR("bclr", 0xffffffffffffffff, 0xffffffffffffffff, 0x7fffffffffffffff);
    T_RR("bclr", 0xffffffffffffffff, 0x0000000000000047, 0xffffffffffffff7f);
    T_RR("bclr", 0x0123456789abcdef, 0x0000000000000000, 0x0123456789abcdee);
    T_RR("bclr", 0x0123456789abcdef, 0x0000000000000001, 0x0123456789abcded);
    T_RR("bclr", 0x0123456789abcdef, 0x000000000000001f, 0x0123456709abcdef);
    T_RR("bclr", 0x0123456789abcdef, 0x0000000000000020, 0x0123456689abcdef);
    T_RR("bclr", 0x0123456789abcdef, 0x000000000000003f, 0x0123456789abcdef);
    T_RR("bclr", 0x0123456789abcdef, 0x0000000000000040, 0x0123456789abcdee);
    T_RR("bclr", 0x0123456789abcdef, 0xffffffffffffffff, 0x0123456789abcdef);
    T_RR("bclr", 0x0123456789abcdef, 0x0000000000000047, 0x0123456789abcd6f);
    T_RR("bclr", 0x8000000000000000, 0x0000000000000000, 0x8000000000000000);
    T_RR("bclr", 0x8000000000000000, 0x0000000000000001, 0x8000000000000000);
    T_RR("bclr", 0x8000000000000000, 0x000000000000001f, 0x8000000000000000);
    T_RR("bclr", 0x8000000000000000, 0x0000000000000020, 0x8000000000000000);
    T_RR("bclr", 0x8000000000000000, 0x000000000000003f, 0x0000000000000000);
    T_RR("bclr", 0x8000000000000000, 0x0000000000000040, 0x8000000000000000);
    T_RR("bclr", 0x8000000000000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("bclr", 0x8000000000000000, 0x0000000000000047, 0x8000000000000000);

    T_RR("bset", 0x0000000000000000, 0x0000000000000000, 0x0000000000000001);
    T_RR("bset", 0x0000000000000000, 0x0000000000000001, 0x0000000000000002);
    T_RR("bset", 0x0000000000000000, 0x000000000000001f, 0x0000000080000000);
    T_RR("bset", 0x0000000000000000, 0x0000000000000020, 0x0000000100000000);
    T_RR("bset", 0x0000000000000000, 0x000000000000003f, 0x8000000000000000);
    T_RR("bset", 0x0000000000000000, 0x0000000000000040, 0x0000000000000001);
    T_RR("bset", 0x0000000000000000, 0xffffffffffffffff, 0x8000000000000000);
    T_RR("bset", 0x0000000000000000, 0x0000000000000047, 0x0000000000000080);
    T_RR("bset", 0xffffffffffffffff, 0x0000000000000000, 0xffffffffffffffff);
    T_RR("bset", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_RR("bset", 0xffffffffffffffff, 0x000000000000001f, 0xffffffffffffffff);
    T_RR("bset", 0xffffffffffffffff, 0x0000000000000020, 0xffffffffffffffff);
    T_RR("bset", 0xffffffffffffffff, 0x000000000000003f, 0xffffffffffffffff);
    T_RR("bset", 0xffffffffffffffff, 0x0000000000000040, 0xffffffffffffffff);
    T_RR("bset", 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff);
    T_RR("bset", 0xffffffffffffffff, 0x0000000000000047, 0xffffffffffffffff);
    T_RR("bset", 0x0123456789abcdef, 0x0000000000000000, 0x0123456789abcdef);
    T_RR("bset", 0x0123456789abcdef, 0x0000000000000001, 0x0123456789abcdef);
    T_RR("bset", 0x0123456789abcdef, 0x000000000000001f, 0x0123456789abcdef);
    T_RR("bset", 0x0123456789abcdef, 0x0000000000000020, 0x0123456789abcdef);
    T_RR("bset", 0x0123456789abcdef, 0x000000000000003f, 0x8123456789abcdef);
    T_RR("bset", 0x0123456789abcdef, 0x0000000000000040, 0x0123456789abcdef);
    T_RR("bset", 0x0123456789abcdef, 0xffffffffffffffff, 0x8123456789abcdef);
    T_RR("bset", 0x0123456789abcdef, 0x0000000000000047, 0x0123456789abcdef);
    T_RR("bset", 0x8000000000000000, 0x0000000000000000, 0x8000000000000001);
    T_RR("bset", 0x8000000000000000, 0x0000000000000001, 0x8000000000000002);
    T_RR("bset", 0x8000000000000000, 0x000000000000001f, 0x8000000080000000);
    T_RR("bset", 0x8000000000000000, 0x0000000000000020, 0x8000000100000000);
    T_RR("bset", 0x8000000000000000, 0x000000000000003f, 0x8000000000000000);
    T_RR("bset", 0x8000000000000000, 0x0000000000000040, 0x8000000000000001);
    T_RR("bset", 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000);
    T_RR("bset", 0x8000000000000000, 0x0000000000000047, 0x8000000000000080);

    T_RR("binv", 0x0000000000000000, 0x0000000000000000, 0x0000000000000001);
    T_RR("binv", 0x0000000000000000, 0x0000000000000001, 0x0000000000000002);
    T_RR("binv", 0x0000000000000000, 0x000000000000001f, 0x0000000080000000);
    T_RR("binv", 0x0000000000000000, 0x0000000000000020, 0x0000000100000000);
    T_RR("binv", 0x0000000000000000, 0x000000000000003f, 0x8000000000000000);
    T_RR("binv", 0x0000000000000000, 0x0000000000000040, 0x0000000000000001);
    T_RR("binv", 0x0000000000000000, 0xffffffffffffffff, 0x8000000000000000);
    T_RR("binv", 0x0000000000000000, 0x0000000000000047, 0x0000000000000080);
    T_RR("binv", 0xffffffffffffffff, 0x0000000000000000, 0xfffffffffffffffe);
    T_RR("binv", 0xffffffffffffffff, 0x0000000000000001, 0xfffffffffffffffd);
    T_RR("binv", 0xffffffffffffffff, 0x000000000000001f, 0xffffffff7fffffff);
    T_RR("binv", 0xffffffffffffffff, 0x0000000000000020, 0xfffffffeffffffff);
    T_RR("binv", 0xffffffffffffffff, 0x000000000000003f, 0x7fffffffffffffff);
    T_RR("binv", 0xffffffffffffffff, 0x0000000000000040, 0xfffffffffffffffe);
    T_RR("binv", 0xffffffffffffffff, 0xffffffffffffffff, 0x7fffffffffffffff);
    T_RR("binv", 0xffffffffffffffff, 0x0000000000000047, 0xffffffffffffff7f);
    T_RR("binv", 0x0123456789abcdef, 0x0000000000000000, 0x0123456789abcdee);
    T_RR("binv", 0x0123456789abcdef, 0x0000000000000001, 0x0123456789abcded);
    T_RR("binv", 0x0123456789abcdef, 0x000000000000001f, 0x0123456709abcdef);
    T_RR("binv", 0x0123456789abcdef, 0x0000000000000020, 0x0123456689abcdef);
    T_RR("binv", 0x0123456789abcdef, 0x000000000000003f, 0x8123456789abcdef);
    T_RR("binv", 0x0123456789abcdef, 0x0000000000000040, 0x0123456789abcdee);
    T_RR("binv", 0x0123456789abcdef, 0xffffffffffffffff, 0x8123456789abcdef);
    T_RR("binv", 0x0123456789abcdef, 0x0000000000000047, 0x0123456789abcd6f);
    T_RR("binv", 0x8000000000000000, 0x0000000000000000, 0x8000000000000001);
    T_RR("binv", 0x8000000000000000, 0x0000000000000001, 0x8000000000000002);
    T_RR("binv", 0x8000000000000000, 0x000000000000001f, 0x8000000080000000);
    T_RR("binv", 0x8000000000000000, 0x0000000000000020, 0x8000000100000000);
    T_RR("binv", 0x8000000000000000, 0x000000000000003f, 0x0000000000000000);
    T_RR("binv", 0x8000000000000000, 0x0000000000000040, 0x8000000000000001);
    T_RR("binv", 0x8000000000000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("binv", 0x8000000000000000, 0x0000000000000047, 0x8000000000000080);

    T_RR("bext", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("bext", 0x0000000000000000, 0x0000000000000001, 0x0000000000000000);
    T_RR("bext", 0x0000000000000000, 0x000000000000001f, 0x0000000000000000);
    T_RR("bext", 0x0000000000000000, 0x0000000000000020, 0x0000000000000000);
    T_RR("bext", 0x0000000000000000, 0x000000000000003f, 0x0000000000000000);
    T_RR("bext", 0x0000000000000000, 0x0000000000000040, 0x0000000000000000);
    T_RR("bext", 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("bext", 0x0000000000000000, 0x0000000000000047, 0x0000000000000000);
    T_RR("bext", 0xffffffffffffffff, 0x0000000000000000, 0x0000000000000001);
    T_RR("bext", 0xffffffffffffffff, 0x0000000000000001, 0x0000000000000001);
    T_RR("bext", 0xffffffffffffffff, 0x000000000000001f, 0x0000000000000001);
    T_RR("bext", 0xffffffffffffffff, 0x0000000000000020, 0x0000000000000001);
    T_RR("bext", 0xffffffffffffffff, 0x000000000000003f, 0x0000000000000001);
    T_RR("bext", 0xffffffffffffffff, 0x0000000000000040, 0x0000000000000001);
    T_RR("bext", 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001);
    T_RR("bext", 0xffffffffffffffff, 0x0000000000000047, 0x0000000000000001);
    T_RR("bext", 0x0123456789abcdef, 0x0000000000000000, 0x0000000000000001);
    T_RR("bext", 0x0123456789abcdef, 0x0000000000000001, 0x0000000000000001);
    T_RR("bext", 0x0123456789abcdef, 0x000000000000001f, 0x0000000000000001);
    T_RR("bext", 0x0123456789abcdef, 0x0000000000000020, 0x0000000000000001);
    T_RR("bext", 0x0123456789abcdef, 0x000000000000003f, 0x0000000000000000);
    T_RR("bext", 0x0123456789abcdef, 0x0000000000000040, 0x0000000000000001);
    T_RR("bext", 0x0123456789abcdef, 0xffffffffffffffff, 0x0000000000000000);
    T_RR("bext", 0x0123456789abcdef, 0x0000000000000047, 0x0000000000000001);
    T_RR("bext", 0x8000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("bext", 0x8000000000000000, 0x0000000000000001, 0x0000000000000000);
    T_RR("bext", 0x8000000000000000, 0x000000000000001f, 0x0000000000000000);
    T_RR("bext", 0x8000000000000000, 0x0000000000000020, 0x0000000000000000);
    T_RR("bext", 0x8000000000000000, 0x000000000000003f, 0x0000000000000001);
    T_RR("bext", 0x8000000000000000, 0x0000000000000040, 0x0000000000000000);
    T_RR("bext", 0x8000000000000000, 0xffffffffffffffff, 0x0000000000000001);
    T_RR("bext", 0x8000000000000000, 0x0000000000000047, 0x0000000000000000);

    T_RI("bclri", 0x0000000000000000, 0, 0x0000000000000000);
    T_RI("bclri", 0x0000000000000000, 1, 0x0000000000000000);
    T_RI("bclri", 0x0000000000000000, 31, 0x0000000000000000);
    T_RI("bclri", 0x0000000000000000, 32, 0x0000000000000000);
    T_RI("bclri", 0x0000000000000000, 63, 0x0000000000000000);
    T_RI("bclri", 0xffffffffffffffff, 0, 0xfffffffffffffffe);
    T_RI("bclri", 0xffffffffffffffff, 1, 0xfffffffffffffffd);
    T_RI("bclri", 0xffffffffffffffff, 31, 0xffffffff7fffffff);
    T_RI("bclri", 0xffffffffffffffff, 32, 0xfffffffeffffffff);
    T_RI("bclri", 0xffffffffffffffff, 63, 0x7fffffffffffffff);
    T_RI("bclri", 0x0123456789abcdef, 0, 0x0123456789abcdee);
    T_RI("bclri", 0x0123456789abcdef, 1, 0x0123456789abcded);
    T_RI("bclri", 0x0123456789abcdef, 31, 0x0123456709abcdef);
    T_RI("bclri", 0x0123456789abcdef, 32, 0x0123456689abcdef);
    T_RI("bclri", 0x0123456789abcdef, 63, 0x0123456789abcdef);
    T_RI("bclri", 0x8000000000000000, 0, 0x8000000000000000);
    T_RI("bclri", 0x8000000000000000, 1, 0x8000000000000000);
    T_RI("bclri", 0x8000000000000000, 31, 0x8000000000000000);
    T_RI("bclri", 0x8000000000000000, 32, 0x8000000000000000);
    T_RI("bclri", 0x8000000000000000, 63, 0x0000000000000000);

    T_RI("bseti", 0x0000000000000000, 0, 0x0000000000000001);
    T_RI("bseti", 0x0000000000000000, 1, 0x0000000000000002);
    T_RI("bseti", 0x0000000000000000, 31, 0x0000000080000000);
    T_RI("bseti", 0x0000000000000000, 32, 0x0000000100000000);
    T_RI("bseti", 0x0000000000000000, 63, 0x8000000000000000);
    T_RI("bseti", 0xffffffffffffffff, 0, 0xffffffffffffffff);
    T_RI("bseti", 0xffffffffffffffff, 1, 0xffffffffffffffff);
    T_RI("bseti", 0xffffffffffffffff, 31, 0xffffffffffffffff);
    T_RI("bseti", 0xffffffffffffffff, 32, 0xffffffffffffffff);
    T_RI("bseti", 0xffffffffffffffff, 63, 0xffffffffffffffff);
    T_RI("bseti", 0x0123456789abcdef, 0, 0x0123456789abcdef);
    T_RI("bseti", 0x0123456789abcdef, 1, 0x0123456789abcdef);
    T_RI("bseti", 0x0123456789abcdef, 31, 0x0123456789abcdef);
    T_RI("bseti", 0x0123456789abcdef, 32, 0x0123456789abcdef);
    T_RI("bseti", 0x0123456789abcdef, 63, 0x8123456789abcdef);
    T_RI("bseti", 0x8000000000000000, 0, 0x8000000000000001);
    T_RI("bseti", 0x8000000000000000, 1, 0x8000000000000002);
    T_RI("bseti", 0x8000000000000000, 31, 0x8000000080000000);
    T_RI("bseti", 0x8000000000000000, 32, 0x8000000100000000);
    T_RI("bseti", 0x8000000000000000, 63, 0x8000000000000000);

    T_RI("binvi", 0x0000000000000000, 0, 0x0000000000000001);
    T_RI("binvi", 0x0000000000000000, 1, 0x0000000000000002);
    T_RI("binvi", 0x0000000000000000, 31, 0x0000000080000000);
    T_RI("binvi", 0x0000000000000000, 32, 0x0000000100000000);
    T_RI("binvi", 0x0000000000000000, 63, 0x8000000000000000);
    T_RI("binvi", 0xffffffffffffffff, 0, 0xfffffffffffffffe);
    T_RI("binvi", 0xffffffffffffffff, 1, 0xfffffffffffffffd);
    T_RI("binvi", 0xffffffffffffffff, 31, 0xffffffff7fffffff);
    T_RI("binvi", 0xffffffffffffffff, 32, 0xfffffffeffffffff);
    T_RI("binvi", 0xffffffffffffffff, 63, 0x7fffffffffffffff);
    T_RI("binvi", 0x0123456789abcdef, 0, 0x0123456789abcdee);
    T_RI("binvi", 0x0123456789abcdef, 1, 0x0123456789abcded);
    T_RI("binvi", 0x0123456789abcdef, 31, 0x0123456709abcdef);
    T_RI("binvi", 0x0123456789abcdef, 32, 0x0123456689abcdef);
    T_RI("binvi", 0x0123456789abcdef, 63, 0x8123456789abcdef);
    T_RI("binvi", 0x8000000000000000, 0, 0x8000000000000001);
    T_RI("binvi", 0x8000000000000000, 1, 0x8000000000000002);
    T_RI("binvi", 0x8000000000000000, 31, 0x8000000080000000);
    T_RI("binvi", 0x8000000000000000, 32, 0x8000000100000000);
    T_RI("binvi", 0x8000000000000000, 63, 0x0000000000000000);

    T_RI("bexti", 0x0000000000000000, 0, 0x0000000000000000);
    T_RI("bexti", 0x0000000000000000, 1, 0x0000000000000000);
    T_RI("bexti", 0x0000000000000000, 31, 0x0000000000000000);
    T_RI("bexti", 0x0000000000000000, 32, 0x0000000000000000);
    T_RI("bexti", 0x0000000000000000, 63, 0x0000000000000000);
    T_RI("bexti", 0xffffffffffffffff, 0, 0x0000000000000001);
    T_RI("bexti", 0xffffffffffffffff, 1, 0x0000000000000001);
    T_RI("bexti", 0xffffffffffffffff, 31, 0x0000000000000001);
    T_RI("bexti", 0xffffffffffffffff, 32, 0x0000000000000001);
    T_RI("bexti", 0xffffffffffffffff, 63, 0x0000000000000001);
    T_RI("bexti", 0x0123456789abcdef, 0, 0x0000000000000001);
    T_RI("bexti", 0x0123456789abcdef, 1, 0x0000000000000001);
    T_RI("bexti", 0x0123456789abcdef, 31, 0x0000000000000001);
    T_RI("bexti", 0x0123456789abcdef, 32, 0x0000000000000001);
    T_RI("bexti", 0x0123456789abcdef, 63, 0x0000000000000000);
    T_RI("bexti", 0x8000000000000000, 0, 0x0000000000000000);
    T_RI("bexti", 0x8000000000000000, 1, 0x0000000000000000);
    T_RI("bexti", 0x8000000000000000, 31, 0x0000000000000000);
    T_RI("bexti", 0x8000000000000000, 32, 0x0000000000000000);
    T_RI("bexti", 0x8000000000000000, 63, 0x0000000000000001);

    printf("zbs: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
