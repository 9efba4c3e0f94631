/*
 * h-fs: the floating-point unit with V=1. While V=1 both vsstatus.FS and the
 * HS-level sstatus.FS (mstatus.FS) are in effect: either Off makes every F/D
 * instruction and fcsr access an illegal-instruction exception, and changing FP
 * state sets both to Dirty (with their SD bits). vsstatus.FS has no effect
 * while V=0, and sstatus read in VS shows vsstatus.
 */
#include "h.h"

#define G "h-fs"
#define R_FS  "priv H 8.2.11 vsstatus.FS (both FS fields in effect while V=1)"
#define R_SUB "priv H 8.2 (sstatus accesses in VS reach vsstatus)"

const char *const QEMU_DEVIATION[] = {
    "h-fs: VS: FP write sets vsstatus.SD",   /* QEMU 7.2 dirties vsstatus.FS but leaves SD 0 */
    0
};

#define FS_SHIFT 13
#define FS_OFF   0ul
#define FS_INIT  1ul
#define FS_DIRTY 3ul
#define SD       (1ul << 63)

SITE(s_fmv, "fmv.d.x fa0, a0\n\tfmv.x.d a0, fa0");      /* writes an FP register */
SITE(s_fadd, "fadd.d fa1, fa1, fa1");
SITE(s_rdfcsr, "csrr a0, fcsr");
SITE(s_rdstatus, "csrr a0, sstatus");

static void set_vs_fs(unsigned long fs)
{
    csr_clear(vsstatus, MSTATUS_FS);
    csr_set(vsstatus, fs << FS_SHIFT);
}

static unsigned long vs_fs(void) { return (csr_read(vsstatus) >> FS_SHIFT) & 3; }
static unsigned long m_fs(void) { return (csr_read(mstatus) >> FS_SHIFT) & 3; }

/* Runs site in VS with mstatus.FS = mfs and vsstatus.FS = vfs; turns mstatus.FS back on if it is Off. */
static long run_vs(char *site, unsigned long mfs, unsigned long vfs, long arg)
{
    h_reset();
    set_vs_fs(vfs);
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, mfs << FS_SHIFT);
    long v = rt_run(VS, FN(site), arg);
    if (m_fs() == FS_OFF) csr_set(mstatus, FS_INIT << FS_SHIFT);
    return v;
}

int main(void)
{
    /* vsstatus.FS = Off stops FP in VS although mstatus.FS is on */
    run_vs(s_fadd, FS_INIT, FS_OFF, 0);
    check_outcome(G, "VS: fadd.d with vsstatus.FS=Off, mstatus.FS=Initial -> cause 2", R_FS,
                  one_trap(CAUSE_ILLEGAL, PRV_M, 1), trap_desc());
    run_vs(s_rdfcsr, FS_DIRTY, FS_OFF, 0);
    check_outcome(G, "VS: csrr fcsr with vsstatus.FS=Off -> cause 2", R_FS,
                  one_trap(CAUSE_ILLEGAL, PRV_M, 1), trap_desc());
    check_eq(G, "VS: the trapping fadd/fcsr leave vsstatus.FS Off", R_FS, vs_fs(), FS_OFF);

    /* mstatus.FS = Off stops FP in VS although vsstatus.FS is on */
    run_vs(s_fadd, FS_OFF, FS_INIT, 0);
    check_outcome(G, "VS: fadd.d with mstatus.FS=Off, vsstatus.FS=Initial -> cause 2", R_FS,
                  one_trap(CAUSE_ILLEGAL, PRV_M, 1), trap_desc());

    /* both on: the instruction runs and dirties both */
    long v = run_vs(s_fmv, FS_INIT, FS_INIT, 0x4008000000000000l);
    check_outcome(G, "VS: fmv.d.x with both FS Initial: no trap", R_FS, rt_ntraps() == 0, trap_desc());
    check_eq(G, "VS: fmv.d.x/fmv.x.d value", R_FS, (uint64_t)v, 0x4008000000000000ul);
    check_eq(G, "VS: FP write sets vsstatus.FS = Dirty", R_FS, vs_fs(), FS_DIRTY);
    check_eq(G, "VS: FP write sets vsstatus.SD", R_FS, csr_read(vsstatus) & SD, SD);
    check_eq(G, "VS: FP write sets mstatus.FS = Dirty", R_FS, m_fs(), FS_DIRTY);

    /* sstatus in VS is vsstatus: its FS field is vsstatus.FS */
    v = run_vs(s_rdstatus, FS_DIRTY, FS_INIT, 0);
    check_outcome(G, "VS: csrr sstatus: no trap", R_SUB, rt_ntraps() == 0, trap_desc());
    check_eq(G, "VS: sstatus.FS reads vsstatus.FS (Initial, mstatus.FS Dirty)", R_SUB, ((uint64_t)v >> FS_SHIFT) & 3, FS_INIT);
    check_eq(G, "VS: sstatus.SD reads 0 with vsstatus.FS Initial", R_SUB, (uint64_t)v & SD, 0);

    /* V=0: vsstatus.FS does not matter */
    h_reset();
    set_vs_fs(FS_OFF);
    rt_run(PRV_S, FN(s_fadd), 0);
    check_outcome(G, "HS: fadd.d with vsstatus.FS=Off: no trap", R_FS, rt_ntraps() == 0, trap_desc());
    check_eq(G, "HS: FP use leaves vsstatus.FS Off", R_FS, vs_fs(), FS_OFF);
    check_eq(G, "HS: FP use sets mstatus.FS = Dirty", R_FS, m_fs(), FS_DIRTY);

    /* written from M, vsstatus.FS reads back every value */
    for (unsigned long fs = 0; fs < 4; fs++) {
        set_vs_fs(fs);
        check_eq(G, rt_fmt("vsstatus.FS write %lu reads back", fs), R_FS, vs_fs(), fs);
    }
    h_reset();
    return 0;
}
