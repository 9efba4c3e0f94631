/*
 * rv64i.c - self-checking test of the RV64I base integer instruction set.
 *
 * Every check prints one line with the inputs and the actual result in hex,
 * followed by OK or FAIL; the last line is "rv64i: N checks, M failed".
 * Exit status is 0 iff every check passed.  Expected values are worked out
 * from the RISC-V unprivileged specification and written down literally, so
 * that a broken instruction cannot "agree with itself".
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

/* Register-register and register-immediate ALU operations. */
#define RR(op, a, b) ({ uint64_t r_; \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(U64(a)), "r"(U64(b))); r_; })
#define RI(op, a, imm) ({ uint64_t r_; \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(U64(a)), "i"(imm)); r_; })
#define T_RR(op, a, b, exp) check(RR(op, a, b), U64(exp), op " " X " " X, U64(a), U64(b))
#define T_RI(op, a, imm, exp) check(RI(op, a, imm), U64(exp), op " " X " %d", U64(a), (int)(imm))

/* U-type: LUI. */
#define T_LUI(imm, exp) do { uint64_t r_; \
    __asm__ volatile("lui %0, %1" : "=r"(r_) : "i"(imm)); \
    check(r_, U64(exp), "lui 0x%05x", (unsigned)(imm)); } while (0)

/* AUIPC imm: result minus the pc of the auipc itself (taken from a jal link). */
#define T_AUIPC(imm, exp) do { uint64_t r_, pc_; \
    __asm__ volatile(".option push\n.option norvc\n" \
                     "jal %1, 1f\n1: auipc %0, %2\nsub %0, %0, %1\n.option pop" \
                     : "=&r"(r_), "=&r"(pc_) : "i"(imm)); \
    check(r_, U64(exp), "auipc 0x%05x (result - pc)", (unsigned)(imm)); } while (0)

/* Conditional branch: 1 if taken (forward), 0 if not. */
#define BR(op, a, b) ({ uint64_t t_; \
    __asm__ volatile("li %0, 1\n" op " %1, %2, 1f\nli %0, 0\n1:" \
                     : "=&r"(t_) : "r"(U64(a)), "r"(U64(b))); t_; })
#define T_BR(op, a, b, exp) check(BR(op, a, b), U64(exp), op " " X " " X " taken", U64(a), U64(b))

/* Loads: base register plus immediate offset. */
#define LD(op, p, off) ({ uint64_t r_; \
    __asm__ volatile(op " %0, %2(%1)" : "=r"(r_) : "r"(p), "i"(off) : "memory"); r_; })
/* (the base is formed via uintptr_t: it may point outside the object) */
#define AT(base, boff) ((const uint8_t *)((uintptr_t)(base) + (intptr_t)(boff)))
#define T_LD(op, base, boff, off, exp) \
    check(LD(op, AT(base, boff), off), U64(exp), op " [buf+%d]%+d", (int)(boff), (int)(off))

/* Stores: prefill 16 bytes with 0xaa, store, read back two doublewords. */
static uint8_t sbuf[32] __attribute__((aligned(16)));
#define ST(op, v, boff, off) do { \
    memset(sbuf, 0xaa, sizeof sbuf); \
    __asm__ volatile(op " %1, %2(%0)" :: "r"(AT(sbuf, boff)), "r"(U64(v)), "i"(off) : "memory"); \
} while (0)
static uint64_t sword(int i) { uint64_t w; memcpy(&w, sbuf + 8 * i, 8); return w; }
#define T_ST(op, v, boff, off, exp0, exp1) do { \
    ST(op, v, boff, off); \
    uint64_t w0_ = sword(0), w1_ = sword(1); \
    check(w0_, U64(exp0), op " " X " [buf+%d]%+d word0", U64(v), (int)(boff), (int)(off)); \
    check(w1_, U64(exp1), op " " X " [buf+%d]%+d word1", U64(v), (int)(boff), (int)(off)); \
} while (0)

static const uint8_t ldata[24] __attribute__((aligned(16))) = {
    0x01, 0x80, 0x7f, 0xff, 0x12, 0x34, 0x56, 0x78,
    0x9a, 0xbc, 0xde, 0xf0, 0x00, 0x11, 0x22, 0x33,
    0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
};

