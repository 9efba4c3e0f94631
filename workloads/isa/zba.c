/*
 * zba.c - self-checking test of the Zba address-generation extension:
 *   add.uw rd = rs2 + zext32(rs1);  shNadd rd = (rs1 << N) + rs2;
 *   shNadd.uw rd = (zext32(rs1) << N) + rs2;  slli.uw rd = zext32(rs1) << shamt;
 *   zext.w is the alias add.uw rd, rs, zero.
 *
 * One line per check with inputs and actual result in hex, then OK/FAIL;
 * last line "zba: N checks, M failed"; exit status 0 iff all passed.
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
    T_RR("add.uw", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("add.uw", 0x0000000000000001, 0x0000000000000002, 0x0000000000000003);
    T_RR("add.uw", 0xffffffffffffffff, 0x0000000000000001, 0x0000000100000000);
    T_RR("add.uw", 0x00000000ffffffff, 0x0000000000000001, 0x0000000100000000);
    T_RR("add.uw", 0x0000000080000000, 0x0000000000000000, 0x0000000080000000);
    T_RR("add.uw", 0xffffffff80000000, 0x0000000000001000, 0x0000000080001000);
    T_RR("add.uw", 0x123456789abcdef0, 0x0fedcba987654321, 0x0fedcbaa22222211);
    T_RR("add.uw", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000);
    T_RR("add.uw", 0x7fffffffffffffff, 0x0000000000000001, 0x0000000100000000);
    T_RR("add.uw", 0x00000001ffffffff, 0xffffffffffffffff, 0x00000000fffffffe);
    T_RR("add.uw", 0x000000007fffffff, 0x0000000100000000, 0x000000017fffffff);

    T_RR("sh1add", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("sh1add", 0x0000000000000001, 0x0000000000000002, 0x0000000000000004);
    T_RR("sh1add", 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_RR("sh1add", 0x00000000ffffffff, 0x0000000000000001, 0x00000001ffffffff);
    T_RR("sh1add", 0x0000000080000000, 0x0000000000000000, 0x0000000100000000);
    T_RR("sh1add", 0xffffffff80000000, 0x0000000000001000, 0xffffffff00001000);
    T_RR("sh1add", 0x123456789abcdef0, 0x0fedcba987654321, 0x3456789abcdf0101);
    T_RR("sh1add", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000);
    T_RR("sh1add", 0x7fffffffffffffff, 0x0000000000000001, 0xffffffffffffffff);
    T_RR("sh1add", 0x00000001ffffffff, 0xffffffffffffffff, 0x00000003fffffffd);
    T_RR("sh1add", 0x000000007fffffff, 0x0000000100000000, 0x00000001fffffffe);

    T_RR("sh2add", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("sh2add", 0x0000000000000001, 0x0000000000000002, 0x0000000000000006);
    T_RR("sh2add", 0xffffffffffffffff, 0x0000000000000001, 0xfffffffffffffffd);
    T_RR("sh2add", 0x00000000ffffffff, 0x0000000000000001, 0x00000003fffffffd);
    T_RR("sh2add", 0x0000000080000000, 0x0000000000000000, 0x0000000200000000);
    T_RR("sh2add", 0xffffffff80000000, 0x0000000000001000, 0xfffffffe00001000);
    T_RR("sh2add", 0x123456789abcdef0, 0x0fedcba987654321, 0x58bf258bf258bee1);
    T_RR("sh2add", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000);
    T_RR("sh2add", 0x7fffffffffffffff, 0x0000000000000001, 0xfffffffffffffffd);
    T_RR("sh2add", 0x00000001ffffffff, 0xffffffffffffffff, 0x00000007fffffffb);
    T_RR("sh2add", 0x000000007fffffff, 0x0000000100000000, 0x00000002fffffffc);

    T_RR("sh3add", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("sh3add", 0x0000000000000001, 0x0000000000000002, 0x000000000000000a);
    T_RR("sh3add", 0xffffffffffffffff, 0x0000000000000001, 0xfffffffffffffff9);
    T_RR("sh3add", 0x00000000ffffffff, 0x0000000000000001, 0x00000007fffffff9);
    T_RR("sh3add", 0x0000000080000000, 0x0000000000000000, 0x0000000400000000);
    T_RR("sh3add", 0xffffffff80000000, 0x0000000000001000, 0xfffffffc00001000);
    T_RR("sh3add", 0x123456789abcdef0, 0x0fedcba987654321, 0xa1907f6e5d4c3aa1);
    T_RR("sh3add", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000);
    T_RR("sh3add", 0x7fffffffffffffff, 0x0000000000000001, 0xfffffffffffffff9);
    T_RR("sh3add", 0x00000001ffffffff, 0xffffffffffffffff, 0x0000000ffffffff7);
    T_RR("sh3add", 0x000000007fffffff, 0x0000000100000000, 0x00000004fffffff8);

    T_RR("sh1add.uw", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("sh1add.uw", 0x0000000000000001, 0x0000000000000002, 0x0000000000000004);
    T_RR("sh1add.uw", 0xffffffffffffffff, 0x0000000000000001, 0x00000001ffffffff);
    T_RR("sh1add.uw", 0x00000000ffffffff, 0x0000000000000001, 0x00000001ffffffff);
    T_RR("sh1add.uw", 0x0000000080000000, 0x0000000000000000, 0x0000000100000000);
    T_RR("sh1add.uw", 0xffffffff80000000, 0x0000000000001000, 0x0000000100001000);
    T_RR("sh1add.uw", 0x123456789abcdef0, 0x0fedcba987654321, 0x0fedcbaabcdf0101);
    T_RR("sh1add.uw", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000);
    T_RR("sh1add.uw", 0x7fffffffffffffff, 0x0000000000000001, 0x00000001ffffffff);
    T_RR("sh1add.uw", 0x00000001ffffffff, 0xffffffffffffffff, 0x00000001fffffffd);
    T_RR("sh1add.uw", 0x000000007fffffff, 0x0000000100000000, 0x00000001fffffffe);

    T_RR("sh2add.uw", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("sh2add.uw", 0x0000000000000001, 0x0000000000000002, 0x0000000000000006);
    T_RR("sh2add.uw", 0xffffffffffffffff, 0x0000000000000001, 0x00000003fffffffd);
    T_RR("sh2add.uw", 0x00000000ffffffff, 0x0000000000000001, 0x00000003fffffffd);
    T_RR("sh2add.uw", 0x0000000080000000, 0x0000000000000000, 0x0000000200000000);
    T_RR("sh2add.uw", 0xffffffff80000000, 0x0000000000001000, 0x0000000200001000);
    T_RR("sh2add.uw", 0x123456789abcdef0, 0x0fedcba987654321, 0x0fedcbabf258bee1);
    T_RR("sh2add.uw", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000);
    T_RR("sh2add.uw", 0x7fffffffffffffff, 0x0000000000000001, 0x00000003fffffffd);
    T_RR("sh2add.uw", 0x00000001ffffffff, 0xffffffffffffffff, 0x00000003fffffffb);
    T_RR("sh2add.uw", 0x000000007fffffff, 0x0000000100000000, 0x00000002fffffffc);

    T_RR("sh3add.uw", 0x0000000000000000, 0x0000000000000000, 0x0000000000000000);
    T_RR("sh3add.uw", 0x0000000000000001, 0x0000000000000002, 0x000000000000000a);
    T_RR("sh3add.uw", 0xffffffffffffffff, 0x0000000000000001, 0x00000007fffffff9);
    T_RR("sh3add.uw", 0x00000000ffffffff, 0x0000000000000001, 0x00000007fffffff9);
    T_RR("sh3add.uw", 0x0000000080000000, 0x0000000000000000, 0x0000000400000000);
    T_RR("sh3add.uw", 0xffffffff80000000, 0x0000000000001000, 0x0000000400001000);
    T_RR("sh3add.uw", 0x123456789abcdef0, 0x0fedcba987654321, 0x0fedcbae5d4c3aa1);
    T_RR("sh3add.uw", 0x8000000000000000, 0x8000000000000000, 0x8000000000000000);
    T_RR("sh3add.uw", 0x7fffffffffffffff, 0x0000000000000001, 0x00000007fffffff9);
    T_RR("sh3add.uw", 0x00000001ffffffff, 0xffffffffffffffff, 0x00000007fffffff7);
    T_RR("sh3add.uw", 0x000000007fffffff, 0x0000000100000000, 0x00000004fffffff8);

    T_RI("slli.uw", 0xffffffffffffffff, 0, 0x00000000ffffffff);
    T_RI("slli.uw", 0xffffffffffffffff, 1, 0x00000001fffffffe);
    T_RI("slli.uw", 0x0000000080000001, 31, 0x4000000080000000);
    T_RI("slli.uw", 0x0000000080000001, 32, 0x8000000100000000);
    T_RI("slli.uw", 0x0000000080000001, 33, 0x0000000200000000);
    T_RI("slli.uw", 0x00000000ffffffff, 63, 0x8000000000000000);
    T_RI("slli.uw", 0x123456789abcdef0, 4, 0x00000009abcdef00);
    T_RI("slli.uw", 0xfedcba9876543210, 0, 0x0000000076543210);
    T_RI("slli.uw", 0xfedcba9876543211, 63, 0x8000000000000000);

    T_R1("zext.w", 0x0000000000000000, 0x0000000000000000);
    T_R1("zext.w", 0xffffffffffffffff, 0x00000000ffffffff);
    T_R1("zext.w", 0x123456789abcdef0, 0x000000009abcdef0);
    T_R1("zext.w", 0x0000000080000000, 0x0000000080000000);
    T_R1("zext.w", 0xffffffff7fffffff, 0x000000007fffffff);

    printf("zba: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
