/*
 * rvc.c - self-checking test of the RV64C compressed instructions.
 *
 * Every compressed instruction is written with its explicit c.* mnemonic
 * under ".option rvc", so the assembler emits exactly that 16-bit encoding.
 * Covered: c.addi, c.addiw, c.addi16sp, c.addi4spn, c.li, c.lui, c.mv,
 * c.add, c.sub, c.subw, c.addw, c.and, c.or, c.xor, c.andi, c.srli, c.srai,
 * c.slli, c.lw, c.ld, c.sw, c.sd, c.lwsp, c.ldsp, c.swsp, c.sdsp, c.fld,
 * c.fsd, c.fldsp, c.fsdsp, c.j, c.jr, c.jalr, c.beqz, c.bnez, c.nop.
 * c.ebreak is assembled (on a path that is jumped over) but never executed.
 * Also: a 32-bit instruction at a 2-byte-aligned address, and one that
 * straddles a page boundary (legal only with the C extension).
 *
 * One line per check, then OK/FAIL; last line "rvc: N checks, M failed";
 * exit status 0 iff all passed.  Pointer values are never printed; stack
 * pointer effects are printed as differences.
 *
 * The sp-relative forms run with sp temporarily pointing at a static
 * buffer (inside one asm statement, no calls, restored right after).
 *
 * Build: riscv64-linux-gnu-gcc -O2 -static -march=rv64gc_zba_zbb_zbs
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"

#define U64(x) ((uint64_t)(x))
#define X "0x%016" PRIx64
#define RVC(s) ".option push\n.option rvc\n" s "\n.option pop"

/* a0 = in; insn; result = a0 */
#define T_C1(insn, in, exp) do { uint64_t r_; \
    __asm__ volatile(RVC("mv a0, %1\n" insn "\nmv %0, a0") : "=r"(r_) : "r"(U64(in)) : "a0"); \
    check(r_, U64(exp), insn " with a0=" X, U64(in)); } while (0)
/* a0 = x; a1 = y; insn; result = a0 */
#define T_C2(insn, x, y, exp) do { uint64_t r_; \
    __asm__ volatile(RVC("mv a0, %1\nmv a1, %2\n" insn "\nmv %0, a0") \
                     : "=r"(r_) : "r"(U64(x)), "r"(U64(y)) : "a0", "a1"); \
    check(r_, U64(exp), insn " with a0=" X " a1=" X, U64(x), U64(y)); } while (0)
/* Same with registers outside x8..x15 (full 5-bit register fields): t5, t6. */
#define T_CT(insn, x, y, exp) do { uint64_t r_; \
    __asm__ volatile(RVC("mv t6, %1\nmv t5, %2\n" insn "\nmv %0, t6") \
                     : "=r"(r_) : "r"(U64(x)), "r"(U64(y)) : "t5", "t6"); \
    check(r_, U64(exp), insn " with t6=" X " t5=" X, U64(x), U64(y)); } while (0)

/* Memory: a0 = buffer base (x8..x15 register), a1 = value. */
static uint64_t mbuf[64] __attribute__((aligned(16)));
static void fill(void)
{
    for (int i = 0; i < 64; i++)
        mbuf[i] = 0x8877665544332211ull + 0x0101010101010101ull * (uint64_t)i;
}
#define T_CLOAD(insn, exp) do { uint64_t r_; fill(); \
    __asm__ volatile(RVC("mv a0, %1\n" insn "\nmv %0, a1") : "=r"(r_) : "r"(mbuf) : "a0", "a1", "memory"); \
    check(r_, U64(exp), insn " (a0 = buffer)"); } while (0)
#define T_CSTORE(insn, v, idx, exp) do { fill(); \
    __asm__ volatile(RVC("mv a0, %0\nmv a1, %1\n" insn) :: "r"(mbuf), "r"(U64(v)) : "a0", "a1", "memory"); \
    check(mbuf[idx], U64(exp), insn " with a1=" X " (a0 = buffer): doubleword %d", U64(v), idx); } while (0)
