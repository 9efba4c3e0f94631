/*
 * zifencei.c - self-checking test of FENCE.I (Zifencei) with self-modifying
 * code, plus execution of the PAUSE hint (Zihintpause).
 *
 * Code is generated into an anonymous PROT_READ|PROT_WRITE|PROT_EXEC
 * mapping, executed, overwritten with different instructions, synchronised
 * with fence.i and executed again; a stale translation/instruction cache
 * shows up as the old result.  Also covered: code that patches an
 * instruction later in its own body (then fence.i, then runs into it), a
 * patched loop body, and patching one function without disturbing its
 * neighbour in the same page.
 *
 * One line per check, then OK/FAIL; last line "zifencei: N checks, M failed";
 * exit status 0 iff all passed.  No addresses are printed.
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

/* Instruction encoders (RV64I base formats, and two RVC forms). */
enum { ZERO = 0, RA = 1, A0 = 10, A1 = 11, A2 = 12 };
static uint32_t i_type(int op, int f3, int rd, int rs1, int imm)
{
    return (uint32_t)(imm & 0xfff) << 20 | (uint32_t)rs1 << 15 | (uint32_t)f3 << 12 |
           (uint32_t)rd << 7 | (uint32_t)op;
}
static uint32_t r_type(int f7, int f3, int rd, int rs1, int rs2)
{
    return (uint32_t)f7 << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 |
           (uint32_t)f3 << 12 | (uint32_t)rd << 7 | 0x33u;
}
static uint32_t addi(int rd, int rs1, int imm) { return i_type(0x13, 0, rd, rs1, imm); }
static uint32_t xori(int rd, int rs1, int imm) { return i_type(0x13, 4, rd, rs1, imm); }
static uint32_t lui(int rd, uint32_t imm20) { return (imm20 & 0xfffff) << 12 | (uint32_t)rd << 7 | 0x37u; }
static uint32_t add(int rd, int rs1, int rs2) { return r_type(0x00, 0, rd, rs1, rs2); }
static uint32_t sub(int rd, int rs1, int rs2) { return r_type(0x20, 0, rd, rs1, rs2); }
static uint32_t mul(int rd, int rs1, int rs2) { return r_type(0x01, 0, rd, rs1, rs2); }
static uint32_t ret(void) { return i_type(0x67, 0, ZERO, RA, 0); }     /* jalr x0, 0(ra) */
static uint32_t fence_i(void) { return 0x0000100fu; }
static uint32_t nop(void) { return addi(ZERO, ZERO, 0); }
static uint32_t sw(int rs2, int rs1, int imm)
{
    return (uint32_t)(imm >> 5 & 0x7f) << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 |
           2u << 12 | (uint32_t)(imm & 0x1f) << 7 | 0x23u;
}
static uint32_t bne(int rs1, int rs2, int off)   /* off: multiple of 2, -4096..4094 */
{
    uint32_t o = (uint32_t)off;
    return (o >> 12 & 1) << 31 | (o >> 5 & 0x3f) << 25 | (uint32_t)rs2 << 20 |
           (uint32_t)rs1 << 15 | 1u << 12 | (o >> 1 & 0xf) << 8 | (o >> 11 & 1) << 7 | 0x63u;
}
static uint16_t c_li(int rd, int imm)  /* imm -32..31 */
{
    return (uint16_t)(0x4001u | ((unsigned)imm >> 5 & 1) << 12 | (unsigned)rd << 7 | ((unsigned)imm & 0x1f) << 2);
}
static uint16_t c_jr_ra(void) { return 0x8082u; }

static uint8_t *code;
typedef uint64_t (*fn2)(uint64_t, uint64_t);

static void emit32(size_t off, uint32_t insn) { memcpy(code + off, &insn, 4); }
static void emit16(size_t off, uint16_t insn) { memcpy(code + off, &insn, 2); }
static void sync_icache(void) { __asm__ volatile("fence.i" ::: "memory"); }
static uint64_t run(size_t off, uint64_t a, uint64_t b) { return ((fn2)(void *)(code + off))(a, b); }

