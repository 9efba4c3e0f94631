/*
 * h-trap: entering VS/VU (mret with MPV, sret with SPV), traps from V=1 to M,
 * HS and VS (medeleg/hedeleg), the trap-entry state (MPV, SPV, SPVP, GVA,
 * vscause/vsepc/vstval) and the virtual-instruction exception cases.
 */
#include "h.h"

#define G "h-trap"
#define R_ENTRY "priv H 8.5.1 trap entry"
#define R_DELEG "priv H 8.4.2 hedeleg / 8.5.1"
#define R_VI    "priv H 8.6.1 virtual instruction"
#define R_RET   "priv H 8.6.4 SRET/MRET with V"

const char *const QEMU_DEVIATION[] = {
    "h-trap: illegal instruction in VS, delegated twice -> VS handler",
    "h-trap: vscause = 2 after the VS trap",
    "h-trap: VU: sret -> cause 22",
    "h-trap: VU: sfence.vma -> cause 22",
    "h-trap: VU: hfence.vvma -> cause 22",
    "h-trap: VS: csrr satp with hstatus.VTVM=1 -> cause 22",
    "h-trap: VS: csrw satp with hstatus.VTVM=1 -> cause 22",
    "h-trap: VS: satp with mstatus.TVM=1 but VTVM=0 does not trap",
    "h-trap: VS: hlv.w: mtval 0 or the instruction",
    "h-trap: VS: hlvx.hu: mtval 0 or the instruction",
    "h-trap: VS: hsv.w: mtval 0 or the instruction",
    "h-trap: VU: hlv.w (hstatus.HU=1): mtval 0 or the instruction",
    "h-trap: VU: hsv.w: mtval 0 or the instruction",
    0
};

ECALL_SITE(ec);
SITE(mark, "csrw sscratch, a0");                         /* in VS: vsscratch */
SITE(ec_mark, "mv t1, a0\n\tli a7, 0\n.globl ec_mark_at\nec_mark_at: ecall\n\tcsrw sscratch, t1");
extern char ec_mark_at[];
SITE(brk, ".option push\n.option norvc\n\tebreak\n.option pop");
SITE(bad, ".word 0x30002573");                           /* csrr a0, mstatus: illegal below M */
/* HS: enter V=1 at a1 with SPP = a0 via sret; the target returns through rt_lower_return */
SITE(hs_enter, "li t0, 0x80\n\tcsrs hstatus, t0\n\t"
               "li t0, 0x100\n\tcsrc sstatus, t0\n\tslli a0, a0, 8\n\tcsrs sstatus, a0\n\t"
               "csrw sepc, a1\n\tmv a0, a2\n\tla ra, rt_lower_return\n\tsret");
SITE(s_wfi, "wfi");
SITE(s_sret, "sret");
SITE(s_mret, "mret");
SITE(s_sfence, "sfence.vma");
SITE(s_rdsatp, "csrr a0, satp");
SITE(s_wrsatp, "csrw satp, zero");
SITE(s_hfv, "hfence.vvma");
SITE(s_hfg, "hfence.gvma");
SITE(s_hlv, "hlv.w a0, (sp)");
SITE(s_hlvx, "hlvx.hu a0, (ra)");
SITE(s_hsv, "hsv.w zero, (zero)");

static long hs_enter_vs(long marker) { return ((long (*)(long, uintptr_t, long))(uintptr_t)hs_enter)(1, (uintptr_t)mark, marker); }
static long hs_enter_vu(long x) { (void)x; return ((long (*)(long, uintptr_t, long))(uintptr_t)hs_enter)(0, (uintptr_t)ec, 0); }