/* sp-relative: sp = buffer for the duration of the asm statement. */
#define T_CLOADSP(insn, reg, exp) do { uint64_t r_; fill(); \
    __asm__ volatile(RVC("mv t0, sp\nmv sp, %1\n" insn "\nmv sp, t0\nmv %0, " reg) \
                     : "=r"(r_) : "r"(mbuf) : "t0", reg, "memory"); \
    check(r_, U64(exp), insn " (sp = buffer)"); } while (0)
#define T_CSTORESP(insn, reg, v, idx, exp) do { fill(); \
    __asm__ volatile(RVC("mv " reg ", %1\nmv t0, sp\nmv sp, %0\n" insn "\nmv sp, t0") \
                     :: "r"(mbuf), "r"(U64(v)) : "t0", reg, "memory"); \
    check(mbuf[idx], U64(exp), insn " with " reg "=" X " (sp = buffer): doubleword %d", U64(v), idx); } while (0)

static void test_int_ops(void)
{
    /* c.li: 6-bit signed immediate. */
    T_C1("c.li a0, 0", 0x1234, 0);
    T_C1("c.li a0, 31", 0x1234, 31);
    T_C1("c.li a0, -32", 0x1234, 0xffffffffffffffe0ull);
    T_C1("c.li a0, -1", 0, 0xffffffffffffffffull);
    T_CT("c.li t6, 17", 0, 0, 17);
    /* c.lui: nonzero 6-bit immediate, bits 17:12, sign-extended. */
    T_C1("c.lui a0, 1", 0, 0x1000);
    T_C1("c.lui a0, 31", 0, 0x1f000);
    T_C1("c.lui a0, 0xfffe0", 0, 0xfffffffffffe0000ull);
    T_C1("c.lui a0, 0xfffff", 0, 0xfffffffffffff000ull);
    T_CT("c.lui t6, 0x10", 0, 0, 0x10000);
    /* c.addi: rd += sext(imm6). */
    T_C1("c.addi a0, 1", 41, 42);
    T_C1("c.addi a0, -32", 0, 0xffffffffffffffe0ull);
    T_C1("c.addi a0, 31", 0x7fffffffffffffe1ull, 0x8000000000000000ull);
    T_C1("c.addi a0, -1", 0, 0xffffffffffffffffull);
    T_C1("c.addi a0, 1", 0xffffffffull, 0x100000000ull);
    T_CT("c.addi t6, -5", 5, 0, 0);
    /* c.addiw: 32-bit add, sign-extended; imm 0 is sext.w. */
    T_C1("c.addiw a0, 1", 0x7fffffffull, 0xffffffff80000000ull);
    T_C1("c.addiw a0, 0", 0x0000000080000000ull, 0xffffffff80000000ull);
    T_C1("c.addiw a0, 0", 0x123456787fffffffull, 0x000000007fffffffull);
    T_C1("c.addiw a0, -1", 0xffffffff00000000ull, 0xffffffffffffffffull);
    T_C1("c.addiw a0, 31", 0xffffffffffffffe1ull, 0);
    T_CT("c.addiw t6, -32", 0x100000000ull, 0, 0xffffffffffffffe0ull);
    /* c.mv / c.add (any registers). */
    T_C2("c.mv a0, a1", 1, 0xdeadbeefcafef00dull, 0xdeadbeefcafef00dull);
    T_CT("c.mv t6, t5", 1, 0x8000000000000001ull, 0x8000000000000001ull);
    T_C2("c.add a0, a1", 0x7fffffffffffffffull, 1, 0x8000000000000000ull);
    T_C2("c.add a0, a1", 0xffffffffffffffffull, 0xffffffffffffffffull, 0xfffffffffffffffeull);
    T_CT("c.add t6, t5", 0x00000000ffffffffull, 1, 0x100000000ull);
    /* c.sub / c.xor / c.or / c.and (x8..x15). */
    T_C2("c.sub a0, a1", 0, 1, 0xffffffffffffffffull);
    T_C2("c.sub a0, a1", 0x8000000000000000ull, 1, 0x7fffffffffffffffull);
    T_C2("c.xor a0, a1", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0xf0f0f0f0f0f0f0f0ull);
    T_C2("c.or a0, a1", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0xfff0fff0fff0fff0ull);
    T_C2("c.and a0, a1", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0x0f000f000f000f00ull);
    /* c.addw / c.subw: 32-bit, sign-extended, upper input bits ignored. */
    T_C2("c.addw a0, a1", 0x7fffffffull, 1, 0xffffffff80000000ull);
    T_C2("c.addw a0, a1", 0x1234567800000001ull, 0xabcdef0000000002ull, 3);
    T_C2("c.addw a0, a1", 0xffffffffull, 1, 0);
    T_C2("c.subw a0, a1", 0x80000000ull, 1, 0x7fffffffull);
    T_C2("c.subw a0, a1", 0, 0x80000000ull, 0xffffffff80000000ull);
    T_C2("c.subw a0, a1", 0x500000000ull, 0x300000001ull, 0xffffffffffffffffull);
    /* c.andi: sign-extended 6-bit immediate. */
    T_C1("c.andi a0, -1", 0x123456789abcdef0ull, 0x123456789abcdef0ull);
    T_C1("c.andi a0, -32", 0x123456789abcdeffull, 0x123456789abcdee0ull);
    T_C1("c.andi a0, 31", 0x123456789abcdeffull, 0x1f);
    T_C1("c.andi a0, 0", 0xffffffffffffffffull, 0);
    /* Shifts with shamt 1..63. */
    T_C1("c.slli a0, 1", 0x8000000000000001ull, 2);
    T_C1("c.slli a0, 32", 0x00000000ffffffffull, 0xffffffff00000000ull);
    T_C1("c.slli a0, 63", 1, 0x8000000000000000ull);
    T_CT("c.slli t6, 4", 0x0123456789abcdefull, 0, 0x123456789abcdef0ull);
    T_C1("c.srli a0, 1", 0x8000000000000000ull, 0x4000000000000000ull);
    T_C1("c.srli a0, 32", 0x8000000000000000ull, 0x80000000ull);
    T_C1("c.srli a0, 63", 0x8000000000000000ull, 1);
    T_C1("c.srai a0, 1", 0x8000000000000000ull, 0xc000000000000000ull);
    T_C1("c.srai a0, 32", 0x8000000000000000ull, 0xffffffff80000000ull);
    T_C1("c.srai a0, 63", 0x8000000000000000ull, 0xffffffffffffffffull);
    T_C1("c.srai a0, 63", 0x7fffffffffffffffull, 0);
    /* c.nop. */
    T_C1("c.nop; c.nop", 0x55, 0x55);
}