/* Two pages, to place misaligned accesses across a page boundary. */
static uint8_t pages[8192] __attribute__((aligned(4096)));

static void test_lui_auipc(void)
{
    T_LUI(0x00000, 0x0000000000000000);
    T_LUI(0x00001, 0x0000000000001000);
    T_LUI(0x12345, 0x0000000012345000);
    T_LUI(0x7ffff, 0x000000007ffff000);
    T_LUI(0x80000, 0xffffffff80000000);
    T_LUI(0xfffff, 0xfffffffffffff000);
    T_AUIPC(0x00000, 0x0000000000000000);
    T_AUIPC(0x00001, 0x0000000000001000);
    T_AUIPC(0x7ffff, 0x000000007ffff000);
    T_AUIPC(0x80000, 0xffffffff80000000);
    T_AUIPC(0xfffff, 0xfffffffffffff000);
}

static void test_jumps(void)
{
    uint64_t r, t, s;

    /* jal: link register = pc of jal + 4, skips the instruction in between. */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %1, 0\n"
                     "1: jal %0, 2f\n"
                     "li %1, 1\n"
                     "2: lla %2, 1b\n"
                     "sub %0, %0, %2\n"
                     ".option pop" : "=&r"(r), "=&r"(t), "=&r"(s));
    check(r, 4, "jal forward: link - pc");
    check(t, 0, "jal forward: skipped instruction not executed");

    /* jal backward, rd = x0 (plain j). */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %0, 0\n"
                     "j 2f\n"
                     "1: addi %0, %0, 16\n"
                     "jal x0, 3f\n"
                     "2: addi %0, %0, 1\n"
                     "jal x0, 1b\n"
                     "addi %0, %0, 256\n"
                     "3:\n"
                     ".option pop" : "=&r"(r));
    check(r, 17, "jal backward with rd=x0: path taken");

    /* jal over a large distance (about 256 KiB each way). */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %0, 0\n"
                     "jal x0, 2f\n"
                     "1: addi %0, %0, 2\n"
                     "jal x0, 3f\n"
                     ".fill 65536, 4, 0x00000013\n"
                     "2: addi %0, %0, 1\n"
                     "jal x0, 1b\n"
                     "3:\n"
                     ".option pop" : "=&r"(r));
    check(r, 3, "jal +-256KiB: path taken");

    /* jalr: target = (rs1 + imm) & ~1, link = pc + 4. */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %1, 0\n"
                     "lla %2, 2f\n"
                     "addi %2, %2, -3\n"          /* rs1 = target - 3         */
                     "1: jalr %0, 4(%2)\n"        /* rs1 + 4 = target + 1     */
                     "li %1, 1\n"
                     "2: lla %2, 1b\n"
                     "sub %0, %0, %2\n"
                     ".option pop" : "=&r"(r), "=&r"(t), "=&r"(s));
    check(r, 4, "jalr odd target (lsb cleared): link - pc");
    check(t, 0, "jalr odd target: skipped instruction not executed");

    /* jalr with negative offset. */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %1, 0\n"
                     "lla %2, 2f\n"
                     "addi %2, %2, 2047\n"
                     "addi %2, %2, 1\n"           /* rs1 = target + 2048      */
                     "jalr %0, -2048(%2)\n"
                     "li %1, 1\n"
                     "2:\n"
                     ".option pop" : "=&r"(r), "=&r"(t), "=&r"(s));
    check(t, 0, "jalr -2048(rs1): skipped instruction not executed");

    /* jalr with rd == rs1: the target uses the old value of rs1. */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %1, 0\n"
                     "lla %0, 2f\n"
                     "1: jalr %0, 0(%0)\n"
                     "li %1, 1\n"
                     "2: lla %2, 1b\n"
                     "sub %0, %0, %2\n"
                     ".option pop" : "=&r"(r), "=&r"(t), "=&r"(s));
    check(r, 4, "jalr rd==rs1: link - pc");
    check(t, 0, "jalr rd==rs1: skipped instruction not executed");

    /* jalr x0 (indirect jump without link) via a function-call style sequence. */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %1, 0\n"
                     "jal %2, 1f\n"               /* "call" */
                     "addi %1, %1, 10\n"          /* return lands here */
                     "jal x0, 2f\n"
                     "1: addi %1, %1, 1\n"
                     "jalr x0, 0(%2)\n"           /* "ret" */
                     "2:\n"
                     ".option pop" : "=&r"(r), "=&r"(t), "=&r"(s));
    check(t, 11, "jal/jalr x0 call and return: path taken");
}

