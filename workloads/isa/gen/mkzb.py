import sys
fam=sys.argv[1]
desc={'zba':'''the Zba address-generation extension:
 *   add.uw rd = rs2 + zext32(rs1);  shNadd rd = (rs1 << N) + rs2;
 *   shNadd.uw rd = (zext32(rs1) << N) + rs2;  slli.uw rd = zext32(rs1) << shamt;
 *   zext.w is the alias add.uw rd, rs, zero.''',
'zbb':'''the Zbb basic bit-manipulation extension:
 *   andn/orn/xnor; clz/ctz/cpop (64-bit) and clzw/ctzw/cpopw (low 32 bits,
 *   result 32 for a zero word); signed/unsigned max/min; sext.b, sext.h,
 *   zext.h; rol/ror use rs2[5:0], rolw/rorw/roriw rotate the low word by
 *   rs2[4:0] and sign-extend the 32-bit result; orc.b sets each nonzero
 *   byte to 0xff; rev8 reverses the 8 bytes.''',
'zbs':'''the Zbs single-bit extension:
 *   bclr/bset/binv/bext with index rs2[5:0] (so 64 acts as 0, -1 as 63),
 *   and the immediate forms bclri/bseti/binvi/bexti with shamt 0..63.'''}[fam]
lines=open(fam+'_lines.txt').read().rstrip()+'\n'
print('''/*
 * %s.c - self-checking test of %s
 *
 * One line per check with inputs and actual result in hex, then OK/FAIL;
 * last line "%s: N checks, M failed"; exit status 0 iff all passed.
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
#define X "0x%%016" PRIx64

#define RR(op, a, b) ({ uint64_t r_; \\
    __asm__ volatile(op " %%0, %%1, %%2" : "=r"(r_) : "r"(U64(a)), "r"(U64(b))); r_; })
#define RI(op, a, imm) ({ uint64_t r_; \\
    __asm__ volatile(op " %%0, %%1, %%2" : "=r"(r_) : "r"(U64(a)), "i"(imm)); r_; })
#define R1(op, a) ({ uint64_t r_; \\
    __asm__ volatile(op " %%0, %%1" : "=r"(r_) : "r"(U64(a))); r_; })
#define T_RR(op, a, b, exp) check(RR(op, a, b), U64(exp), op " " X " " X, U64(a), U64(b))
#define T_RI(op, a, imm, exp) check(RI(op, a, imm), U64(exp), op " " X " %%d", U64(a), (int)(imm))
#define T_R1(op, a, exp) check(R1(op, a), U64(exp), op " " X, U64(a))

int main(void)
{
%s
    printf("%s: %%u checks, %%u failed\\n", n_checks, n_failed);
    return n_failed != 0;
}''' % (fam, desc, fam, lines, fam))