static void test_mem(void)
{
    /* mbuf[i] = 0x8877665544332211 + 0x0101010101010101 * i */
    T_CLOAD("c.ld a1, 0(a0)", 0x8877665544332211ull);
    T_CLOAD("c.ld a1, 8(a0)", 0x8978675645342312ull);
    T_CLOAD("c.ld a1, 248(a0)", 0xa796857463524130ull);
    T_CLOAD("c.lw a1, 0(a0)", 0x0000000044332211ull);
    T_CLOAD("c.lw a1, 4(a0)", 0xffffffff88776655ull);   /* sign-extended */
    T_CLOAD("c.lw a1, 124(a0)", 0xffffffff97867564ull);
    T_CSTORE("c.sd a1, 0(a0)", 0x0123456789abcdefull, 0, 0x0123456789abcdefull);
    T_CSTORE("c.sd a1, 248(a0)", 0x0123456789abcdefull, 31, 0x0123456789abcdefull);
    T_CSTORE("c.sw a1, 0(a0)", 0x0123456789abcdefull, 0, 0x8877665589abcdefull);
    T_CSTORE("c.sw a1, 4(a0)", 0x0123456789abcdefull, 0, 0x89abcdef44332211ull);
    T_CSTORE("c.sw a1, 124(a0)", 0xfedcba9876543210ull, 15, 0x7654321053423120ull);

    /* sp-relative. */
    T_CLOADSP("c.ldsp a2, 0(sp)", "a2", 0x8877665544332211ull);
    T_CLOADSP("c.ldsp t6, 504(sp)", "t6", 0xc7b6a59483726150ull);
    T_CLOADSP("c.lwsp a2, 4(sp)", "a2", 0xffffffff88776655ull);
    T_CLOADSP("c.lwsp t6, 8(sp)", "t6", 0x0000000045342312ull);
    T_CLOADSP("c.lwsp a2, 252(sp)", "a2", 0xffffffffa7968574ull);
    T_CSTORESP("c.sdsp a2, 0(sp)", "a2", 0x0123456789abcdefull, 0, 0x0123456789abcdefull);
    T_CSTORESP("c.sdsp t6, 504(sp)", "t6", 0xfedcba9876543210ull, 63, 0xfedcba9876543210ull);
    T_CSTORESP("c.swsp a2, 0(sp)", "a2", 0x0123456789abcdefull, 0, 0x8877665589abcdefull);
    T_CSTORESP("c.swsp t6, 252(sp)", "t6", 0x0123456789abcdefull, 31, 0x89abcdef63524130ull);
}