static void test_branches(void)
{
    const uint64_t MIN = 0x8000000000000000ull, MAX = 0x7fffffffffffffffull, M1 = ~0ull;

    T_BR("beq", 0, 0, 1);
    T_BR("beq", 1, 2, 0);
    T_BR("beq", M1, M1, 1);
    T_BR("beq", 0x100000000ull, 0, 0);
    T_BR("beq", MIN, MAX, 0);
    T_BR("bne", 0, 0, 0);
    T_BR("bne", 1, 2, 1);
    T_BR("bne", 0x100000000ull, 0, 1);
    T_BR("bne", M1, M1, 0);

    T_BR("blt", 1, 2, 1);
    T_BR("blt", 2, 1, 0);
    T_BR("blt", 2, 2, 0);
    T_BR("blt", M1, 1, 1);
    T_BR("blt", 1, M1, 0);
    T_BR("blt", MIN, MAX, 1);
    T_BR("blt", MAX, MIN, 0);
    T_BR("blt", MIN, M1, 1);
    T_BR("blt", 0xffffffffull, 0x100000000ull, 1);
    T_BR("bge", 1, 2, 0);
    T_BR("bge", 2, 1, 1);
    T_BR("bge", 2, 2, 1);
    T_BR("bge", M1, 1, 0);
    T_BR("bge", 1, M1, 1);
    T_BR("bge", MIN, MAX, 0);
    T_BR("bge", MAX, MIN, 1);
    T_BR("bge", MIN, MIN, 1);

    T_BR("bltu", 1, 2, 1);
    T_BR("bltu", 2, 1, 0);
    T_BR("bltu", 2, 2, 0);
    T_BR("bltu", M1, 1, 0);
    T_BR("bltu", 1, M1, 1);
    T_BR("bltu", MIN, MAX, 0);
    T_BR("bltu", MAX, MIN, 1);
    T_BR("bltu", 0, M1, 1);
    T_BR("bltu", 0xffffffffull, 0x100000000ull, 1);
    T_BR("bgeu", 1, 2, 0);
    T_BR("bgeu", 2, 1, 1);
    T_BR("bgeu", 2, 2, 1);
    T_BR("bgeu", M1, 1, 1);
    T_BR("bgeu", 1, M1, 0);
    T_BR("bgeu", MIN, MAX, 1);
    T_BR("bgeu", MAX, MIN, 0);
    T_BR("bgeu", 0, 0, 1);

    /* Backward branches: count-down loops. */
    uint64_t n, c, lim;
    __asm__ volatile("li %0, 5\nli %1, 0\n1: addi %1, %1, 1\naddi %0, %0, -1\nbnez %0, 1b"
                     : "=&r"(n), "=&r"(c));
    check(c, 5, "bne backward loop (5 iterations)");
    __asm__ volatile("li %0, -3\nli %1, 0\n1: addi %1, %1, 1\naddi %0, %0, 1\nblt %0, zero, 1b"
                     : "=&r"(n), "=&r"(c));
    check(c, 3, "blt backward loop (from -3 to 0)");
    __asm__ volatile("li %0, 0\nli %1, 0\nli %2, 4\n1: addi %1, %1, 1\naddi %0, %0, 1\nbltu %0, %2, 1b"
                     : "=&r"(n), "=&r"(c), "=&r"(lim));
    check(n, 4, "bltu backward loop (0 to 4)");

    /* Branch over about 4000 bytes both ways (range is +-4 KiB). */
    __asm__ volatile(".option push\n.option norvc\n"
                     "li %0, 0\n"
                     "beq zero, zero, 2f\n"
                     "1: addi %0, %0, 2\n"
                     "j 3f\n"
                     ".fill 1000, 4, 0x00000013\n"
                     "2: addi %0, %0, 1\n"
                     "bge zero, zero, 1b\n"
                     "3:\n"
                     ".option pop" : "=&r"(c));
    check(c, 3, "beq/bge +-4000 bytes: path taken");
}

