/*
 * dv-csr: DV-Ext CSR access rules (M, HS, HU allowed; plain U -> cause 2; VS/VU -> cause 22;
 * sedeleg/sideleg HS/M only), WARL values, the huvs* aliases of the VS CSRs, huie/huip as views
 * of mie/mip bits {0,4,8}, huvip injection, hugatp/hutimedelta separate from hgatp/htimedelta.
 */
#include "dv.h"

#define G "dv-csr"

#define CSRS(X) \
    X(utvec, 0x005, 1) X(uscratch, 0x040, 1) X(uepc, 0x041, 1) X(ucause, 0x042, 1) X(utval, 0x043, 1) \
    X(sedeleg, 0x102, 0) X(sideleg, 0x103, 0) \
    X(hustatus, 0x800, 1) X(huie, 0x804, 1) X(hutimedelta, 0x805, 1) X(hucounteren, 0x806, 1) \
    X(hutval, 0x843, 1) X(huip, 0x844, 1) X(huvip, 0x845, 1) X(hutinst, 0x84a, 1) X(hugatp, 0x880, 1) \
    X(huvsstatus, 0x400, 1) X(huvsie, 0x404, 1) X(huvstvec, 0x405, 1) X(huvsscratch, 0x440, 1) \
    X(huvsepc, 0x441, 1) X(huvscause, 0x442, 1) X(huvstval, 0x443, 1) X(huvsip, 0x444, 1) \
    X(huvsatp, 0x480, 1) X(vtimecmp, 0x401, 1) X(vtimectl, 0x402, 1) X(vcpuid, 0x482, 1) \
    X(vipi0, 0x483, 1) X(vipi1, 0x484, 1) X(vipi2, 0x485, 1) X(vipi3, 0x486, 1)

#define DEF_SITES(n, num, hu) SITE(r_##n, "csrr a0, " #num); SITE(w_##n, "csrw " #num ", a0");
CSRS(DEF_SITES)
#define ENTRY(n, num, hu) { #n, num, hu, r_##n, w_##n },
static const struct { const char *name; unsigned num; int hu; char *rd, *wr; } csrs[] = { CSRS(ENTRY) };
#define NCSR (sizeof csrs / sizeof csrs[0])

/* the huvs* CSRs and their VS twins */
#define VS_PAIRS(X) X(huvsstatus, 0x400, vsstatus) X(huvsie, 0x404, vsie) X(huvstvec, 0x405, vstvec) \
    X(huvsscratch, 0x440, vsscratch) X(huvsepc, 0x441, vsepc) X(huvscause, 0x442, vscause) \
    X(huvstval, 0x443, vstval) X(huvsip, 0x444, vsip) X(huvsatp, 0x480, vsatp)

static long hu_wr_huvsscratch(long v) { csr_write(CSR_HUVSSCRATCH, v); return 0; }
static long hu_rd_huvsscratch(long v) { (void)v; return (long)csr_read(CSR_HUVSSCRATCH); }
static long hs_rd_vsscratch(long v) { (void)v; return (long)csr_read(vsscratch); }
static long hs_wr_vsscratch(long v) { csr_write(vsscratch, v); return 0; }
static long hu_wr_huie(long v) { csr_write(CSR_HUIE, v); return (long)csr_read(CSR_HUIE); }
static long hu_wr_hustatus(long v) { csr_write(CSR_HUSTATUS, v); return (long)csr_read(CSR_HUSTATUS); }

/* Run a read site and a write site in mode; expect no trap (cause 0) or two traps of cause. */
static void access(int i, const char *mname, int mode, int hu, uint64_t cause, int level, int virt)
{
    dv_reset();
    /* the value written is the CSR's current value (read in M through the read site) */
    uint64_t v = (uint64_t)CALL(csrs[i].rd, 0);
    if (hu) csr_set(hstatus, HSTATUS_HU);
    rt_trap_reset();
    rt_run(mode, FN(csrs[i].rd), 0);
    rt_run(mode, FN(csrs[i].wr), (long)v);
    int n = rt_ntraps();
    int ok;
    const char *exp;
    if (!cause) {
        ok = n == 0;
        exp = "no trap";
    } else {
        ok = n == 2 && rt_trap(0)->cause == cause && rt_trap(1)->cause == cause && rt_trap(0)->level == level
             && rt_trap(1)->level == level && rt_trap(0)->virt == virt && rt_trap(1)->virt == virt
             && rt_trap(0)->epc == (uintptr_t)csrs[i].rd && rt_trap(1)->epc == (uintptr_t)csrs[i].wr;
        exp = rt_fmt("cause %lu", cause);
    }
    const char *rule = !csrs[i].hu && hu ? "dv-ext §2 sedeleg/sideleg (HS only)" : mode == PRV_S ? R_STRICT : R_EN;
    check_outcome(G, rt_fmt("%s (0x%03x) read+write from %s -> %s", csrs[i].name, csrs[i].num, mname, exp), rule, ok,
                  trap_desc());
}