static void test_fp_mem(void)
{
    uint64_t r;
    fill();
    __asm__ volatile(RVC("mv a0, %1\nc.fld fa1, 16(a0)\nfmv.x.d %0, fa1")
                     : "=r"(r) : "r"(mbuf) : "a0", "fa1", "memory");
    check(r, 0x8a79685746352413ull, "c.fld fa1, 16(a0) (a0 = buffer)");
    __asm__ volatile(RVC("mv a0, %1\nc.fld fs1, 248(a0)\nfmv.x.d %0, fs1")
                     : "=r"(r) : "r"(mbuf) : "a0", "fs1", "memory");
    check(r, 0xa796857463524130ull, "c.fld fs1, 248(a0) (a0 = buffer)");
    fill();
    __asm__ volatile(RVC("mv a0, %0\nfmv.d.x fa2, %1\nc.fsd fa2, 24(a0)")
                     :: "r"(mbuf), "r"(U64(0x400921fb54442d18ull)) : "a0", "fa2", "memory");
    check(mbuf[3], 0x400921fb54442d18ull, "c.fsd fa2, 24(a0) with fa2=0x400921fb54442d18");
    fill();
    __asm__ volatile(RVC("mv a0, %0\nfmv.d.x fa5, %1\nc.fsd fa5, 248(a0)")
                     :: "r"(mbuf), "r"(U64(0xfff0000000000001ull)) : "a0", "fa5", "memory");
    check(mbuf[31], 0xfff0000000000001ull, "c.fsd fa5, 248(a0) with fa5=0xfff0000000000001");
    fill();
    __asm__ volatile(RVC("mv t0, sp\nmv sp, %1\nc.fldsp ft3, 32(sp)\nmv sp, t0\nfmv.x.d %0, ft3")
                     : "=r"(r) : "r"(mbuf) : "t0", "ft3", "memory");
    check(r, 0x8c7b6a5948372615ull, "c.fldsp ft3, 32(sp) (sp = buffer)");
    __asm__ volatile(RVC("mv t0, sp\nmv sp, %1\nc.fldsp ft11, 504(sp)\nmv sp, t0\nfmv.x.d %0, ft11")
                     : "=r"(r) : "r"(mbuf) : "t0", "ft11", "memory");
    check(r, 0xc7b6a59483726150ull, "c.fldsp ft11, 504(sp) (sp = buffer)");
    fill();
    __asm__ volatile(RVC("fmv.d.x ft4, %1\nmv t0, sp\nmv sp, %0\nc.fsdsp ft4, 40(sp)\nmv sp, t0")
                     :: "r"(mbuf), "r"(U64(0x7ff8000000000000ull)) : "t0", "ft4", "memory");
    check(mbuf[5], 0x7ff8000000000000ull, "c.fsdsp ft4, 40(sp) with ft4=0x7ff8000000000000");
    fill();
    __asm__ volatile(RVC("fmv.d.x ft10, %1\nmv t0, sp\nmv sp, %0\nc.fsdsp ft10, 504(sp)\nmv sp, t0")
                     :: "r"(mbuf), "r"(U64(0x8000000000000000ull)) : "t0", "ft10", "memory");
    check(mbuf[63], 0x8000000000000000ull, "c.fsdsp ft10, 504(sp) with ft10=0x8000000000000000");
}