static void test_loads(void)
{
    const uint8_t *d = ldata;

    T_LD("lb", d, 0, 0, 0x0000000000000001);
    T_LD("lb", d, 0, 1, 0xffffffffffffff80);
    T_LD("lb", d, 0, 2, 0x000000000000007f);
    T_LD("lb", d, 0, 3, 0xffffffffffffffff);
    T_LD("lbu", d, 0, 1, 0x0000000000000080);
    T_LD("lbu", d, 0, 3, 0x00000000000000ff);
    T_LD("lbu", d, 0, 2, 0x000000000000007f);
    T_LD("lh", d, 0, 0, 0xffffffffffff8001);
    T_LD("lh", d, 0, 2, 0xffffffffffffff7f);
    T_LD("lh", d, 0, 4, 0x0000000000003412);
    T_LD("lhu", d, 0, 0, 0x0000000000008001);
    T_LD("lhu", d, 0, 2, 0x000000000000ff7f);
    T_LD("lw", d, 0, 0, 0xffffffffff7f8001);
    T_LD("lw", d, 0, 4, 0x0000000078563412);
    T_LD("lw", d, 0, 8, 0xfffffffff0debc9a);
    T_LD("lwu", d, 0, 0, 0x00000000ff7f8001);
    T_LD("lwu", d, 0, 8, 0x00000000f0debc9a);
    T_LD("ld", d, 0, 0, 0x78563412ff7f8001);
    T_LD("ld", d, 0, 8, 0x33221100f0debc9a);
    /* Negative and large offsets from a moved base. */
    T_LD("ld", d, 16, -16, 0x78563412ff7f8001);
    T_LD("lw", d, 16, -8, 0xfffffffff0debc9a);
    T_LD("lbu", d, 16, -5, 0x00000000000000f0);
    T_LD("lb", d, 16, -5, 0xfffffffffffffff0);
    T_LD("ld", d, 2064, -2048, 0xbbaa998877665544);
    T_LD("lhu", d, -2031, 2047, 0x0000000000005544);
    /* Misaligned (legal in Linux user mode). */
    T_LD("lh", d, 0, 1, 0x0000000000007f80);
    T_LD("lh", d, 0, 3, 0x00000000000012ff);
    T_LD("lh", d, 0, 9, 0xffffffffffffdebc);
    T_LD("lhu", d, 0, 9, 0x000000000000debc);
    T_LD("lw", d, 0, 1, 0x0000000012ff7f80);
    T_LD("lw", d, 0, 2, 0x000000003412ff7f);
    T_LD("lw", d, 0, 3, 0x00000000563412ff);
    T_LD("lw", d, 0, 7, 0xffffffffdebc9a78);
    T_LD("lwu", d, 0, 7, 0x00000000debc9a78);
    T_LD("lwu", d, 0, 6, 0x00000000bc9a7856);
    T_LD("ld", d, 0, 1, 0x9a78563412ff7f80);
    T_LD("ld", d, 0, 3, 0xdebc9a78563412ff);
    T_LD("ld", d, 0, 5, 0x00f0debc9a785634);
    T_LD("ld", d, 0, 7, 0x221100f0debc9a78);
    T_LD("ld", d, 0, 15, 0xaa99887766554433);

    /* Misaligned across a page boundary. */
    for (int i = 0; i < 16; i++)
        pages[4088 + i] = (uint8_t)(0xe0 + i);
    T_LD("lh", pages, 4095, 0, 0xffffffffffffe8e7);
    T_LD("lhu", pages, 4095, 0, 0x000000000000e8e7);
    T_LD("lw", pages, 4093, 0, 0xffffffffe8e7e6e5);
    T_LD("lwu", pages, 4094, 0, 0x00000000e9e8e7e6);
    T_LD("ld", pages, 4092, 0, 0xebeae9e8e7e6e5e4);
    T_LD("ld", pages, 4089, 0, 0xe8e7e6e5e4e3e2e1);
}

