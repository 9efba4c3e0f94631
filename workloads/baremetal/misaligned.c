/*
 * misaligned.c - misaligned loads and stores (performed or address-misaligned
 * trap: both legal, the outcome is reported), and misaligned AMO / LR / SC,
 * which must raise an exception: AMO and SC -> store/AMO address misaligned
 * (6) or store/AMO access fault (7); LR is a load -> load address misaligned
 * (4) or load access fault (5).  mtval = the misaligned address.
 *
 * Unpriv "A" chapter: "If the address is not naturally aligned, an
 * address-misaligned exception or an access-fault exception will be
 * generated."  Priv 3.1.15: AMOs raise store/AMO exceptions.
 */
#include "rt.h"

static uint8_t buf[64] __attribute__((aligned(64)));
static const char *G;

#define LOADFN(name, insn, type) \
    static long name(long a) { long v; __asm__ volatile(insn " %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
LOADFN(l_lh, "lh", int16_t)
LOADFN(l_lhu, "lhu", uint16_t)
LOADFN(l_lw, "lw", int32_t)
LOADFN(l_lwu, "lwu", uint32_t)
LOADFN(l_ld, "ld", int64_t)
#define STOREFN(name, insn) \
    static long name(long a) { __asm__ volatile(insn " %0, 0(%1)" :: "r"(0x8877665544332211l), "r"(a) : "memory"); return 0; }
STOREFN(s_sh, "sh")
STOREFN(s_sw, "sw")
STOREFN(s_sd, "sd")
static long a_addw(long a) { long v = 0; __asm__ volatile("amoadd.w %0, %1, (%2)" : "+r"(v) : "r"(1l), "r"(a) : "memory"); return v; }
static long a_addd(long a) { long v = 0; __asm__ volatile("amoadd.d %0, %1, (%2)" : "+r"(v) : "r"(1l), "r"(a) : "memory"); return v; }
static long a_swapw(long a) { long v = 0; __asm__ volatile("amoswap.w %0, %1, (%2)" : "+r"(v) : "r"(1l), "r"(a) : "memory"); return v; }
static long a_lrw(long a) { long v = 0; __asm__ volatile("lr.w %0, (%1)" : "+r"(v) : "r"(a) : "memory"); return v; }
static long a_lrd(long a) { long v = 0; __asm__ volatile("lr.d %0, (%1)" : "+r"(v) : "r"(a) : "memory"); return v; }
static long a_scw(long a) { long v = 0; __asm__ volatile("sc.w %0, %1, (%2)" : "+r"(v) : "r"(1l), "r"(a) : "memory"); return v; }
static long a_scd(long a) { long v = 0; __asm__ volatile("sc.d %0, %1, (%2)" : "+r"(v) : "r"(1l), "r"(a) : "memory"); return v; }

static void fill(void) { for (int i = 0; i < 64; i++) buf[i] = (uint8_t)(0x10 + i); }
static uint64_t expect_le(int off, int size, int sign)
{
    uint64_t v = 0;
    for (int i = size - 1; i >= 0; i--) v = v << 8 | buf[off + i];
    if (sign && size < 8 && (v >> (size * 8 - 1) & 1)) v |= ~0ul << (size * 8);
    return v;
}

static const char *mname(int m) { return m == PRV_M ? "M" : m == PRV_S ? "S" : "U"; }

static void loads(int mode)
{
    struct { long (*fn)(long); const char *n; int size, sign; } t[] = {
        { l_lh, "lh", 2, 1 }, { l_lhu, "lhu", 2, 0 }, { l_lw, "lw", 4, 1 }, { l_lwu, "lwu", 4, 0 }, { l_ld, "ld", 8, 1 },
    };
    int offs[] = { 1, 3, 5, 7 };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
        for (unsigned k = 0; k < 4; k++) {
            int off = offs[k];
            if (t[i].size == 2 && off > 1) continue;
            fill();
            rt_trap_reset();
            long v = rt_run(mode, t[i].fn, (long)(buf + off));
            char what[64];
            char *w = what;
            const char *parts[] = { mname(mode), ": misaligned ", t[i].n, " at +" };
            for (int p = 0; p < 4; p++) for (const char *c = parts[p]; *c; c++) *w++ = *c;
            *w++ = (char)('0' + off); *w = 0;
            int trapped = rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_LOAD_MISALIGNED
                          && rt_trap(0)->tval == (uintptr_t)(buf + off);
            int ok = (rt_ntraps() == 0 && (uint64_t)v == expect_le(off, t[i].size, t[i].sign)) || trapped;
            check_outcome(G, what, "unpriv 2.6 misaligned loads: performed, or priv cause 4 with mtval = address",
                          ok, trapped ? "address-misaligned trap" : rt_ntraps() ? "wrong trap" : "performed");
        }
}

static void stores(int mode)
{
    struct { long (*fn)(long); const char *n; int size; } t[] = { { s_sh, "sh", 2 }, { s_sw, "sw", 4 }, { s_sd, "sd", 8 } };
    for (unsigned i = 0; i < 3; i++) {
        int off = t[i].size == 2 ? 1 : 3;
        fill();
        rt_trap_reset();
        rt_run(mode, t[i].fn, (long)(buf + off));
        char what[48];
        char *w = what;
        const char *parts[] = { mname(mode), ": misaligned ", t[i].n };
        for (int p = 0; p < 3; p++) for (const char *c = parts[p]; *c; c++) *w++ = *c;
        *w = 0;
        int trapped = rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_STORE_MISALIGNED
                      && rt_trap(0)->tval == (uintptr_t)(buf + off);
        int good = 1;
        for (int b = 0; b < 16; b++) {
            uint8_t want = (b >= off && b < off + t[i].size) ? (uint8_t)(0x11 * (b - off + 1)) : (uint8_t)(0x10 + b);
            if (trapped) want = (uint8_t)(0x10 + b);
            if (buf[b] != want) good = 0;
        }
        check_outcome(G, what, "unpriv 2.6 misaligned stores: performed, or priv cause 6 with mtval = address",
                      good && (trapped || rt_ntraps() == 0),
                      trapped ? "address-misaligned trap" : rt_ntraps() ? "wrong trap" : "performed");
    }
}

static void atomics(int mode)
{
    struct { long (*fn)(long); const char *what; int off; int load; } t[] = {
        { a_addw, "amoadd.w at +2 -> cause 6 or 7", 2, 0 },
        { a_swapw, "amoswap.w at +1 -> cause 6 or 7", 1, 0 },
        { a_addd, "amoadd.d at +4 -> cause 6 or 7", 4, 0 },
        { a_lrw, "lr.w at +2 -> cause 4 or 5", 2, 1 },
        { a_lrd, "lr.d at +4 -> cause 4 or 5", 4, 1 },
        { a_scw, "sc.w at +2 -> cause 6 or 7", 2, 0 },
        { a_scd, "sc.d at +4 -> cause 6 or 7", 4, 0 },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        fill();
        rt_trap_reset();
        rt_run(mode, t[i].fn, (long)(buf + t[i].off));
        uint64_t c = rt_ntraps() == 1 ? rt_trap(0)->cause : 99;
        uint64_t mis = t[i].load ? CAUSE_LOAD_MISALIGNED : CAUSE_STORE_MISALIGNED;
        uint64_t acc = t[i].load ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS;
        char what[64];
        char *w = what;
        const char *parts[] = { mname(mode), ": ", t[i].what };
        for (int p = 0; p < 3; p++) for (const char *q = parts[p]; *q; q++) *w++ = *q;
        *w = 0;
        if (c == mis || c == acc) {
            int tv = rt_trap(0)->tval == (uintptr_t)(buf + t[i].off);
            check_outcome(G, what, "unpriv A: misaligned AMO/LR/SC raise address-misaligned or access fault",
                          tv, c == mis ? (tv ? "address-misaligned, mtval = address" : "address-misaligned, wrong mtval")
                                       : (tv ? "access fault, mtval = address" : "access fault, wrong mtval"));
        } else {
            if (c != 99) note("%s: trapped with cause %lu", what, c);
            check_eq(G, what, "unpriv A: misaligned AMO/LR/SC raise address-misaligned or access fault", c, mis);
        }
    }
}

/* QEMU 7.2: a misaligned SC with no matching reservation just fails (rd != 0)
 * without raising the exception.  (Its AMOs do raise cause 6 in system mode.) */
const char *const QEMU_DEVIATION[] = {
    "amo: M: sc.w at +2 -> cause 6 or 7", "amo: M: sc.d at +4 -> cause 6 or 7",
    "amo: U: sc.w at +2 -> cause 6 or 7", "amo: U: sc.d at +4 -> cause 6 or 7",
    0
};

int main(void)
{
    printf("misaligned: misaligned loads, stores and atomics\n");
    G = "load";
    loads(PRV_M);
    loads(PRV_U);
    G = "store";
    stores(PRV_M);
    stores(PRV_U);
    G = "amo";
    atomics(PRV_M);
    atomics(PRV_U);
    return 0;
}
