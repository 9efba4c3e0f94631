/*
 * pmp.c - physical memory protection: TOR, NA4 and NAPOT regions, R/W/X
 * denied -> access faults (causes 5/7/1) from S and U, lowest-numbered match
 * wins, no matching entry from S/U -> fault, M-mode unaffected unless the
 * entry is locked, locked entries (and the pmpaddr below a locked TOR entry)
 * cannot be changed.  No paging (satp = Bare).
 *
 * Entries: 0 OFF (base of TOR 1) | 1 TOR pages[0] R | 2 NA4 pages[1]+0 none |
 *          3 NAPOT 4K pages[2] X | 4 NAPOT 4K pages[3] RW | 6 NAPOT pages[4]
 *          R locked (set last) | 7/8 TOR pages[5] RWX, 8 locked (set last) |
 *          10 NAPOT 2 MiB at 0x8000_0000 RWX (the program; lowest priority).
 */
#include "rt.h"

#define A_TOR   0x08
#define A_NA4   0x10
#define A_NAPOT 0x18
#define P_R 1
#define P_W 2
#define P_X 4
#define P_L 0x80

static uint8_t pages[6][4096] __attribute__((aligned(4096)));
extern char _end[];
static const char *G = "pmp";

static long l_load(long a) { return *(volatile uint64_t *)a; }
static long l_load32(long a) { return *(volatile uint32_t *)a; }
static long l_store(long a) { *(volatile uint64_t *)a = 0x504d50; return 0; }
static long l_fetch(long a) { return ((long (*)(long))a)(0); }
#define CODE(p) ((uintptr_t)(p) + 64)

static uint64_t napot(uintptr_t base, uint64_t size) { return (base >> 2) | ((size / 8) - 1); }

static void probe(int mode, const char *what, long (*fn)(long), uintptr_t a, long cause)
{
    rt_trap_reset();
    rt_run(mode, fn, (long)a);
    int n = rt_ntraps();
    if (cause < 0) { check_eq(G, what, "priv 3.7 PMP", n, 0); return; }
    if (n != 1) { check_eq(G, what, "priv 3.7 PMP", n, 1); return; }
    volatile struct trap_rec *r = rt_trap(0);
    if (r->cause != (uint64_t)cause) { check_eq(G, what, "priv 3.7 PMP access fault", r->cause, cause); return; }
    if (r->tval != a && r->tval != 0) { check_eq(G, what, "priv 3.1.16 mtval = address (or 0)", r->tval, a); return; }
    check_outcome(G, what, "priv 3.7 PMP access fault", 1, r->tval ? "mtval = address" : "mtval = 0");
}

/* QEMU 7.2 keeps all 64 bits of pmpaddr. */
const char *const QEMU_DEVIATION[] = { "pmp: pmpaddr bits 63:54 read as zero", 0 };

