/*
 * h-csr: hypervisor and VS CSRs - presence, WARL masks, access from every
 * mode (M, HS, U, VS, VU) and the V=1 redirection of S CSRs to their vs* twins.
 */
#include "h.h"

#define G "h-csr"
const char *const QEMU_DEVIATION[] = {
    "h-csr: hstatus.VGEIN holds only 0..GEILEN",
    "h-csr: hgatp PPN[1:0] read as zero (16 KiB root)",
    "h-csr: hgatp write with reserved mode 1 leaves a legal mode",
    "h-csr: vsepc bit 0 reads zero",
    "h-csr: vsatp write with reserved mode 1 (V=0): ignored or WARL",
    "h-csr: VU: csrr sscratch -> cause 22 (S CSR allowed in HS)",
    0
};
#define R_CSR   "priv H 8.2"
#define R_ACC   "priv H 8.6.1 / 2.1 CSR access"
#define R_VI    "priv H 8.6.1 virtual instruction"
#define R_VSCSR "priv H 8.2.x VS CSRs substitute for S CSRs when V=1"

/* One read site per CSR: csrr a0, <csr>; ret */
#define CSR_LIST(X) X(hstatus) X(hedeleg) X(hideleg) X(hvip) X(hip) X(hie) X(hgeie) X(hgeip) \
    X(htval) X(htinst) X(hgatp) X(htimedelta) X(hcounteren) X(henvcfg) X(vsstatus) X(vsie) \
    X(vstvec) X(vsscratch) X(vsepc) X(vscause) X(vstval) X(vsip) X(vsatp)
#define RD_SITE(c) SITE(rd_##c, "csrr a0, " #c);
CSR_LIST(RD_SITE)
#define RD_ENTRY(c) { #c, rd_##c },
static const struct { const char *name; char *fn; } csrs[] = { CSR_LIST(RD_ENTRY) };
#define NCSR (sizeof csrs / sizeof csrs[0])

SITE(rd_mstatus, "csrr a0, mstatus");
SITE(rd_sscratch, "csrr a0, sscratch");
SITE(wr_hstatus, "csrw hstatus, a0");
SITE(wr_vsscratch, "csrw vsscratch, a0");

/* VS-mode code for the redirection checks: a0 = value */
SITE(vs_s_csrs,
     "csrw sscratch, a0\n\t"
     "csrw stvec, a0\n\t"
     "addi t0, a0, 4\n\tcsrw sepc, t0\n\t"
     "li t0, 13\n\tcsrw scause, t0\n\t"
     "addi t0, a0, 8\n\tcsrw stval, t0\n\t"
     "li t0, 2\n\tcsrs sie, t0\n\t"
     "csrs sip, t0\n\t"
     "csrr a0, sstatus");
SITE(vs_satp_write, "csrw satp, a0\n\tcsrr a0, satp");

static volatile uint64_t hs_res[8];
static uint64_t vs_root[512] __attribute__((aligned(4096)));
static long hs_access(long x)
{
    hs_res[0] = csr_read(hstatus);
    csr_write(vsscratch, x);
    hs_res[1] = csr_read(vsscratch);
    csr_write(htval, 0x20000000);
    hs_res[2] = csr_read(htval);
    csr_write(hgatp, 0);
    hs_res[3] = csr_read(hgatp);
    csr_write(hvip, 1ul << IRQ_VSSI);
    hs_res[4] = csr_read(hip);
    csr_write(hvip, 0);
    hs_res[5] = csr_read(vsatp);
    hs_res[6] = csr_read(htimedelta);
    return 0;
}

#define WR(c, v) ({ csr_write(c, v); csr_read(c); })