static void test_stores(void)
{
    const uint64_t v = 0x1234567890abcdefull;

    T_ST("sb", v, 0, 0, 0xaaaaaaaaaaaaaaef, 0xaaaaaaaaaaaaaaaa);
    T_ST("sb", v, 0, 3, 0xaaaaaaaaefaaaaaa, 0xaaaaaaaaaaaaaaaa);
    T_ST("sb", v, 0, 15, 0xaaaaaaaaaaaaaaaa, 0xefaaaaaaaaaaaaaa);
    T_ST("sh", v, 0, 0, 0xaaaaaaaaaaaacdef, 0xaaaaaaaaaaaaaaaa);
    T_ST("sh", v, 0, 6, 0xcdefaaaaaaaaaaaa, 0xaaaaaaaaaaaaaaaa);
    T_ST("sw", v, 0, 0, 0xaaaaaaaa90abcdef, 0xaaaaaaaaaaaaaaaa);
    T_ST("sw", v, 0, 12, 0xaaaaaaaaaaaaaaaa, 0x90abcdefaaaaaaaa);
    T_ST("sd", v, 0, 0, 0x1234567890abcdef, 0xaaaaaaaaaaaaaaaa);
    T_ST("sd", v, 0, 8, 0xaaaaaaaaaaaaaaaa, 0x1234567890abcdef);
    T_ST("sd", v, 16, -8, 0xaaaaaaaaaaaaaaaa, 0x1234567890abcdef);
    T_ST("sw", v, 2052, -2048, 0x90abcdefaaaaaaaa, 0xaaaaaaaaaaaaaaaa);
    T_ST("sb", v, -2040, 2047, 0xefaaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaaaa);
    /* Misaligned stores. */
    T_ST("sh", v, 0, 1, 0xaaaaaaaaaacdefaa, 0xaaaaaaaaaaaaaaaa);
    T_ST("sh", v, 0, 7, 0xefaaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaacd);
    T_ST("sw", v, 0, 1, 0xaaaaaa90abcdefaa, 0xaaaaaaaaaaaaaaaa);
    T_ST("sw", v, 0, 6, 0xcdefaaaaaaaaaaaa, 0xaaaaaaaaaaaa90ab);
    T_ST("sd", v, 0, 3, 0x7890abcdefaaaaaa, 0xaaaaaaaaaa123456);
    T_ST("sd", v, 0, 7, 0xefaaaaaaaaaaaaaa, 0xaa1234567890abcd);

    /* Misaligned stores across a page boundary, read back bytewise. */
    memset(pages + 4080, 0, 32);
    __asm__ volatile("sd %1, 0(%0)" :: "r"(pages + 4093), "r"(v) : "memory");
    uint64_t lo = 0, hi = 0;
    for (int i = 0; i < 8; i++) {
        lo |= (uint64_t)pages[4088 + i] << (8 * i);
        hi |= (uint64_t)pages[4096 + i] << (8 * i);
    }
    check(lo, 0xabcdef0000000000, "sd " X " [page+4093] bytes 4088..4095", v);
    check(hi, 0x0000001234567890, "sd " X " [page+4093] bytes 4096..4103", v);
    memset(pages + 4080, 0, 32);
    __asm__ volatile("sw %1, 0(%0)" :: "r"(pages + 4095), "r"(v) : "memory");
    lo = pages[4095] | (uint64_t)pages[4096] << 8 | (uint64_t)pages[4097] << 16 |
         (uint64_t)pages[4098] << 24 | (uint64_t)pages[4099] << 32 | (uint64_t)pages[4094] << 40;
    check(lo, 0x0000000090abcdef, "sw " X " [page+4095] bytes", v);
    memset(pages + 4080, 0, 32);
    __asm__ volatile("sh %1, 0(%0)" :: "r"(pages + 4095), "r"(v) : "memory");
    lo = pages[4095] | (uint64_t)pages[4096] << 8 | (uint64_t)pages[4097] << 16;
    check(lo, 0x000000000000cdef, "sh " X " [page+4095] bytes", v);

    /* Store then load of every width round-trips. */
    uint64_t r;
    __asm__ volatile("sd %2, 0(%1)\nsb %3, 5(%1)\nld %0, 0(%1)"
                     : "=&r"(r) : "r"(sbuf), "r"(v), "r"(0x55ull) : "memory");
    check(r, 0x1234557890abcdef, "sd then sb then ld");
}