static void test_encoders(void)
{
    /* The encoders must agree with the assembler. */
    uint32_t w[8];
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla t0, 1f\n"
                     "lw t1, 0(t0)\nsw t1, 0(%0)\nlw t1, 4(t0)\nsw t1, 4(%0)\n"
                     "lw t1, 8(t0)\nsw t1, 8(%0)\nlw t1, 12(t0)\nsw t1, 12(%0)\n"
                     "lw t1, 16(t0)\nsw t1, 16(%0)\nlw t1, 20(t0)\nsw t1, 20(%0)\n"
                     "lw t1, 24(t0)\nsw t1, 24(%0)\n"
                     "j 2f\n"
                     "1: addi a0, a1, -5\nlui a2, 0xfedcb\nsub a0, a1, a2\nsw a1, 12(a0)\n"
                     "bne a0, a1, .-8\nret\nmul a0, a0, a1\n"
                     "2:\n.option pop"
                     :: "r"(w) : "t0", "t1", "memory");
    check(addi(A0, A1, -5), w[0], "encode addi a0, a1, -5");
    check(lui(A2, 0xfedcb), w[1], "encode lui a2, 0xfedcb");
    check(sub(A0, A1, A2), w[2], "encode sub a0, a1, a2");
    check(sw(A1, A0, 12), w[3], "encode sw a1, 12(a0)");
    check(bne(A0, A1, -8), w[4], "encode bne a0, a1, -8");
    check(ret(), w[5], "encode ret");
    check(mul(A0, A0, A1), w[6], "encode mul a0, a0, a1");
    uint16_t h[2];
    __asm__ volatile(".option push\n.option rvc\nlla t0, 1f\nlhu t1, 0(t0)\nsh t1, 0(%0)\n"
                     "lhu t1, 2(t0)\nsh t1, 2(%0)\nj 2f\n1: c.li a0, -7\nc.jr ra\n2:\n.option pop"
                     :: "r"(h) : "t0", "t1", "memory");
    check(c_li(A0, -7), h[0], "encode c.li a0, -7");
    check(c_jr_ra(), h[1], "encode c.jr ra");
}

static void test_rewrite_loop(void)
{
    /* Rewrite one small function 24 times with different instruction kinds. */
    for (int i = 0; i < 24; i++) {
        int k = i * 37 - 300;          /* -300 .. 551 */
        uint64_t a = 1000 + (uint64_t)i, b = 7 + (uint64_t)i, exp;
        const char *what;
        switch (i % 6) {
        case 0:  emit32(0, addi(A0, ZERO, k)); emit32(4, ret());
                 exp = U64((int64_t)k); what = "addi a0, zero, k"; break;
        case 1:  emit32(0, lui(A0, 0x80000u + (unsigned)i)); emit32(4, ret());
                 exp = 0xffffffff80000000ull + ((uint64_t)i << 12); what = "lui a0, 0x80000+i"; break;
        case 2:  emit32(0, add(A0, A0, A1)); emit32(4, ret());
                 exp = a + b; what = "add a0, a0, a1"; break;
        case 3:  emit32(0, sub(A0, A0, A1)); emit32(4, xori(A0, A0, k)); emit32(8, ret());
                 exp = (a - b) ^ U64((int64_t)k); what = "sub; xori k"; break;
        case 4:  emit16(0, c_li(A0, i - 16)); emit16(2, c_jr_ra());
                 exp = U64((int64_t)(i - 16)); what = "c.li a0, i-16; c.jr ra"; break;
        default: emit32(0, mul(A0, A0, A1)); emit32(4, ret());
                 exp = a * b; what = "mul a0, a0, a1"; break;
        }
        sync_icache();
        check(run(0, a, b), exp, "iteration %d: rewritten to %s (k=%d), fence.i, call", i, what, k);
        /* Calling again without any change gives the same result. */
        check(run(0, a, b), exp, "iteration %d: call again", i);
    }
}