int main(void)
{
    h_reset();
    uint64_t misa = csr_read(misa);
    check(G, "misa.H is set", "priv H 8.1", (misa >> 7) & 1);
    if (!((misa >> 7) & 1)) return 0;

    /* mideleg: VS-level interrupts (and SGEI when GEILEN > 0) are read-only one */
    csr_write(mideleg, 0);
    check_eq(G, "mideleg bits 2,6,10 read-only one with H", "priv H 8.4.1 mideleg", csr_read(mideleg) & VS_IRQS, VS_IRQS);

    /* hstatus */
    uint64_t hs_all = WR(hstatus, ~0ul);
    note("hstatus after writing all ones: 0x%lx", hs_all);
    uint64_t want = HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR;
    check_eq(G, "hstatus GVA/SPV/SPVP/HU/VTVM/VTW/VTSR writable", R_CSR ".1 hstatus", hs_all & want, want);
    uint64_t hs0 = WR(hstatus, 0);
    check_eq(G, "hstatus.VSXL = 2 (RV64 VS-mode)", R_CSR ".1 hstatus VSXL WARL", (hs_all >> 32) & 3, 2);
    check(G, "hstatus.VSXL keeps a legal value after writing 0", R_CSR ".1 hstatus VSXL WARL", ((hs0 >> 32) & 3) != 0);
    unsigned geilen = 0;
    {
        uint64_t hge = WR(hgeie, ~0ul);
        for (int i = 1; i < 64; i++) geilen += (hge >> i) & 1;
        check_eq(G, "hgeie bit 0 read-only zero", R_CSR ".4 hgeie", hge & 1, 0);
        note("hgeie after writing all ones: 0x%lx (GEILEN = %u), hgeip = 0x%lx", hge, geilen, csr_read(hgeip));
        uint64_t vgein = (hs_all & HSTATUS_VGEIN) >> 12;
        check(G, "hstatus.VGEIN holds only 0..GEILEN", R_CSR ".1 hstatus VGEIN WARL", vgein <= geilen);
        csr_write(hgeie, 0);
    }
    csr_write(hstatus, 2ul << 32);

    /* hedeleg: bits 0-8, 12, 13, 15 writable; 9, 10, 11, 20-23 read-only zero */
    uint64_t hed = WR(hedeleg, ~0ul);
    note("hedeleg after writing all ones: 0x%lx", hed);
    uint64_t hed_w = 0x1ff | (1ul << 12) | (1ul << 13) | (1ul << 15);
    uint64_t hed_z = (7ul << 9) | (0xful << 20);
    check_eq(G, "hedeleg bits 0-8,12,13,15 writable", R_CSR ".2 hedeleg table", hed & hed_w, hed_w);
    check_eq(G, "hedeleg bits 9,10,11,20-23 read-only zero", R_CSR ".2 hedeleg table", hed & hed_z, 0);
    csr_write(hedeleg, 0);

    /* hideleg / hvip / hip / hie */
    uint64_t hid = WR(hideleg, ~0ul);
    note("hideleg after writing all ones: 0x%lx", hid);
    check_eq(G, "hideleg: of bits 15:0 only 2,6,10 writable", R_CSR ".2 hideleg", hid & 0xffff, VS_IRQS);
    csr_write(hideleg, 0);
    uint64_t hv = WR(hvip, ~0ul);
    check_eq(G, "hvip: of bits 15:0 only VSEIP/VSTIP/VSSIP writable", R_CSR ".3 hvip", hv & 0xffff, VS_IRQS);
    check_eq(G, "mip shows hvip's VS bits", "priv H 8.4.2 mip", csr_read(mip) & VS_IRQS, VS_IRQS);
    csr_write(hvip, 0);
    csr_write(hip, ~0ul);
    check_eq(G, "hip: only VSSIP writable (VSTIP/VSEIP/SGEIP read-only)", R_CSR ".3 hip", csr_read(hip) & 0x1444, 1ul << IRQ_VSSI);
    check_eq(G, "hip.VSSIP is an alias of hvip.VSSIP", R_CSR ".3 hip", csr_read(hvip) & VS_IRQS, 1ul << IRQ_VSSI);
    csr_write(hip, 0);
    check_eq(G, "clearing hip.VSSIP clears hvip.VSSIP", R_CSR ".3 hip", csr_read(hvip), 0);
    uint64_t hie = WR(hie, ~0ul);
    note("hie after writing all ones: 0x%lx", hie);
    check_eq(G, "hie: VSEIE/VSTIE/VSSIE writable, bits 1,5,9 zero", R_CSR ".3 hie", hie & 0x6ee, VS_IRQS);
    check_outcome(G, "hie.SGEIE", R_CSR ".3 hie", 1,
                  rt_fmt("%s with GEILEN %u", (hie >> IRQ_SGEI) & 1 ? "writable" : "read-only zero", geilen));
    check_eq(G, "mie shows hie's VS bits", "priv H 8.4.2 mie", csr_read(mie) & VS_IRQS, VS_IRQS);
    csr_write(hie, 0);

    /* htval / htinst: WARL, must hold zero; htval holds GPAs >> 2 */
    check_eq(G, "htval holds 0", R_CSR ".12 htval", WR(htval, 0), 0);
    check_eq(G, "htval holds a RAM GPA >> 2", R_CSR ".12 htval", WR(htval, 0x80001000ul >> 2), 0x80001000ul >> 2);
    csr_write(htval, 0);
    check_eq(G, "htinst holds 0", R_CSR ".13 htinst", WR(htinst, 0), 0);
    note("htinst after writing 0x3003: 0x%lx", WR(htinst, 0x3003));
    csr_write(htinst, 0);
    check_eq(G, "mtval2 holds a RAM GPA >> 2", "priv H 8.4.3 mtval2", WR(0x34b, 0x80001000ul >> 2), 0x80001000ul >> 2);
    check_eq(G, "mtinst holds 0", "priv H 8.4.4 mtinst", WR(0x34a, 0), 0);
    csr_write(0x34b, 0);

    /* hgatp: modes, PPN[1:0] read-only zero, VMID, unsupported mode is WARL (not ignored) */
    uint64_t g = WR(hgatp, ATP_MODE_SV39 | 0x80003ul);
    check_eq(G, "hgatp Sv39x4 mode accepted", R_CSR ".10 hgatp", g >> 60, 8);
    check_eq(G, "hgatp PPN[1:0] read as zero (16 KiB root)", R_CSR ".10 hgatp", g & 3, 0);
    check_eq(G, "hgatp PPN[43:2] kept", R_CSR ".10 hgatp", g & 0xffffffffffcul, 0x80000);
    g = WR(hgatp, ATP_MODE_SV48 | 0x80004ul);
    check_eq(G, "hgatp Sv48x4 mode accepted", R_CSR ".10 hgatp", g >> 60, 9);
    g = WR(hgatp, ATP_MODE_SV39 | (0x3ffful << 44));
    unsigned vmidlen = 0;
    for (int i = 44; i < 58; i++) vmidlen += (g >> i) & 1;
    note("hgatp VMID after writing all ones: 0x%lx (VMIDLEN %u)", (g >> 44) & 0x3fff, vmidlen);
    check(G, "hgatp VMID: low bits implemented first", R_CSR ".10 hgatp VMID", ((g >> 44) & 0x3fff) == (1ul << vmidlen) - 1);
    g = WR(hgatp, (1ul << 60) | 0x80000ul);
    uint64_t gm = g >> 60;
    check_outcome(G, "hgatp write with reserved mode 1 leaves a legal mode", R_CSR ".10 hgatp MODE WARL",
                  gm == 0 || gm == 8 || gm == 9 || gm == 10, rt_fmt("reads 0x%lx", g));
    check_eq(G, "hgatp Bare reads 0", R_CSR ".10 hgatp", WR(hgatp, 0), 0);

    check_eq(G, "htimedelta is 64-bit read/write", R_CSR ".7 htimedelta", WR(htimedelta, 0x123456789abcdef0ul), 0x123456789abcdef0ul);
    csr_write(htimedelta, 0);
    note("hcounteren after writing all ones: 0x%lx", WR(hcounteren, ~0ul));
    check_eq(G, "hcounteren holds 0", R_CSR ".9 hcounteren", WR(hcounteren, 0), 0);
    uint64_t menv = csr_read(menvcfg);
    csr_write(menvcfg, menv | (1ul << 63));
    uint64_t henv = WR(henvcfg, ~0ul);
    note("henvcfg after writing all ones (menvcfg.STCE=1): 0x%lx", henv);
    check_eq(G, "henvcfg holds 0", R_CSR ".5 henvcfg", WR(henvcfg, 0), 0);
    csr_write(menvcfg, menv);

    /* VS CSRs from M */
    uint64_t vst = WR(vsstatus, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_FS);
    check_eq(G, "vsstatus SIE/SPIE/SPP/SUM/MXR/FS writable", R_CSR ".14 vsstatus", vst & 0xc6122, 0xc6122);
    check_eq(G, "vsstatus.UXL = 2", R_CSR ".14 vsstatus UXL", (vst >> 32) & 3, 2);
    csr_write(vsstatus, 1ul << 13);
    csr_write(hideleg, 0);
    check_eq(G, "vsie reads zero while hideleg = 0", R_CSR ".15 vsie/vsip", WR(vsie, ~0ul), 0);
    csr_write(hideleg, VS_IRQS);
    check_eq(G, "vsie with hideleg = VS bits: SSIE/STIE/SEIE", R_CSR ".15 vsie/vsip", WR(vsie, ~0ul) & 0xfff, 0x222);
    check_eq(G, "vsie.SSIE/STIE/SEIE are hie.VSSIE/VSTIE/VSEIE", R_CSR ".15 vsie/vsip", csr_read(hie) & 0xfff, VS_IRQS);
    csr_write(vsie, 0);
    csr_write(vsip, ~0ul);
    check_eq(G, "vsip: only SSIP writable, alias of hvip.VSSIP", R_CSR ".15 vsie/vsip", csr_read(hvip), 1ul << IRQ_VSSI);
    check_eq(G, "vsip.SSIP reads hvip.VSSIP", R_CSR ".15 vsie/vsip", csr_read(vsip) & 0x222, 2);
    csr_write(hvip, 0);
    csr_write(hideleg, 0);
    check_eq(G, "vstvec direct", R_CSR ".16 vstvec", WR(vstvec, 0x80001000ul), 0x80001000ul);
    check_eq(G, "vstvec vectored", R_CSR ".16 vstvec", WR(vstvec, 0x80001001ul), 0x80001001ul);
    check_eq(G, "vsscratch all 64 bits", R_CSR ".17 vsscratch", WR(vsscratch, 0xfedcba9876543210ul), 0xfedcba9876543210ul);
    check_eq(G, "vsepc bit 0 reads zero", R_CSR ".18 vsepc", WR(vsepc, 0x80001237ul), 0x80001236ul);
    check_eq(G, "vscause holds interrupt bit and code", R_CSR ".19 vscause", WR(vscause, INTR | 5), INTR | 5);
    check_eq(G, "vstval all 64 bits", R_CSR ".20 vstval", WR(vstval, 0x123456789ul), 0x123456789ul);
    check_eq(G, "vsatp Sv39", R_CSR ".22 vsatp", WR(vsatp, ATP_MODE_SV39 | 0x80010ul) >> 60, 8);
    check_eq(G, "vsatp Sv48", R_CSR ".22 vsatp", WR(vsatp, ATP_MODE_SV48 | 0x80010ul) >> 60, 9);
    uint64_t va = WR(vsatp, (1ul << 60) | 0x80020ul);
    check_outcome(G, "vsatp write with reserved mode 1 (V=0): ignored or WARL", R_CSR ".22 vsatp",
                  va == (ATP_MODE_SV48 | 0x80010ul) || (va >> 60) == 0 || (va >> 60) == 8 || (va >> 60) == 9 || (va >> 60) == 10,
                  rt_fmt("reads 0x%lx", va));
    rt_vs_init();
    h_reset();

    /* HS mode: hypervisor CSRs accessible */
    rt_trap_reset();
    rt_run(PRV_S, hs_access, 0x5a5a);
    check_outcome(G, "HS: hypervisor/VS CSRs accessible without traps", R_ACC, rt_ntraps() == 0, trap_desc());
    check_eq(G, "HS: hstatus.VSXL = 2", R_CSR ".1 hstatus", (hs_res[0] >> 32) & 3, 2);
    check_eq(G, "HS: vsscratch write/read", R_CSR ".17 vsscratch", hs_res[1], 0x5a5a);
    check_eq(G, "HS: htval write/read", R_CSR ".12 htval", hs_res[2], 0x20000000);
    check_eq(G, "HS: hip.VSSIP follows hvip", R_CSR ".3 hip", hs_res[4] & VS_IRQS, 1ul << IRQ_VSSI);
    h_reset();

    /* U, VS, VU: every hypervisor/VS CSR */
    static const struct { int mode; const char *name; uint64_t cause; int virt; } modes[] = {
        { PRV_U, "U", CAUSE_ILLEGAL, 0 }, { VS, "VS", CAUSE_VIRT_INSN, 1 }, { VU, "VU", CAUSE_VIRT_INSN, 1 },
    };
    for (unsigned m = 0; m < 3; m++) {
        for (unsigned i = 0; i < NCSR; i++) {
            h_reset();
            rt_run(modes[m].mode, FN(csrs[i].fn), 0);
            int ok = one_trap(modes[m].cause, PRV_M, modes[m].virt) && rt_trap(0)->epc == (uintptr_t)csrs[i].fn;
            check_outcome(G, rt_fmt("%s: csrr %s -> cause %lu", modes[m].name, csrs[i].name, modes[m].cause),
                          modes[m].virt ? R_VI : R_ACC, ok, trap_desc());
        }
    }
    h_reset();
    rt_run(VS, FN(wr_hstatus), 0);
    check_outcome(G, "VS: csrw hstatus -> cause 22", R_VI, one_trap(CAUSE_VIRT_INSN, PRV_M, 1), trap_desc());
    if (rt_ntraps()) {
        uint64_t tv = rt_trap(0)->tval;
        check_outcome(G, "virtual-instruction mtval: 0 or the instruction bits", "priv H 8.6.3 / 3.1.16 mtval",
                      tv == 0 || tv == rt_trap(0)->insn, rt_fmt("mtval 0x%lx", tv));
    }
    h_reset();
    rt_run(VU, FN(wr_vsscratch), 0);
    check_outcome(G, "VU: csrw vsscratch -> cause 22", R_VI, one_trap(CAUSE_VIRT_INSN, PRV_M, 1), trap_desc());
    h_reset();
    rt_run(VS, FN(rd_mstatus), 0);
    check_outcome(G, "VS: csrr mstatus -> illegal instruction (M CSR)", R_VI, one_trap(CAUSE_ILLEGAL, PRV_M, 1), trap_desc());
    h_reset();
    rt_run(VU, FN(rd_sscratch), 0);
    check_outcome(G, "VU: csrr sscratch -> cause 22 (S CSR allowed in HS)", R_VI, one_trap(CAUSE_VIRT_INSN, PRV_M, 1), trap_desc());
    h_reset();
    rt_run(PRV_U, FN(rd_sscratch), 0);
    check_outcome(G, "U: csrr sscratch -> cause 2", R_ACC, one_trap(CAUSE_ILLEGAL, PRV_M, 0), trap_desc());

    /* Redirection of S CSRs to vs* while V = 1 */
    h_reset();
    csr_write(hideleg, VS_IRQS);
    uint64_t sscr = csr_read(sscratch), stv = csr_read(stvec), sep = csr_read(sepc);
    csr_write(vsstatus, (1ul << 13) | MSTATUS_SUM);
    csr_write(vstvec, 0);
    uint64_t base = 0x80042000ul;
    uint64_t ss = rt_run(VS, FN(vs_s_csrs), (long)base);
    check_outcome(G, "VS: s* CSR accesses do not trap", R_VSCSR, rt_ntraps() == 0, trap_desc());
    check_eq(G, "VS sscratch write lands in vsscratch", R_VSCSR, csr_read(vsscratch), base);
    check_eq(G, "VS sscratch write leaves HS sscratch", R_VSCSR, csr_read(sscratch), sscr);
    check_eq(G, "VS stvec write lands in vstvec", R_VSCSR, csr_read(vstvec), base);
    check_eq(G, "VS stvec write leaves HS stvec", R_VSCSR, csr_read(stvec), stv);
    check_eq(G, "VS sepc write lands in vsepc", R_VSCSR, csr_read(vsepc), base + 4);
    check_eq(G, "VS sepc write leaves HS sepc", R_VSCSR, csr_read(sepc), sep);
    check_eq(G, "VS scause write lands in vscause", R_VSCSR, csr_read(vscause), 13);
    check_eq(G, "VS stval write lands in vstval", R_VSCSR, csr_read(vstval), base + 8);
    check_eq(G, "VS sie.SSIE is vsie.SSIE = hie.VSSIE", R_VSCSR, csr_read(hie) & VS_IRQS, 1ul << IRQ_VSSI);
    check_eq(G, "VS sip.SSIP is vsip.SSIP = hvip.VSSIP", R_VSCSR, csr_read(hvip) & VS_IRQS, 1ul << IRQ_VSSI);
    check_eq(G, "VS sstatus reads vsstatus (SUM)", R_VSCSR, ss & MSTATUS_SUM, MSTATUS_SUM);
    csr_write(hvip, 0);
    csr_write(hie, 0);
    h_reset();
    /* VS-stage identity table: one 1 GiB leaf for 0x8000_0000 (S page, RWXAD) */
    vs_root[2] = (0x80000000ul >> 12) << 10 | 0xcf;
    uint64_t vs_atp = ATP_MODE_SV39 | ((uintptr_t)vs_root >> 12);
    uint64_t satp0 = csr_read(satp);
    uint64_t sa = rt_run(VS, FN(vs_satp_write), (long)vs_atp);
    check_outcome(G, "VS: satp write and read do not trap (VTVM = 0)", R_VSCSR, rt_ntraps() == 0, trap_desc());
    check_eq(G, "VS satp write lands in vsatp", R_VSCSR, csr_read(vsatp), vs_atp);
    check_eq(G, "VS satp read returns vsatp", R_VSCSR, sa, vs_atp);
    check_eq(G, "VS satp write leaves HS satp", R_VSCSR, csr_read(satp), satp0);
    rt_trap_reset();
    sa = rt_run(VS, FN(vs_satp_write), (long)((1ul << 60) | 0x80060ul));
    check_eq(G, "VS satp write with unsupported mode is ignored (vsatp unchanged)", "priv H 8.2.18 vsatp", csr_read(vsatp),
             vs_atp);
    h_reset();
    return 0;
}
