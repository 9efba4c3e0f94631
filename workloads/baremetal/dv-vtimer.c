/*
 * dv-vtimer: the per-hart virtual timer (dv-ext §5): vtimecmp/vtimectl, target bit 4 (UTIP,
 * HU) and 6 (VSTIP, straight to the guest's VS handler), time + hutimedelta compared,
 * immediate re-evaluation on a vtimecmp write, disabling keeps the pending bit (cleared through
 * huip / huvip); the guest's time CSR adds hutimedelta (HU-owned) or htimedelta (HS-owned).
 * The UTI exit out of a running guest is in dv-route.
 */
#include "dv.h"

#define G "dv-vtimer"
#define UTIP (1ul << IRQ_UTI)
#define VSTIP (1ul << IRQ_VSTI)

SITE(g_spin, "li t0, 20000\n1:\taddi t0, t0, -1\n\tbnez t0, 1b");
SITE(s_rdtime, "rdtime a0");
SITE(hs_enter, "li t0, 0x80\n\tcsrs hstatus, t0\n\t"
               "li t0, 0x100\n\tcsrc sstatus, t0\n\tslli a0, a0, 8\n\tcsrs sstatus, a0\n\t"
               "csrw sepc, a1\n\tmv a0, a2\n\tla ra, rt_lower_return\n\tsret");
static long hs_guest_rdtime(long a) { return ((long (*)(long, uintptr_t, long))(uintptr_t)hs_enter)(1, (uintptr_t)s_rdtime, a); }

static void setup(void)
{
    dv_reset();
    dv_gstage_build();
    dv_gstage_on();
    dv_deleg_default();
    csr_write(mcounteren, 7); csr_write(scounteren, 7);
    csr_write(CSR_HCOUNTEREN, 7); csr_write(CSR_HUCOUNTEREN, 7);
    rt_trap_reset();
}