static void test_self_patch(void)
{
    /*
     * f(a0 = address of f, a1 = new instruction word):
     *    0: sw a1, 16(a0)      patch the instruction at offset 16
     *    4: fence.i
     *    8: nop
     *   12: nop
     *   16: addi a0, zero, 1   (replaced by the caller-supplied instruction)
     *   20: ret
     */
    size_t base = 256;
    emit32(base + 0, sw(A1, A0, 16));
    emit32(base + 4, fence_i());
    emit32(base + 8, nop());
    emit32(base + 12, nop());
    emit32(base + 16, addi(A0, ZERO, 1));
    emit32(base + 20, ret());
    sync_icache();
    uint64_t self = (uint64_t)(uintptr_t)(code + base);
    for (int k = 2; k <= 12; k += 2) {
        check(run(base, self, addi(A0, ZERO, k)), U64(k),
              "self-patching code: store addi a0, zero, %d ahead of pc, fence.i, run into it", k);
    }
    /* The last patch stays in place for a plain call (patch with itself). */
    check(run(base, self, addi(A0, ZERO, 12)), 12, "self-patching code: re-run with same patch");
    check(run(base, self, lui(A0, 0x12345)), 0x12345000, "self-patching code: patch to lui a0, 0x12345");
}

static void test_loop_patch(void)
{
    /*
     * g(a0 = count): a1 = 0; loop: a1 += STEP; a0 -= 1; bne a0, zero, loop; a0 = a1; ret
     * The loop body's addi is patched between calls.
     */
    size_t base = 512;
    emit32(base + 0, addi(A1, ZERO, 0));
    emit32(base + 4, addi(A1, A1, 1));          /* patched */
    emit32(base + 8, addi(A0, A0, -1));
    emit32(base + 12, bne(A0, ZERO, -8));
    emit32(base + 16, addi(A0, A1, 0));
    emit32(base + 20, ret());
    sync_icache();
    check(run(base, 100, 0), 100, "loop x100 with body addi a1, a1, 1");
    for (int step = 2; step <= 6; step++) {
        emit32(base + 4, addi(A1, A1, step));
        sync_icache();
        check(run(base, 100, 0), U64(100 * step), "loop x100 patched to addi a1, a1, %d, fence.i", step);
    }
    emit32(base + 4, xori(A1, A1, 0x55));
    sync_icache();
    check(run(base, 3, 0), 0x55, "loop x3 patched to xori a1, a1, 0x55, fence.i");
}

static void test_neighbours(void)
{
    /* Two functions in the same page; patching the second leaves the first alone. */
    size_t f1 = 1024, f2 = 1024 + 8;
    emit32(f1, addi(A0, ZERO, 111)); emit32(f1 + 4, ret());
    emit32(f2, addi(A0, ZERO, 222)); emit32(f2 + 4, ret());
    sync_icache();
    check(run(f1, 0, 0), 111, "neighbour f1 before patch");
    check(run(f2, 0, 0), 222, "neighbour f2 before patch");
    emit32(f2, addi(A0, ZERO, 333));
    sync_icache();
    check(run(f1, 0, 0), 111, "neighbour f1 after patching f2");
    check(run(f2, 0, 0), 333, "neighbour f2 after patch");
    /* A function in another page. */
    size_t f3 = 4096 + 64;
    emit32(f3, addi(A0, A0, 5)); emit32(f3 + 4, ret());
    sync_icache();
    check(run(f3, 10, 0), 15, "function on second page");
    emit32(f3, addi(A0, A0, -5));
    sync_icache();
    check(run(f3, 10, 0), 5, "function on second page after patch");
    check(run(f2, 0, 0), 333, "neighbour f2 unaffected by second-page patch");
}

static void test_pause(void)
{
    uint64_t r;
    /* pause is the hint encoding fence w, 0 (0x0100000f); it has no effect. */
    __asm__ volatile(".option push\n.option arch, +zihintpause\n"
                     "li %0, 77\npause\npause\n"
                     ".option pop" : "=r"(r));
    check(r, 77, "pause executes as a no-op");
    __asm__ volatile("li %0, 78\n.word 0x0100000f\n" : "=r"(r));
    check(r, 78, "pause (raw encoding 0x0100000f) executes as a no-op");
    uint64_t s = 0;
    for (int i = 0; i < 100; i++) {
        __asm__ volatile(".option push\n.option arch, +zihintpause\npause\n.option pop");
        s += (uint64_t)i;
    }
    check(s, 4950, "spin loop with pause x100");
}

int main(void)
{
    code = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(code != MAP_FAILED, 1, "mmap 8 KiB read/write/execute");
    if (code == MAP_FAILED) {
        printf("zifencei: %u checks, %u failed\n", n_checks, n_failed);
        return 1;
    }
    test_encoders();
    test_rewrite_loop();
    test_self_patch();
    test_loop_patch();
    test_neighbours();
    test_pause();
    printf("zifencei: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
