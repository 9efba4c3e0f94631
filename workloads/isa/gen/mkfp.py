import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
FAM = sys.argv[1]
single = FAM == 'f'
rd = lambda n: open('fp_%s_%s.inc' % (FAM, n)).read().rstrip('\n')
T = 'single' if single else 'double'
X = 'S' if single else 'D'
head = r'''/*
 * rv64@FAM@.c - self-checking test of the RV64@UFAM@ @T@-precision floating-point
 * extension@EXTRA_TITLE@.
 *
 * Each check executes one instruction on raw bit patterns (moved in and out
 * with fmv.d.x / fmv.x.d, so nothing is converted by C) and compares both
 * the result and the accrued exception flags.  Flags are cleared before and
 * read-and-cleared (csrrw rd, fflags, zero) after the instruction, inside
 * the same asm statement, so the compiler cannot move the operation across
 * the flag accesses.
 *
 * Every rounding-mode-taking instruction runs with each static rounding mode
 * (rne, rtz, rdn, rup, rmm) -- while frm holds a *different* mode, to show
 * that the static mode wins -- and with the dynamic mode (dyn) under frm
 * values rne..rmm.  Expected values were computed from the IEEE 754-2008
 * rules as adopted by the RISC-V spec: tininess is detected after rounding,
 * UF is raised only for tiny inexact results, NaN results are the canonical
 * NaN (@CNAN@), fmin/fmax return the non-NaN operand, ordered
 * comparisons (flt/fle) signal on any NaN but feq only on signalling NaNs,
 * and float-to-integer conversions saturate with NV (NaN converts to the
 * largest value).  Single-precision values live NaN-boxed in the 64-bit
 * f registers: results are boxed and improperly boxed inputs read as the
 * canonical NaN.
 *
 * Output: one line per check (instruction, rounding mode, inputs, result,
 * fflags, OK/FAIL); last line "rv64@FAM@: N checks, M failed"; exit status 0
 * iff all passed.
 *
 * Build: riscv64-linux-gnu-gcc -O2 -static -march=rv64gc_zba_zbb_zbs
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

enum { NX = 0x01, UF = 0x02, OF = 0x04, DZ = 0x08, NV = 0x10 };
/* Rounding-mode column: static mode, dynamic mode with frm = mode, or none. */
enum { RNE, RTZ, RDN, RUP, RMM, DYN_RNE = 8, DYN_RTZ, DYN_RDN, DYN_RUP, DYN_RMM, NORM = -1 };
static const char *const rm_name[] = { "rne", "rtz", "rdn", "rup", "rmm" };
#define BOX(x) (0xffffffff00000000ull | (uint64_t)(x))

/*
 * One function per (instruction, rounding mode):  %0 = integer result,
 * %1 = flags, %2 = integer input / first FP input bits, %3 = frm value,
 * %4, %5 = second and third FP input bits.  Inputs go to ft0..ft2, an FP
 * result comes back from ft3.
 */
typedef uint64_t (*opfn)(uint64_t a, uint64_t b, uint64_t c, uint64_t frm, uint64_t *flags);
#define FN(id, body) \
static uint64_t id(uint64_t a, uint64_t b, uint64_t c, uint64_t frm, uint64_t *flags) \
{ \
    uint64_t r, fl; \
    __asm__ volatile("fsrm %3\n\tfsflags zero\n\t" \
                     "fmv.d.x ft0, %2\n\tfmv.d.x ft1, %4\n\tfmv.d.x ft2, %5\n\t" \
                     body "\n\t" \
                     "csrrw %1, fflags, zero\n\tfsrm zero" \
                     : "=&r"(r), "=&r"(fl) \
                     : "r"(a), "r"(frm), "r"(b), "r"(c) \
                     : "ft0", "ft1", "ft2", "ft3", "memory"); \
    *flags = fl; \
    return r; \
}
'''
head = head.replace('@FAM@', FAM).replace('@UFAM@', FAM.upper()).replace('@T@', T)
head = head.replace('@CNAN@', '0x7fc00000' if single else '0x7ff8000000000000')
head = head.replace('@EXTRA_TITLE@', ' (with NaN-boxing checks)' if single else ' (with fcvt.s.d / fcvt.d.s)')