int main(void)
{
    dv_present();
    setup();

    /* ---- target 4 (UTIP) */
    csr_write(CSR_VTIMECMP, rt_mtime() + TIMEBASE_HZ);
    csr_write(CSR_VTIMECTL, (IRQ_UTI << 1) | 1);
    check_eq(G, "enabled, vtimecmp 1 s ahead: mip.UTIP = 0", R_VT, csr_read(mip) & UTIP, 0);
    csr_write(CSR_VTIMECMP, 0);
    check_eq(G, "vtimecmp write in the past: mip.UTIP at once", R_VT, csr_read(mip) & UTIP, UTIP);
    check_eq(G, "huip.UTIP shows it (sideleg[4]=1)", R_VT, csr_read(CSR_HUIP) & UTIP, UTIP);
    csr_write(CSR_VTIMECTL, IRQ_UTI << 1);
    check_eq(G, "disabling (vtimectl.enable=0) does not clear mip.UTIP", R_VT, csr_read(mip) & UTIP, UTIP);
    csr_clear(CSR_HUIP, UTIP);
    check_eq(G, "software clears UTIP through huip", R_VT, csr_read(mip) & UTIP, 0);
    csr_write(CSR_VTIMECMP, 0);
    check_eq(G, "disabled timer with vtimecmp in the past does not raise UTIP", R_VT, csr_read(mip) & UTIP, 0);
    /* fires later */
    uint64_t cmp = rt_mtime() + TIMEBASE_HZ / 500;       /* 2 ms */
    csr_write(CSR_VTIMECMP, cmp);
    csr_write(CSR_VTIMECTL, (IRQ_UTI << 1) | 1);
    int early = (csr_read(mip) & UTIP) != 0;
    uint64_t seen = 0, end = rt_mtime() + TIMEBASE_HZ / 10;
    while (rt_mtime() < end) if (csr_read(mip) & UTIP) { seen = rt_mtime(); break; }
    check(G, "vtimecmp 2 ms ahead: UTIP not pending at once", R_VT, !early);
    check(G, "vtimecmp 2 ms ahead: UTIP pending within 100 ms", R_VT, seen != 0);
    check(G, "UTIP became pending only once time >= vtimecmp", R_VT, seen >= cmp);
    csr_write(CSR_VTIMECTL, 0);
    csr_clear(CSR_HUIP, UTIP);

    /* ---- hutimedelta is added */
    setup();
    csr_write(CSR_HUTIMEDELTA, 1ul << 40);
    csr_write(CSR_VTIMECMP, rt_mtime() + (1ul << 39));
    csr_write(CSR_VTIMECTL, (IRQ_UTI << 1) | 1);
    check_eq(G, "time + hutimedelta (2^40) >= vtimecmp (time + 2^39): UTIP pending", R_VT, csr_read(mip) & UTIP, UTIP);
    csr_write(CSR_VTIMECTL, 0);
    csr_clear(CSR_HUIP, UTIP);
    csr_write(CSR_HUTIMEDELTA, 0);
    csr_write(CSR_VTIMECMP, rt_mtime() + (1ul << 39));
    csr_write(CSR_VTIMECTL, (IRQ_UTI << 1) | 1);
    check_eq(G, "same vtimecmp with hutimedelta = 0: UTIP not pending", R_VT, csr_read(mip) & UTIP, 0);
    csr_write(CSR_VTIMECTL, 0);
    csr_clear(CSR_HUIP, UTIP);

    /* ---- target 6 (VSTIP): straight to the guest */
    setup();
    csr_write(CSR_VTIMECMP, 0);
    csr_write(CSR_VTIMECTL, (IRQ_VSTI << 1) | 1);
    check_eq(G, "target 6: mip.VSTIP pending", R_VT, csr_read(mip) & VSTIP, VSTIP);
    check_eq(G, "target 6: mip.UTIP not pending", R_VT, csr_read(mip) & UTIP, 0);
    csr_set(mie, VSTIP);
    csr_write(vsie, 1ul << IRQ_STI);
    csr_set(vsstatus, MSTATUS_SIE);
    rt_trap_reset();
    run_guest(1, g_spin, 0);
    check_outcome(G, "target 6: guest VS handler takes the VS timer interrupt (vscause 1<<63 | 5), no exit", R_VT,
                  one_trap(INTR | IRQ_STI, LVL_VS, 1), trap_desc());
    csr_write(CSR_VTIMECTL, IRQ_VSTI << 1);
    check_eq(G, "target 6 disabled: VSTIP stays pending", R_VT, csr_read(mip) & VSTIP, VSTIP);
    csr_write(CSR_HUVIP, 0);
    check_eq(G, "software clears VSTIP through huvip", R_VT, csr_read(mip) & VSTIP, 0);
    csr_clear(mie, VSTIP);
    csr_write(vsie, 0);

    /* ---- guest time: hutimedelta for HU-owned, htimedelta for HS-owned guests */
    setup();
    csr_write(CSR_HUTIMEDELTA, 1ul << 40);
    csr_write(CSR_HTIMEDELTA, 1ul << 44);
    uint64_t t0 = rt_mtime();
    uint64_t g = (uint64_t)run_guest(1, s_rdtime, 0);
    uint64_t t1 = rt_mtime();
    check_outcome(G, "HU-owned guest: rdtime = time + hutimedelta", "dv-ext §2 hutimedelta / §9",
                  rt_ntraps() == 0 && g - (1ul << 40) >= t0 && g - (1ul << 40) <= t1, rt_fmt("guest time 0x%lx, mtime 0x%lx..0x%lx", g, t0, t1));
    t0 = rt_mtime();
    g = (uint64_t)rt_run(PRV_S, hs_guest_rdtime, 0);
    t1 = rt_mtime();
    check_outcome(G, "HS-owned guest: rdtime = time + htimedelta", "dv-ext §9 ownership bit / priv H 8.2.7",
                  rt_ntraps() == 0 && g - (1ul << 44) >= t0 && g - (1ul << 44) <= t1, rt_fmt("guest time 0x%lx, mtime 0x%lx..0x%lx", g, t0, t1));
    csr_write(CSR_HTIMEDELTA, 0);
    csr_write(mcounteren, 0); csr_write(scounteren, 0); csr_write(CSR_HCOUNTEREN, 0);
    dv_reset();
    return 0;
}