int main(void)
{
    dv_present();

    /* ---- access legality */
    for (unsigned i = 0; i < NCSR; i++) {
        dv_reset();
        rt_trap_reset();
        uint64_t v = (uint64_t)CALL(csrs[i].rd, 0);
        CALL(csrs[i].wr, (long)v);
        check_outcome(G, rt_fmt("%s (0x%03x) read+write from M -> no trap", csrs[i].name, csrs[i].num), R_EN,
                      rt_ntraps() == 0, trap_desc());
        access(i, "HS", PRV_S, 0, 0, 0, 0);
        if (csrs[i].hu) access(i, "HU", PRV_U, 1, 0, 0, 0);
        else access(i, "HU", PRV_U, 1, CAUSE_ILLEGAL, PRV_M, 0);
        access(i, "U (hstatus.HU=0)", PRV_U, 0, CAUSE_ILLEGAL, PRV_M, 0);
        access(i, "VS", VS, 0, CAUSE_VIRT_INSN, PRV_M, 1);
        access(i, "VU", VU, 0, CAUSE_VIRT_INSN, PRV_M, 1);
    }
    dv_reset();

    /* ---- hustatus */
    csr_write(CSR_HUSTATUS, ~0ul);
    uint64_t hw = HUS_UIE | HUS_UPIE | HUS_GVA | HUS_UPV | HUS_UPVP | HUS_VTVM | HUS_VTW | HUS_VTSR;
    uint64_t hs = csr_read(CSR_HUSTATUS);
    check_eq(G, "hustatus write all ones: UIE UPIE GVA UPV UPVP VTVM VTW VTSR set", R_HUS, hs & hw, hw);
    check_eq(G, "hustatus.VSXL reads 2 (after writing all ones)", R_HUS, (hs >> 32) & 3, 2);
    csr_write(CSR_HUSTATUS, 0);
    hs = csr_read(CSR_HUSTATUS);
    check_eq(G, "hustatus write 0: the fields clear", R_HUS, hs & hw, 0);
    check_eq(G, "hustatus.VSXL reads 2 (after writing 0)", R_HUS, (hs >> 32) & 3, 2);
    check_eq(G, "hustatus is not hstatus: hstatus.SPV/SPVP/VTW unchanged", R_HUS,
             csr_read(hstatus) & (HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW), 0);
    long r = hu_run(hu_wr_hustatus, (long)(HUS_UPV | HUS_UPVP | HUS_UPIE));
    check_eq(G, "HU writes hustatus (UPV UPVP UPIE)", R_HUS, (uint64_t)r & hw, HUS_UPV | HUS_UPVP | HUS_UPIE);

    /* ---- utvec / uepc / uscratch */
    dv_reset();
    uintptr_t base = (uintptr_t)dv_utrap_vectors;
    csr_write(CSR_UTVEC, base | 1);
    check_eq(G, "utvec vectored (mode 1) round trip", R_CSR, csr_read(CSR_UTVEC), base | 1);
    csr_write(CSR_UTVEC, base);
    check_eq(G, "utvec direct (mode 0) round trip", R_CSR, csr_read(CSR_UTVEC), base);
    csr_write(CSR_UEPC, 0x80001235ul);
    check_eq(G, "uepc bit 0 reads zero (shadow of sepc, IALIGN=16)", "dv-ext §2 uepc / priv 4.1.7", csr_read(CSR_UEPC), 0x80001234ul);
    csr_write(CSR_USCRATCH, 0xfedcba9876543210ul);
    check_eq(G, "uscratch holds 64 bits", R_CSR, csr_read(CSR_USCRATCH), 0xfedcba9876543210ul);
    csr_write(CSR_USCRATCH, dv_ustack_top());

    /* ---- sedeleg / sideleg / mideleg U bits */
    csr_write(CSR_SEDELEG, DV_SEDELEG);
    check_eq(G, "sedeleg holds the control-plane set {10,20,21,22,23}", R_ROUTE, csr_read(CSR_SEDELEG) & DV_SEDELEG, DV_SEDELEG);
    csr_write(CSR_SIDELEG, DV_SIDELEG);
    check_eq(G, "sideleg holds the control-plane set {0,4}", R_ROUTE, csr_read(CSR_SIDELEG) & DV_SIDELEG, DV_SIDELEG);
    csr_write(mideleg, DV_SIDELEG);
    check_eq(G, "mideleg bits 0 (USI) and 4 (UTI) writable (rule 1 needs mideleg[c])", R_ROUTE, csr_read(mideleg) & DV_SIDELEG, DV_SIDELEG);
    csr_write(mideleg, 0);

    /* ---- hugatp / hutimedelta are separate from hgatp / htimedelta */
    dv_reset();
    dv_gstage_build();
    uint64_t ua = ATP_MODE_SV39 | ((uintptr_t)dv_uroot >> 12), ha = ATP_MODE_SV39 | ((uintptr_t)dv_hroot >> 12);
    csr_write(CSR_HUGATP, ua);
    csr_write(hgatp, ha);
    check_eq(G, "hugatp Sv39x4 (mode 8) + PPN round trip", R_CSR, csr_read(CSR_HUGATP), ua);
    check_eq(G, "hgatp unchanged by the hugatp write (separate registers)", R_OWN, csr_read(hgatp), ha);
    csr_write(CSR_HUGATP, ATP_MODE_SV48 | ((uintptr_t)dv_uroot >> 12));
    check_eq(G, "hugatp Sv48x4 (mode 9) round trip", R_CSR, csr_read(CSR_HUGATP), ATP_MODE_SV48 | ((uintptr_t)dv_uroot >> 12));
    csr_write(CSR_HUGATP, 0);
    check_eq(G, "hugatp Bare (mode 0)", R_CSR, csr_read(CSR_HUGATP), 0);
    check_eq(G, "hgatp still unchanged", R_OWN, csr_read(hgatp), ha);
    csr_write(hgatp, 0);
    csr_write(CSR_HTIMEDELTA, 0x1111);
    csr_write(CSR_HUTIMEDELTA, 0xf000000000002222ul);
    check_eq(G, "hutimedelta holds 64 bits", R_CSR, csr_read(CSR_HUTIMEDELTA), 0xf000000000002222ul);
    check_eq(G, "htimedelta separate from hutimedelta", "dv-ext §9 ownership bit (htimedelta vs hutimedelta)", csr_read(CSR_HTIMEDELTA), 0x1111);
    csr_write(CSR_HTIMEDELTA, 0);
    csr_write(CSR_HUTIMEDELTA, 0);

    /* ---- huvs* alias the VS CSRs */
    dv_reset();
#define ALIAS(hn, num, vn) { \
        uint64_t pat = 0x8000000000003f3eul ^ (num); \
        csr_write(vn, 0); csr_write(num, pat); uint64_t a = csr_read(vn), a2 = csr_read(num); \
        csr_write(vn, 0); csr_write(vn, pat); uint64_t b = csr_read(vn), b2 = csr_read(num); \
        check(G, #hn " write is seen in " #vn " (same WARL result as writing " #vn ")", R_CSR, a == b && a2 == a); \
        check(G, #vn " write is seen in " #hn, R_CSR, b2 == b); \
        csr_write(vn, 0); }
    VS_PAIRS(ALIAS)
    csr_write(vsstatus, 1ul << 13);
    rt_trap_reset();
    hu_run(hu_wr_huvsscratch, 0x5a5a1234);
    long got = rt_run(PRV_S, hs_rd_vsscratch, 0);
    check_eq(G, "HU writes huvsscratch, HS reads vsscratch", R_CSR, (uint64_t)got, 0x5a5a1234);
    rt_run(PRV_S, hs_wr_vsscratch, 0x6b6b4321);
    got = hu_run(hu_rd_huvsscratch, 0);
    check_eq(G, "HS writes vsscratch, HU reads huvsscratch", R_CSR, (uint64_t)got, 0x6b6b4321);
    check_eq(G, "no traps in the HU/HS alias runs", R_CSR, rt_ntraps(), 0);

    /* ---- huie / huip views */
    dv_reset();
    csr_write(mie, 0);
    csr_write(CSR_HUIE, ~0ul);
    check_eq(G, "huie write all ones reads bits {0,4,8}", R_CSR, csr_read(CSR_HUIE), U_IRQS);
    check_eq(G, "huie write all ones sets mie bits {0,4,8} and no other", R_CSR, csr_read(mie), U_IRQS);
    csr_write(CSR_HUIE, 0);
    check_eq(G, "huie write 0 clears mie bits {0,4,8}", R_CSR, csr_read(mie) & U_IRQS, 0);
    csr_write(mie, (1ul << IRQ_MTI) | (1ul << IRQ_UTI));
    check_eq(G, "huie shows mie.UTIE set by M, not mie.MTIE", R_CSR, csr_read(CSR_HUIE), 1ul << IRQ_UTI);
    csr_write(mie, 1ul << IRQ_MTI);
    csr_write(CSR_HUIE, 0);
    check_eq(G, "huie write 0 leaves mie.MTIE", R_CSR, csr_read(mie), 1ul << IRQ_MTI);
    csr_write(mie, 0);
    rt_trap_reset();
    r = hu_run(hu_wr_huie, 1ul << IRQ_USI);
    check_eq(G, "HU writes huie.USIE: reads back", R_CSR, (uint64_t)r, 1ul << IRQ_USI);
    check_eq(G, "HU writes huie.USIE: mie bit 0 set", R_CSR, csr_read(mie), 1ul << IRQ_USI);
    csr_write(mie, 0);
    csr_write(CSR_SIDELEG, DV_SIDELEG);
    csr_write(CSR_HUIP, 1ul << IRQ_UTI);
    check_eq(G, "huip write UTIP (sideleg[4]=1) sets mip.UTIP", R_CSR, csr_read(mip) & (1ul << IRQ_UTI), 1ul << IRQ_UTI);
    check_eq(G, "huip reads UTIP", R_CSR, csr_read(CSR_HUIP) & (1ul << IRQ_UTI), 1ul << IRQ_UTI);
    csr_write(CSR_HUIP, 0);
    check_eq(G, "huip write 0 clears mip.UTIP", R_CSR, csr_read(mip) & (1ul << IRQ_UTI), 0);
    csr_write(CSR_SIDELEG, 0);
    csr_write(CSR_HUIP, 1ul << IRQ_UTI);
    check_eq(G, "huip write UTIP with sideleg[4]=0 does nothing (mask = writable & sideleg)", R_CSR,
             csr_read(mip) & (1ul << IRQ_UTI), 0);
    csr_clear(mip, U_IRQS);
    csr_set(mip, 1ul << IRQ_SSI);
    check_eq(G, "huip never shows non-U bits (mip.SSIP set by M)", R_CSR, csr_read(CSR_HUIP) & ~U_IRQS, 0);
    csr_clear(mip, 1ul << IRQ_SSI);

    /* ---- huvip */
    dv_reset();
    csr_write(CSR_HUVIP, ~0ul);
    check_eq(G, "huvip write all ones reads VSSIP|VSTIP|VSEIP only", R_CSR, csr_read(CSR_HUVIP), VS_IRQS);
    check_eq(G, "huvip injection: mip VS bits pending", R_CSR, csr_read(mip) & VS_IRQS, VS_IRQS);
    csr_write(CSR_HUVIP, 0);
    check_eq(G, "huvip write 0: mip VS bits clear", R_CSR, csr_read(mip) & VS_IRQS, 0);

    /* ---- vtimer / vcpuid / vipi values */
    dv_reset();
    csr_write(CSR_VTIMECMP, 0x0123456789abcdeful);
    check_eq(G, "vtimecmp holds 64 bits", R_VT, csr_read(CSR_VTIMECMP), 0x0123456789abcdeful);
    csr_write(CSR_VTIMECMP, ~0ul);
    csr_write(CSR_VTIMECTL, (6 << 1));
    check_eq(G, "vtimectl target 6, disabled: round trip", R_CSR, csr_read(CSR_VTIMECTL), 6 << 1);
    csr_write(CSR_VTIMECTL, (4 << 1) | 1);
    check_eq(G, "vtimectl target 4, enabled: round trip", R_CSR, csr_read(CSR_VTIMECTL), (4 << 1) | 1);
    csr_write(CSR_VTIMECTL, 0);
    csr_write(CSR_VCPUID, 0x1ab);
    check_eq(G, "vcpuid is 8 bits (0x1ab -> 0xab)", R_VIPI, csr_read(CSR_VCPUID), 0xab);
    csr_write(CSR_VCPUID, 0);
    csr_write(CSR_VIPI0, 0x1122334455667788ul);
    csr_write(CSR_VIPI1, 0x99aabbccddeeff00ul);
    csr_write(CSR_VIPI2, 0x0f0f0f0f0f0f0f0ful);
    csr_write(CSR_VIPI3, 0x8000000000000001ul);
    check(G, "vipi0..3 hold four independent 64-bit words", R_VIPI,
          csr_read(CSR_VIPI0) == 0x1122334455667788ul && csr_read(CSR_VIPI1) == 0x99aabbccddeeff00ul
          && csr_read(CSR_VIPI2) == 0x0f0f0f0f0f0f0f0ful && csr_read(CSR_VIPI3) == 0x8000000000000001ul);
    csr_write(CSR_VIPI0, 0); csr_write(CSR_VIPI1, 0); csr_write(CSR_VIPI2, 0); csr_write(CSR_VIPI3, 0);
    dv_reset();
    return 0;
}