mid = r'''
@FNS@

enum {
@ENUM@
};

/* ins: operand types, 'f' = @T@, 's' = single, 'x' = integer register.
 * out: 0 = integer, 1 = @T@, 2 = single. */
struct opdesc { const char *name; const char *ins; int has_rm; int out; opfn fn[6]; };
static const struct opdesc ops[] = {
@OPS@
};

struct vec { int op; int rm; uint64_t a, b, c, r; unsigned fl; };

static const struct vec vecs[] = {
@VECS@
};

/* Raw inputs, not NaN-boxed by the runner (improperly boxed singles). */
static const struct vec raw_vecs[] = {
@RAW@
};

static int is_single(char t) { return t == 's' || (t == 'f' && @SINGLE@); }

static void print_val(uint64_t v, char t, int raw)
{
    if (t == 'x' || raw)
        printf(" 0x%016" PRIx64, v);
    else if (is_single(t))
        printf(" 0x%08" PRIx32, (uint32_t)v);
    else
        printf(" 0x%016" PRIx64, v);
}

static void run(const struct vec *v, int raw)
{
    const struct opdesc *o = &ops[v->op];
    uint64_t in[3] = { v->a, v->b, v->c };
    int n = (int)strlen(o->ins);
    for (int k = 0; k < n; k++)
        if (!raw && is_single(o->ins[k]))
            in[k] = BOX(in[k]);
    int idx = 0;
    uint64_t frm = 0;
    if (v->rm >= DYN_RNE) {
        idx = 5;
        frm = (uint64_t)(v->rm - DYN_RNE);
    } else if (v->rm >= 0) {
        idx = v->rm;
        frm = (uint64_t)((v->rm + 2) % 5);      /* a different mode in frm */
    }
    uint64_t fl, r = o->fn[idx](in[0], in[1], in[2], frm, &fl);
    int out_single = o->out == 2 || (o->out == 1 && @SINGLE@);
    uint64_t exp = out_single ? BOX(v->r) : v->r;
    int ok = r == exp && fl == v->fl;

    n_checks++;
    printf("%s", o->name);
    if (v->rm >= DYN_RNE)
        printf(" dyn(frm=%s)", rm_name[v->rm - DYN_RNE]);
    else if (v->rm >= 0)
        printf(" %s", rm_name[v->rm]);
    for (int k = 0; k < n; k++)
        print_val(in[k], o->ins[k], raw);
    printf(" =");
    /* a properly boxed single result prints as 8 digits, anything else in full */
    if (out_single && (r >> 32) == 0xffffffffu)
        printf(" 0x%08" PRIx32, (uint32_t)r);
    else
        printf(" 0x%016" PRIx64, r);
    printf(" fflags=0x%02x", (unsigned)fl);
    if (ok) {
        printf(" OK\n");
    } else {
        n_failed++;
        printf(" FAIL (expected");
        if (out_single)
            printf(" 0x%08" PRIx32, (uint32_t)v->r);
        else
            printf(" 0x%016" PRIx64, v->r);
        printf(" fflags=0x%02x)\n", v->fl);
    }
}
'''
mid = mid.replace('@FNS@', rd('fns')).replace('@ENUM@', rd('enum')).replace('@OPS@', rd('ops'))
mid = mid.replace('@VECS@', rd('vecs').rstrip()).replace('@RAW@', rd('raw')).replace('@T@', T)
mid = mid.replace('@SINGLE@', '1' if single else '0')
extra = open(os.path.join(HERE, 'fp_%s_extra.c.in' % FAM)).read()
tail = r'''
int main(void)
{
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        run(&vecs[i], 0);
    for (size_t i = 0; i < sizeof raw_vecs / sizeof raw_vecs[0]; i++)
        run(&raw_vecs[i], 1);
    test_extra();
    printf("rv64@FAM@: %u checks, %u failed\n", n_checks, n_failed);
    return n_failed != 0;
}
'''.replace('@FAM@', FAM)
sys.stdout.write(head + mid + extra + tail)