static void test_alu_imm(void)
{
    const uint64_t MIN = 0x8000000000000000ull, MAX = 0x7fffffffffffffffull, M1 = ~0ull;

    T_RI("addi", 0, 0, 0);
    T_RI("addi", 1, 2047, 2048);
    T_RI("addi", 1, -2048, 0xfffffffffffff801);
    T_RI("addi", MAX, 1, MIN);
    T_RI("addi", MIN, -1, MAX);
    T_RI("addi", M1, 1, 0);
    T_RI("addi", 0xffffffffull, 1, 0x100000000ull);
    T_RI("slti", 0, 0, 0);
    T_RI("slti", 0, 1, 1);
    T_RI("slti", M1, 0, 1);
    T_RI("slti", 0, -1, 0);
    T_RI("slti", MIN, -2048, 1);
    T_RI("slti", -2048, -2048, 0);
    T_RI("slti", -2049, -2048, 1);
    T_RI("slti", MAX, 2047, 0);
    T_RI("sltiu", 0, 1, 1);           /* seqz */
    T_RI("sltiu", 5, 1, 0);
    T_RI("sltiu", 0, 0, 0);
    T_RI("sltiu", 0xfffffffffffffffeull, -1, 1); /* imm sign-extended, then unsigned */
    T_RI("sltiu", M1, -1, 0);
    T_RI("sltiu", MIN, -2048, 1);
    T_RI("sltiu", 2047, 2047, 0);
    T_RI("sltiu", 2046, 2047, 1);
    T_RI("xori", 0x123456789abcdef0ull, -1, 0xedcba9876543210full); /* not */
    T_RI("xori", 0x123456789abcdef0ull, 0x7ff, 0x123456789abcd90full);
    T_RI("xori", 0x123456789abcdef0ull, -2048, 0xedcba987654326f0ull);
    T_RI("ori", 0x123456789abcd000ull, 0x7ff, 0x123456789abcd7ffull);
    T_RI("ori", 0, -2048, 0xfffffffffffff800ull);
    T_RI("ori", 0x5, 0, 0x5);
    T_RI("andi", 0x123456789abcdef0ull, -2048, 0x123456789abcd800ull);
    T_RI("andi", 0x123456789abcdef0ull, 0x7ff, 0x00000000000006f0ull);
    T_RI("andi", M1, -1, M1);
    T_RI("andi", M1, 0, 0);
    T_RI("slli", 1, 0, 1);
    T_RI("slli", 1, 1, 2);
    T_RI("slli", 1, 31, 0x80000000ull);
    T_RI("slli", 1, 32, 0x100000000ull);
    T_RI("slli", 1, 63, MIN);
    T_RI("slli", 0x123456789abcdef1ull, 4, 0x23456789abcdef10ull);
    T_RI("slli", M1, 63, MIN);
    T_RI("srli", MIN, 0, MIN);
    T_RI("srli", MIN, 1, 0x4000000000000000ull);
    T_RI("srli", MIN, 31, 0x100000000ull);
    T_RI("srli", MIN, 32, 0x80000000ull);
    T_RI("srli", MIN, 63, 1);
    T_RI("srli", M1, 60, 0xf);
    T_RI("srai", MIN, 0, MIN);
    T_RI("srai", MIN, 1, 0xc000000000000000ull);
    T_RI("srai", MIN, 32, 0xffffffff80000000ull);
    T_RI("srai", MIN, 63, M1);
    T_RI("srai", MAX, 63, 0);
    T_RI("srai", 0x7123456789abcdefull, 8, 0x007123456789abcdull);
}