static void test_sp_arith(void)
{
    uint64_t r;
    /* c.addi4spn rd', sp, nzuimm (4..1020): result printed as rd - sp. */
    __asm__ volatile(RVC("c.addi4spn a0, sp, 4\nsub %0, a0, sp") : "=r"(r) :: "a0");
    check(r, 4, "c.addi4spn a0, sp, 4: a0 - sp");
    __asm__ volatile(RVC("c.addi4spn a5, sp, 1020\nsub %0, a5, sp") : "=r"(r) :: "a5");
    check(r, 1020, "c.addi4spn a5, sp, 1020: a5 - sp");
    __asm__ volatile(RVC("c.addi4spn s1, sp, 512\nsub %0, s1, sp") : "=r"(r) :: "s1");
    check(r, 512, "c.addi4spn s1, sp, 512: s1 - sp");
    /* c.addi16sp sp, nzimm (-512..496, multiple of 16): new sp - old sp. */
    __asm__ volatile(RVC("mv t0, sp\nc.addi16sp sp, -512\nsub %0, sp, t0\nmv sp, t0") : "=r"(r) :: "t0");
    check(r, 0xfffffffffffffe00ull, "c.addi16sp sp, -512: sp delta");
    __asm__ volatile(RVC("mv t0, sp\nc.addi16sp sp, 496\nsub %0, sp, t0\nmv sp, t0") : "=r"(r) :: "t0");
    check(r, 496, "c.addi16sp sp, 496: sp delta");
    __asm__ volatile(RVC("mv t0, sp\nc.addi16sp sp, -16\nc.addi16sp sp, 32\nsub %0, sp, t0\nmv sp, t0")
                     : "=r"(r) :: "t0");
    check(r, 16, "c.addi16sp sp, -16; c.addi16sp sp, 32: sp delta");
}

static void test_control(void)
{
    uint64_t r, t;

    /* c.j forward over code (which contains a never-executed c.ebreak), and backward. */
    __asm__ volatile(RVC("li %0, 0\n"
                         "c.j 2f\n"
                         "1: c.addi %0, 4\n"
                         "c.j 3f\n"
                         "c.ebreak\n"
                         "2: c.addi %0, 1\n"
                         "c.j 1b\n"
                         "c.ebreak\n"
                         "3:") : "=&r"(r));
    check(r, 5, "c.j forward then backward: path taken");

    /* c.jr: jump to register. */
    __asm__ volatile(RVC("li %0, 0\nlla t1, 1f\nc.jr t1\nc.li %0, 1\nc.ebreak\n1:")
                     : "=&r"(r) :: "t1");
    check(r, 0, "c.jr t1: skipped instructions not executed");

    /* c.jalr: link = pc + 2. */
    __asm__ volatile(RVC("li %1, 0\nlla t1, 2f\n1: c.jalr t1\nc.li %1, 1\n2: lla t2, 1b\nsub %0, ra, t2")
                     : "=&r"(r), "=&r"(t) :: "t1", "t2", "ra");
    check(r, 2, "c.jalr t1: ra - pc");
    check(t, 0, "c.jalr t1: skipped instruction not executed");
    /* c.jalr used as a call, returning with c.jr ra. */
    __asm__ volatile(RVC("li %0, 0\nlla t1, 1f\nc.jalr t1\nc.addi %0, 8\nc.j 2f\n"
                         "1: c.addi %0, 1\nc.jr ra\n2:")
                     : "=&r"(r) :: "t1", "ra");
    check(r, 9, "c.jalr call / c.jr ra return: path taken");

    /* c.beqz / c.bnez test the whole 64-bit register. */
    static const uint64_t vals[] = { 0, 1, 0xffffffffffffffffull, 0x100000000ull, 0x8000000000000000ull };
    static const uint64_t exp_beqz[] = { 1, 0, 0, 0, 0 };
    for (int i = 0; i < 5; i++) {
        __asm__ volatile(RVC("mv a0, %1\nli %0, 1\nc.beqz a0, 1f\nli %0, 0\n1:")
                         : "=&r"(r) : "r"(vals[i]) : "a0");
        check(r, exp_beqz[i], "c.beqz a0=" X " taken", vals[i]);
        __asm__ volatile(RVC("mv a0, %1\nli %0, 1\nc.bnez a0, 1f\nli %0, 0\n1:")
                         : "=&r"(r) : "r"(vals[i]) : "a0");
        check(r, 1 - exp_beqz[i], "c.bnez a0=" X " taken", vals[i]);
    }
    /* Backward c.bnez loop; c.beqz with maximum-ish forward distance (+254). */
    __asm__ volatile(RVC("li a0, 10\nli %0, 0\n1: c.addi %0, 3\nc.addi a0, -1\nc.bnez a0, 1b")
                     : "=&r"(r) :: "a0");
    check(r, 30, "c.bnez backward loop x10");
    __asm__ volatile(RVC("li a0, 0\nli %0, 7\nc.beqz a0, 1f\n.fill 126, 2, 0x0001\n1:")
                     : "=&r"(r) :: "a0");
    check(r, 7, "c.beqz over 252 bytes");
    __asm__ volatile(RVC("li %0, 0\nc.j 2f\n1: c.addi %0, 2\nc.j 3f\n.fill 1000, 2, 0x0001\n"
                         "2: c.addi %0, 1\nc.j 1b\n3:") : "=&r"(r));
    check(r, 3, "c.j over 2000 bytes both ways");

    /* A 32-bit instruction at an address that is 2 mod 4. */
    __asm__ volatile(RVC(".balign 4\nli %0, 0\n.balign 4\nc.nop\n.option norvc\naddi %0, %0, 100\n"
                         "lla t1, 1f\njalr x0, 0(t1)\n1:") : "=&r"(r) :: "t1");
    check(r, 100, "32-bit addi/jalr at a 2-mod-4 address");
}