int main(void)
{
    printf("pmp: physical memory protection\n");
    for (int i = 0; i < 6; i++) {
        uint32_t *w = (uint32_t *)pages[i];
        w[0] = 0xb0 + i; w[2] = 0xc0 + i;
        w[16] = 0x05500513; w[17] = 0x00008067;    /* +64: li a0, 0x55; ret */
    }
    __asm__ volatile("fence.i" ::: "memory");
    check(G, "program fits in the 2 MiB NAPOT region", "test setup", (uintptr_t)_end <= 0x80200000ul);

    /* granularity probe on entry 15 */
    csr_write(pmpcfg2, 0);
    csr_write(pmpaddr15, ~0ul);
    uint64_t g = csr_read(pmpaddr15);
    note("pmpaddr15 after writing all ones: 0x%lx", g);
    check_eq(G, "pmpaddr bits 63:54 read as zero", "priv 3.7.1 pmpaddr (RV64: bits 55:2 of the address)", g >> 54, 0);
    csr_write(pmpaddr15, 0);

    csr_write(pmpaddr0, (uintptr_t)pages[0] >> 2);
    csr_write(pmpaddr1, ((uintptr_t)pages[0] + 4096) >> 2);
    csr_write(pmpaddr2, (uintptr_t)pages[1] >> 2);
    csr_write(pmpaddr3, napot((uintptr_t)pages[2], 4096));
    csr_write(pmpaddr4, napot((uintptr_t)pages[3], 4096));
    csr_write(pmpaddr10, napot(0x80000000ul, 0x200000));
    uint64_t cfg0 = (uint64_t)(A_TOR | P_R) << 8 | (uint64_t)A_NA4 << 16 | (uint64_t)(A_NAPOT | P_X) << 24
                  | (uint64_t)(A_NAPOT | P_R | P_W) << 32;
    const uint64_t cfg2 = (uint64_t)(A_NAPOT | P_R | P_W | P_X) << 16;
    csr_write(pmpcfg2, cfg2);
    csr_write(pmpcfg0, cfg0);
    check_eq(G, "pmpcfg0 reads back", "priv 3.7.1 pmpcfg", csr_read(pmpcfg0), cfg0);
    __asm__ volatile("sfence.vma" ::: "memory");

    for (int m = 0; m < 2; m++) {
        int mode = m ? PRV_U : PRV_S;
#define W(s) (m ? "U: " s : "S: " s)
        probe(mode, W("TOR R-only: load allowed"), l_load, (uintptr_t)pages[0], -1);
        probe(mode, W("TOR R-only: store -> store access fault (7)"), l_store, (uintptr_t)pages[0] + 8, CAUSE_STORE_ACCESS);
        probe(mode, W("TOR R-only: fetch -> fetch access fault (1)"), l_fetch, CODE(pages[0]), CAUSE_FETCH_ACCESS);
        probe(mode, W("NA4 no perms: load of its 4 bytes -> load access fault (5)"), l_load32, (uintptr_t)pages[1], CAUSE_LOAD_ACCESS);
        probe(mode, W("NA4: word after it falls to the next entry, allowed"), l_load32, (uintptr_t)pages[1] + 4, -1);
        probe(mode, W("NAPOT X-only: fetch allowed"), l_fetch, CODE(pages[2]), -1);
        probe(mode, W("NAPOT X-only: load -> load access fault (5)"), l_load, (uintptr_t)pages[2], CAUSE_LOAD_ACCESS);
        probe(mode, W("NAPOT X-only: store -> store access fault (7)"), l_store, (uintptr_t)pages[2] + 8, CAUSE_STORE_ACCESS);
        probe(mode, W("NAPOT RW: store allowed"), l_store, (uintptr_t)pages[3] + 8, -1);
        probe(mode, W("NAPOT RW: fetch -> fetch access fault (1)"), l_fetch, CODE(pages[3]), CAUSE_FETCH_ACCESS);
        probe(mode, W("no matching entry (0x8400_0000) -> load access fault"), l_load, 0x84000000ul, CAUSE_LOAD_ACCESS);
        probe(mode, W("no matching entry (0x8400_0000) -> store access fault"), l_store, 0x84000000ul, CAUSE_STORE_ACCESS);
#undef W
    }
    /* M-mode ignores unlocked entries. */
    rt_trap_reset();
    (void)*(volatile uint32_t *)pages[1];
    *(volatile uint64_t *)(pages[0] + 8) = 1;
    (void)*(volatile uint64_t *)0x84000000ul;
    if (rt_ntraps()) printf("  trap: cause %lu tval 0x%lx\n", rt_trap(0)->cause, rt_trap(0)->tval);
    check_eq(G, "M: unlocked entries and no-match do not restrict M", "priv 3.7.1 L=0: M-mode accesses succeed", rt_ntraps(), 0);
    rt_trap_reset();
    (void)*(volatile uint64_t *)pages[1];
    check(G, "M: 8-byte load only partly inside an NA4 entry fails (cause 5)",
          "priv 3.7.1 entry must match all bytes of an access, irrespective of L/R/W/X",
          rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_LOAD_ACCESS);
    /* MPRV=1, MPP=S in M: data accesses checked as S. */
    rt_trap_reset();
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, 1ul << 11);
    uint64_t v = 0;
    __asm__ volatile("csrs mstatus, %1\n\tld %0, 0(%2)\n\tcsrc mstatus, %1"
                     : "+r"(v) : "r"(MSTATUS_MPRV), "r"(pages[1]) : "memory");
    csr_clear(mstatus, MSTATUS_MPP);
    check(G, "M with MPRV=1, MPP=S: PMP checks the load as S (fault 5)", "priv 3.1.6.3 MPRV + 3.7",
          rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_LOAD_ACCESS);

    /* All entries OFF: "If no PMP entry matches an S-mode or U-mode access, but at least
     * one PMP entry is implemented, the access fails."  Checked with an MPRV load so
     * that only a data access is affected. */
    csr_write(pmpcfg0, 0);
    csr_write(pmpcfg2, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
    rt_trap_reset();
    csr_set(mstatus, 1ul << 11);
    __asm__ volatile("csrs mstatus, %1\n\tld %0, 0(%2)\n\tcsrc mstatus, %1"
                     : "+r"(v) : "r"(MSTATUS_MPRV), "r"(pages[3]) : "memory");
    csr_clear(mstatus, MSTATUS_MPP);
    check(G, "all entries OFF: S-mode (MPRV) load fails", "priv 3.7.1 no matching entry, entries implemented",
          rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_LOAD_ACCESS);
    csr_write(pmpcfg2, cfg2);
    csr_write(pmpcfg2, cfg2);
    csr_write(pmpcfg0, cfg0);

    /* Locked entries: apply to M too and ignore writes. */
    csr_write(pmpaddr6, napot((uintptr_t)pages[4], 4096));
    csr_write(pmpaddr7, (uintptr_t)pages[5] >> 2);
    csr_write(pmpaddr8, ((uintptr_t)pages[5] + 4096) >> 2);
    uint64_t cfg0l = cfg0 | (uint64_t)(P_L | A_NAPOT | P_R) << 48;
    csr_write(pmpcfg0, cfg0l);
    csr_write(pmpcfg2, cfg2 | P_L | A_TOR | P_R | P_W | P_X);
    __asm__ volatile("sfence.vma" ::: "memory");
    rt_trap_reset();
    v = *(volatile uint64_t *)pages[4];
    check_eq(G, "locked R-only: M load allowed", "priv 3.7.1 L=1 applies to M", rt_ntraps(), 0);
    rt_trap_reset();
    *(volatile uint64_t *)(pages[4] + 8) = 2;
    check(G, "locked R-only: M store -> store access fault in M", "priv 3.7.1 L=1 applies to M",
          rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_STORE_ACCESS && rt_trap(0)->level == PRV_M);
    rt_trap_reset();
    v = l_fetch(CODE(pages[4]));
    check(G, "locked R-only: M fetch -> fetch access fault in M", "priv 3.7.1 L=1 applies to M",
          rt_ntraps() == 1 && rt_trap(0)->cause == CAUSE_FETCH_ACCESS);
    uint64_t a6 = csr_read(pmpaddr6);
    csr_write(pmpaddr6, 0);
    check_eq(G, "locked: pmpaddr6 write ignored", "priv 3.7.1 locked entry", csr_read(pmpaddr6), a6);
    csr_write(pmpcfg0, cfg0l & ~(0xfful << 48));
    check_eq(G, "locked: pmp6cfg write ignored", "priv 3.7.1 locked entry", (csr_read(pmpcfg0) >> 48) & 0xff, P_L | A_NAPOT | P_R);
    uint64_t a7 = csr_read(pmpaddr7);
    csr_write(pmpaddr7, 0);
    check_eq(G, "locked TOR entry 8: pmpaddr7 write ignored", "priv 3.7.1 locked TOR locks pmpaddr(i-1)", csr_read(pmpaddr7), a7);
    rt_trap_reset();
    *(volatile uint64_t *)(pages[5] + 8) = 3;
    check_eq(G, "locked RWX TOR: M store allowed", "priv 3.7.1", rt_ntraps(), 0);
    (void)v;
    return 0;
}