static void test_alu_reg(void)
{
    const uint64_t MIN = 0x8000000000000000ull, MAX = 0x7fffffffffffffffull, M1 = ~0ull;

    T_RR("add", 1, 2, 3);
    T_RR("add", MAX, 1, MIN);
    T_RR("add", M1, M1, 0xfffffffffffffffeull);
    T_RR("add", MIN, MIN, 0);
    T_RR("add", 0xffffffffull, 1, 0x100000000ull);
    T_RR("sub", 3, 2, 1);
    T_RR("sub", 0, 1, M1);
    T_RR("sub", MIN, 1, MAX);
    T_RR("sub", 0, MIN, MIN);
    T_RR("sub", 0x100000000ull, 1, 0xffffffffull);
    T_RR("sll", 1, 0, 1);
    T_RR("sll", 1, 31, 0x80000000ull);
    T_RR("sll", 1, 32, 0x100000000ull);
    T_RR("sll", 1, 63, MIN);
    T_RR("sll", 1, 64, 1);                 /* shamt = rs2[5:0] */
    T_RR("sll", 1, 65, 2);
    T_RR("sll", 0x123456789abcdef1ull, 0xffffffffffffffc4ull, 0x23456789abcdef10ull);
    T_RR("srl", MIN, 0, MIN);
    T_RR("srl", MIN, 32, 0x80000000ull);
    T_RR("srl", MIN, 63, 1);
    T_RR("srl", MIN, 64, MIN);
    T_RR("srl", M1, 127, 1);
    T_RR("sra", MIN, 0, MIN);
    T_RR("sra", MIN, 32, 0xffffffff80000000ull);
    T_RR("sra", MIN, 63, M1);
    T_RR("sra", MIN, 64, MIN);
    T_RR("sra", MAX, 62, 1);
    T_RR("sra", 0xf0f0f0f0f0f0f0f0ull, 0x104, 0xff0f0f0f0f0f0f0full);
    T_RR("slt", 1, 2, 1);
    T_RR("slt", 2, 1, 0);
    T_RR("slt", 2, 2, 0);
    T_RR("slt", M1, 1, 1);
    T_RR("slt", 1, M1, 0);
    T_RR("slt", MIN, MAX, 1);
    T_RR("slt", MAX, MIN, 0);
    T_RR("sltu", 1, 2, 1);
    T_RR("sltu", 2, 1, 0);
    T_RR("sltu", M1, 1, 0);
    T_RR("sltu", 1, M1, 1);
    T_RR("sltu", MIN, MAX, 0);
    T_RR("sltu", MAX, MIN, 1);
    T_RR("sltu", 0, 0, 0);
    T_RR("xor", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0xf0f0f0f0f0f0f0f0ull);
    T_RR("xor", M1, M1, 0);
    T_RR("or", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0xfff0fff0fff0fff0ull);
    T_RR("or", 0, 0, 0);
    T_RR("and", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0x0f000f000f000f00ull);
    T_RR("and", M1, MIN, MIN);
}

static void test_word_ops(void)
{
    const uint64_t M1 = ~0ull;

    T_RI("addiw", 0, 0, 0);
    T_RI("addiw", 0x7fffffffull, 1, 0xffffffff80000000ull);     /* wraps in 32 bits */
    T_RI("addiw", 0x80000000ull, 0, 0xffffffff80000000ull);     /* sext.w */
    T_RI("addiw", 0x123456787fffffffull, 0, 0x000000007fffffffull);
    T_RI("addiw", 0xffffffff80000000ull, -1, 0x000000007fffffffull);
    T_RI("addiw", M1, 1, 0);
    T_RI("addiw", 0x100000000ull, -2048, 0xfffffffffffff800ull);
    T_RI("addiw", 0xfffff800ull, 2047, 0xffffffffffffffffull);
    T_RI("slliw", 1, 0, 1);
    T_RI("slliw", 1, 31, 0xffffffff80000000ull);
    T_RI("slliw", 0xffffffff00000003ull, 30, 0xffffffffc0000000ull);
    T_RI("slliw", 0x12345678ull, 4, 0x0000000023456780ull);
    T_RI("slliw", 0x1ffffffffull, 1, 0xfffffffffffffffeull);
    T_RI("srliw", 0xffffffff80000000ull, 0, 0xffffffff80000000ull);
    T_RI("srliw", 0xffffffff80000000ull, 1, 0x0000000040000000ull);
    T_RI("srliw", 0xffffffff80000000ull, 31, 1);
    T_RI("srliw", 0x00000000ffffffffull, 0, M1);
    T_RI("srliw", 0xabcdef0000000000ull, 4, 0);
    T_RI("sraiw", 0x0000000080000000ull, 0, 0xffffffff80000000ull);
    T_RI("sraiw", 0x0000000080000000ull, 1, 0xffffffffc0000000ull);
    T_RI("sraiw", 0x0000000080000000ull, 31, M1);
    T_RI("sraiw", 0xffffffff7fffffffull, 30, 1);
    T_RI("sraiw", 0x00000000f0000000ull, 4, 0xffffffffff000000ull);

    T_RR("addw", 1, 2, 3);
    T_RR("addw", 0x7fffffffull, 1, 0xffffffff80000000ull);
    T_RR("addw", 0x7fffffffull, 0x7fffffffull, 0xfffffffffffffffeull);
    T_RR("addw", 0x1234567800000001ull, 0xabcdef0000000002ull, 3);
    T_RR("addw", 0xffffffffull, 1, 0);
    T_RR("addw", 0x80000000ull, 0x80000000ull, 0);
    T_RR("subw", 3, 2, 1);
    T_RR("subw", 0, 1, M1);
    T_RR("subw", 0x80000000ull, 1, 0x000000007fffffffull);
    T_RR("subw", 0, 0x80000000ull, 0xffffffff80000000ull);
    T_RR("subw", 0x100000000ull, 0, 0);
    T_RR("sllw", 1, 31, 0xffffffff80000000ull);
    T_RR("sllw", 0x12345678ull, 32, 0x0000000012345678ull);      /* shamt = rs2[4:0] = 0 */
    T_RR("sllw", 0xffffffff80000001ull, 32, 0xffffffff80000001ull);
    T_RR("sllw", 0x1ffffffffull, 0, M1);
    T_RR("sllw", 1, 33, 2);
    T_RR("sllw", 3, 63, 0xffffffff80000000ull);
    T_RR("srlw", 0x80000000ull, 31, 1);
    T_RR("srlw", 0x80000000ull, 0, 0xffffffff80000000ull);
    T_RR("srlw", 0x80000000ull, 32, 0xffffffff80000000ull);
    T_RR("srlw", 0x80000000ull, 33, 0x0000000040000000ull);
    T_RR("srlw", 0xffffffff00000000ull, 1, 0);
    T_RR("srlw", M1, 63, 1);
    T_RR("sraw", 0x80000000ull, 31, M1);
    T_RR("sraw", 0x80000000ull, 32, 0xffffffff80000000ull);
    T_RR("sraw", 0x80000000ull, 33, 0xffffffffc0000000ull);
    T_RR("sraw", 0x7fffffff80000000ull, 4, 0xfffffffff8000000ull);
    T_RR("sraw", 0x000000017fffffffull, 30, 1);
    T_RR("sraw", 0x40000000ull, 62, 1);
}