/* Generated code: a 4-byte instruction straddling a page boundary. */
static void test_page_straddle(void)
{
    uint8_t *code = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(code != MAP_FAILED, 1, "mmap 8 KiB read/write/execute");
    if (code == MAP_FAILED)
        return;
    /* 4092: c.addi a0, 1 | 4094: addi a0, a0, 1000 (crosses) | 4098: c.addi a0, 2 | 4100: c.jr ra */
    const uint16_t c_addi_a0_1 = 0x0505, c_addi_a0_2 = 0x0509, c_jr_ra = 0x8082;
    const uint32_t addi_a0_a0_1000 = 0x3e850513;
    memcpy(code + 4092, &c_addi_a0_1, 2);
    memcpy(code + 4094, &addi_a0_a0_1000, 4);
    memcpy(code + 4098, &c_addi_a0_2, 2);
    memcpy(code + 4100, &c_jr_ra, 2);
    __asm__ volatile("fence.i" ::: "memory");
    uint64_t (*f)(uint64_t) = (uint64_t (*)(uint64_t))(void *)(code + 4092);
    check(f(5), 1008, "c.addi; addi straddling a page boundary; c.addi; c.jr ra");
    /* Check the encodings used above against the assembler. */
    uint16_t h[3];
    uint32_t w;
    __asm__ volatile(RVC("lla t0, 1f\nlhu t1, 0(t0)\nsh t1, 0(%0)\nlhu t1, 2(t0)\nsh t1, 2(%0)\n"
                         "lhu t1, 4(t0)\nsh t1, 4(%0)\nlhu t1, 6(t0)\nsw t1, 0(%1)\nlhu t1, 8(t0)\n"
                         "slli t1, t1, 16\nlw t2, 0(%1)\nor t1, t1, t2\nsw t1, 0(%1)\nj 2f\n"
                         "1: c.addi a0, 1\nc.addi a0, 2\nc.jr ra\n.option norvc\naddi a0, a0, 1000\n2:")
                     :: "r"(h), "r"(&w) : "t0", "t1", "t2", "memory");
    check(h[0], c_addi_a0_1, "encoding of c.addi a0, 1");
    check(h[1], c_addi_a0_2, "encoding of c.addi a0, 2");
    check(h[2], c_jr_ra, "encoding of c.jr ra");
    check(w, addi_a0_a0_1000, "encoding of addi a0, a0, 1000");
    munmap(code, 8192);
}

int main(void)
{
    test_int_ops();
    test_mem();
    test_fp_mem();
    test_sp_arith();
    test_control();
    test_page_straddle();
    printf("rvc: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