int main(void)
{
    h_reset();

    /* mret with MPV = 1 */
    rt_run(VS, FN(mark), 0x1111);
    check_eq(G, "mret MPV=1 MPP=S enters VS (sscratch write reaches vsscratch)", R_RET, csr_read(vsscratch), 0x1111);
    h_reset();
    rt_run(VU, FN(ec), 0);
    check_outcome(G, "mret MPV=1 MPP=U enters VU: ecall -> cause 8 with MPV=1", R_RET, one_trap(CAUSE_ECALL_U, PRV_M, 1), trap_desc());
    check_eq(G, "ecall from VU: MPP = U", R_ENTRY, rt_trap(0)->prev, PRV_U);
    check_eq(G, "ecall from VU: mepc", R_ENTRY, rt_trap(0)->epc, (uintptr_t)ec_at);

    /* sret with SPV = 1 from HS */
    h_reset();
    rt_run(PRV_S, hs_enter_vs, 0x2222);
    check_outcome(G, "sret SPV=1 SPP=S from HS: no trap", R_RET, rt_ntraps() == 0, trap_desc());
    check_eq(G, "sret SPV=1 SPP=S enters VS (vsscratch written)", R_RET, csr_read(vsscratch), 0x2222);
    check_eq(G, "sret to VS clears hstatus.SPV", R_RET, csr_read(hstatus) & HSTATUS_SPV, 0);
    h_reset();
    rt_run(PRV_S, hs_enter_vu, 0);
    check_outcome(G, "sret SPV=1 SPP=U enters VU: ecall -> cause 8 virt", R_RET, one_trap(CAUSE_ECALL_U, PRV_M, 1), trap_desc());

    /* ecall from VS to M */
    h_reset();
    rt_run(VS, FN(ec), 0);
    check_outcome(G, "ecall from VS -> cause 10 in M", R_ENTRY, one_trap(CAUSE_ECALL_VS, PRV_M, 1), trap_desc());
    check_eq(G, "ecall from VS: MPP = S", R_ENTRY, rt_trap(0)->prev, PRV_S);
    check_eq(G, "ecall from VS: mepc", R_ENTRY, rt_trap(0)->epc, (uintptr_t)ec_at);
    check_eq(G, "ecall from VS: mstatus.GVA = 0", R_ENTRY, rt_trap(0)->gva, 0);
    check_eq(G, "ecall from VS: mtval2 = 0", R_ENTRY, rt_trap(0)->tval2, 0);

    /* ecall from VS to HS (medeleg[10]) and back into VS by sret */
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_ECALL_VS);
    csr_write(scause, 0);
    rt_run(VS, FN(ec_mark), 0x3333);
    check_outcome(G, "ecall from VS with medeleg[10] -> cause 10 in HS", R_DELEG, one_trap(CAUSE_ECALL_VS, PRV_S, 1), trap_desc());
    uint64_t hst = rt_trap(0)->hstatus;
    check_eq(G, "trap from VS to HS: hstatus.SPV = 1", R_ENTRY, hst & HSTATUS_SPV, HSTATUS_SPV);
    check_eq(G, "trap from VS to HS: hstatus.SPVP = 1", R_ENTRY, hst & HSTATUS_SPVP, HSTATUS_SPVP);
    check_eq(G, "trap from VS to HS: hstatus.GVA = 0 (ecall)", R_ENTRY, hst & HSTATUS_GVA, 0);
    check_eq(G, "trap from VS to HS: sstatus.SPP = S", R_ENTRY, rt_trap(0)->prev, PRV_S);
    check_eq(G, "trap from VS to HS: sepc", R_ENTRY, rt_trap(0)->epc, (uintptr_t)ec_mark_at);
    check_eq(G, "sret from HS with SPV=1 resumes in VS (vsscratch written after the ecall)", R_RET, csr_read(vsscratch), 0x3333);
    check_eq(G, "HS trap from VS leaves vscause alone", R_ENTRY, csr_read(vscause) == CAUSE_ECALL_VS, 0);

    /* ecall from VU with medeleg[8] but hedeleg[8] = 0 -> HS, SPVP = 0 */
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_ECALL_U);
    rt_run(VU, FN(ec), 0);
    check_outcome(G, "ecall from VU, medeleg[8], hedeleg[8]=0 -> cause 8 in HS", R_DELEG, one_trap(CAUSE_ECALL_U, PRV_S, 1), trap_desc());
    check_eq(G, "trap from VU to HS: hstatus.SPVP = 0", R_ENTRY, rt_trap(0)->hstatus & HSTATUS_SPVP, 0);
    check_eq(G, "trap from VU to HS: sstatus.SPP = U", R_ENTRY, rt_trap(0)->prev, PRV_U);

    /* hedeleg: ecall from VU to VS */
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_ECALL_U);
    csr_write(hedeleg, 1ul << CAUSE_ECALL_U);
    csr_write(scause, 0x77);
    rt_run(VU, FN(ec), 0);
    check_outcome(G, "ecall from VU with medeleg[8] and hedeleg[8] -> VS handler", R_DELEG, one_trap(CAUSE_ECALL_U, LVL_VS, 1), trap_desc());
    check_eq(G, "VS handler: vsepc = ecall address", R_DELEG, rt_trap(0)->epc, (uintptr_t)ec_at);
    check_eq(G, "VS handler: vsstatus.SPP = U", R_DELEG, rt_trap(0)->prev, PRV_U);
    check_eq(G, "trap into VS leaves HS scause", R_DELEG, csr_read(scause), 0x77);
    check_eq(G, "trap into VS does not change hstatus.SPV", R_DELEG, csr_read(hstatus) & HSTATUS_SPV, 0);

    /* hedeleg: illegal instruction from VS to VS */
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_ILLEGAL);
    csr_write(hedeleg, 1ul << CAUSE_ILLEGAL);
    rt_run(VS, FN(bad), 0);
    check_outcome(G, "illegal instruction in VS, delegated twice -> VS handler", R_DELEG, one_trap(CAUSE_ILLEGAL, LVL_VS, 1), trap_desc());
    check_eq(G, "VS handler: vsepc", R_DELEG, rt_trap(0)->epc, (uintptr_t)bad);
    check_eq(G, "VS handler: vsstatus.SPP = S", R_DELEG, rt_trap(0)->prev, PRV_S);
    uint64_t tv = rt_trap(0)->tval;
    check_outcome(G, "VS handler: vstval = 0 or the instruction", R_DELEG, tv == 0 || tv == 0x30002573, rt_fmt("vstval 0x%lx", tv));
    check_eq(G, "vscause = 2 after the VS trap", R_DELEG, csr_read(vscause), CAUSE_ILLEGAL);
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_BREAKPOINT);
    csr_write(hedeleg, 1ul << CAUSE_BREAKPOINT);
    rt_run(VS, FN(brk), 0);
    check_outcome(G, "ebreak in VS, delegated twice -> VS handler, cause 3", R_DELEG, one_trap(CAUSE_BREAKPOINT, LVL_VS, 1), trap_desc());
    check_eq(G, "VS handler after ebreak: vsepc", R_DELEG, rt_trap(0)->epc, (uintptr_t)brk);
    /* same, medeleg only: HS */
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_ILLEGAL);
    rt_run(VU, FN(bad), 0);
    check_outcome(G, "illegal instruction in VU, medeleg only -> HS", R_DELEG, one_trap(CAUSE_ILLEGAL, PRV_S, 1), trap_desc());
    h_reset();
    rt_run(VU, FN(bad), 0);
    check_outcome(G, "illegal instruction in VU, no delegation -> M", R_DELEG, one_trap(CAUSE_ILLEGAL, PRV_M, 1), trap_desc());
    check_eq(G, "trap from VU to M: MPP = U", R_ENTRY, rt_trap(0)->prev, PRV_U);
    /* hedeleg[22] is writable? virtual instruction cannot be delegated to VS */
    h_reset();
    csr_write(medeleg, 1ul << CAUSE_VIRT_INSN);
    csr_write(hedeleg, ~0ul);
    rt_run(VS, FN(s_hfv), 0);
    check_outcome(G, "virtual instruction with medeleg[22] goes to HS even with hedeleg all ones", R_DELEG,
                  one_trap(CAUSE_VIRT_INSN, PRV_S, 1), trap_desc());

    /* Virtual-instruction cases (medeleg = 0: taken in M) */
    static const struct { const char *what; int mode; char *fn; uint64_t hst; uint64_t mst; uint64_t cause; } vi[] = {
        { "VS: wfi with hstatus.VTW=1", VS, s_wfi, HSTATUS_VTW, 0, CAUSE_VIRT_INSN },
        { "VS: wfi with mstatus.TW=1 -> illegal", VS, s_wfi, HSTATUS_VTW, MSTATUS_TW, CAUSE_ILLEGAL },
        { "VU: wfi (TW=0)", VU, s_wfi, 0, 0, CAUSE_VIRT_INSN },
        { "VS: sret with hstatus.VTSR=1", VS, s_sret, HSTATUS_VTSR, 0, CAUSE_VIRT_INSN },
        { "VU: sret", VU, s_sret, 0, 0, CAUSE_VIRT_INSN },
        { "VS: mret -> illegal", VS, s_mret, 0, 0, CAUSE_ILLEGAL },
        { "VS: sfence.vma with hstatus.VTVM=1", VS, s_sfence, HSTATUS_VTVM, 0, CAUSE_VIRT_INSN },
        { "VS: csrr satp with hstatus.VTVM=1", VS, s_rdsatp, HSTATUS_VTVM, 0, CAUSE_VIRT_INSN },
        { "VS: csrw satp with hstatus.VTVM=1", VS, s_wrsatp, HSTATUS_VTVM, 0, CAUSE_VIRT_INSN },
        { "VU: sfence.vma", VU, s_sfence, 0, 0, CAUSE_VIRT_INSN },
        { "VS: hfence.vvma", VS, s_hfv, 0, 0, CAUSE_VIRT_INSN },
        { "VS: hfence.gvma", VS, s_hfg, 0, 0, CAUSE_VIRT_INSN },
        { "VU: hfence.vvma", VU, s_hfv, 0, 0, CAUSE_VIRT_INSN },
        { "VS: hlv.w", VS, s_hlv, 0, 0, CAUSE_VIRT_INSN },
        { "VS: hlvx.hu", VS, s_hlvx, 0, 0, CAUSE_VIRT_INSN },
        { "VS: hsv.w", VS, s_hsv, 0, 0, CAUSE_VIRT_INSN },
        { "VU: hlv.w (hstatus.HU=1)", VU, s_hlv, HSTATUS_HU, 0, CAUSE_VIRT_INSN },
        { "VU: hsv.w", VU, s_hsv, 0, 0, CAUSE_VIRT_INSN },
        { "VU: csrr hstatus", VU, 0, 0, 0, CAUSE_VIRT_INSN },
    };
    SITE(s_rdh, "csrr a0, hstatus");
    for (unsigned i = 0; i < sizeof vi / sizeof vi[0]; i++) {
        h_reset();
        csr_write(hstatus, (2ul << 32) | vi[i].hst);
        csr_set(mstatus, vi[i].mst);
        csr_write(vsepc, (uintptr_t)rt_lower_return);   /* where an untrapped sret goes */
        char *fn = vi[i].fn ? vi[i].fn : s_rdh;
        rt_run(vi[i].mode, FN(fn), 0);
        csr_clear(mstatus, vi[i].mst);
        int ok = one_trap(vi[i].cause, PRV_M, 1) && rt_trap(0)->epc == (uintptr_t)fn;
        check_outcome(G, rt_fmt("%s -> cause %lu", vi[i].what, vi[i].cause), R_VI, ok, trap_desc());
        if (ok && vi[i].cause == CAUSE_VIRT_INSN) {
            uint64_t tv = rt_trap(0)->tval;
            check_outcome(G, rt_fmt("%s: mtval 0 or the instruction", vi[i].what), "priv H 8.6.3 / 3.1.16 mtval",
                          tv == 0 || tv == rt_trap(0)->insn, rt_fmt("mtval 0x%lx", tv));
        }
    }
    /* the same instructions are fine without the trap bits in VS */
    h_reset();
    rt_run(VS, FN(s_sfence), 0);
    rt_run(VS, FN(s_rdsatp), 0);
    check_outcome(G, "VS: sfence.vma and satp with VTVM=0 do not trap", R_VI, rt_ntraps() == 0, trap_desc());
    h_reset();
    csr_set(mstatus, MSTATUS_TVM | MSTATUS_TSR);
    rt_run(VS, FN(s_rdsatp), 0);
    csr_clear(mstatus, MSTATUS_TVM | MSTATUS_TSR);
    check_outcome(G, "VS: satp with mstatus.TVM=1 but VTVM=0 does not trap", "priv H 8.4.1 mstatus: TSR/TVM affect only HS-mode",
                  rt_ntraps() == 0, trap_desc());
    h_reset();
    return 0;
}