static void test_misc(void)
{
    uint64_t r;

    /* Writes to x0 are discarded. */
    __asm__ volatile("li t0, 123\nadd zero, t0, t0\naddi zero, zero, 5\nlui zero, 1\nmv %0, zero"
                     : "=r"(r) :: "t0");
    check(r, 0, "writes to x0 are ignored");
    __asm__ volatile("li %0, 7\nld zero, 0(%1)\nmv %0, zero" : "=&r"(r) : "r"(ldata) : "memory");
    check(r, 0, "load to x0 is ignored");

    /* Sign-extension helpers built from base instructions. */
    T_RI("addiw", 0xfedcba9876543210ull, 0, 0x0000000076543210ull);
    T_RI("addiw", 0x01234567f6543210ull, 0, 0xfffffffff6543210ull);

    /* FENCE variants: ordering has no visible effect in one hart, but the
     * instructions must execute as no-ops (no trap, no register change). */
    uint64_t before = 0x1122334455667788ull, after;
    __asm__ volatile("mv %0, %1\n"
                     "fence\n"
                     "fence rw, rw\n"
                     "fence r, r\n"
                     "fence w, w\n"
                     "fence r, w\n"
                     "fence iorw, iorw\n"
                     "fence o, i\n"
                     "fence.tso\n"
                     : "=&r"(after) : "r"(before) : "memory");
    check(after, before, "fence variants preserve registers");
    __asm__ volatile("sd %2, 0(%1)\nfence w, r\nld %0, 0(%1)"
                     : "=&r"(r) : "r"(sbuf), "r"(before) : "memory");
    check(r, before, "sd; fence w,r; ld");

    /* nop and addi hints leave everything unchanged */
    __asm__ volatile("li %0, 42\nnop\nnop\naddi zero, zero, 0" : "=r"(r));
    check(r, 42, "nop");
}

int main(void)
{
    test_lui_auipc();
    test_jumps();
    test_branches();
    test_loads();
    test_stores();
    test_alu_imm();
    test_alu_reg();
    test_word_ops();
    test_misc();
    printf("rv64i: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
