/*
 * dv-vipi: vcpuid and the global 256-bit vIPI bitmap (dv-ext §6): mip.USIP == bitmap[vcpuid]
 * (huip bit 0), recomputed on vipi and vcpuid writes, ids in every word; two harts: hart 1
 * with its own vcpuid sees its bit only, and a vIPI sent by hart 1 makes hart 0's running
 * guest exit to HU with ucause 1<<63 | 0 (USI via mideleg && sideleg).
 */
#include "dv.h"

#define G "dv-vipi"
#define USIP 1ul

SITE(g_wait, "1:\trdtime t0\n\tbltu t0, a0, 1b");
static void set_bit(unsigned id, int on)
{
    uint64_t m = 1ul << (id & 63);
    switch (id >> 6) {
    case 0: if (on) csr_set(CSR_VIPI0, m); else csr_clear(CSR_VIPI0, m); break;
    case 1: if (on) csr_set(CSR_VIPI1, m); else csr_clear(CSR_VIPI1, m); break;
    case 2: if (on) csr_set(CSR_VIPI2, m); else csr_clear(CSR_VIPI2, m); break;
    default: if (on) csr_set(CSR_VIPI3, m); else csr_clear(CSR_VIPI3, m); break;
    }
}
static void clear_all(void) { csr_write(CSR_VIPI0, 0); csr_write(CSR_VIPI1, 0); csr_write(CSR_VIPI2, 0); csr_write(CSR_VIPI3, 0); }
static long hu_send(long id) { set_bit((unsigned)id, 1); return (long)csr_read(CSR_HUIP); }

static volatile int h1_state, h1_cmd, h1_saw_on, h1_saw_off;
static volatile uint64_t h1_delay_until;
static void hart1(int h)
{
    (void)h;
    csr_write(CSR_VCPUID, 12);
    h1_state = 1;
    uint64_t end = rt_mtime() + TIMEBASE_HZ / 2;
    while (!h1_saw_on && rt_mtime() < end) if (csr_read(mip) & USIP) h1_saw_on = 1;
    h1_state = 2;
    end = rt_mtime() + TIMEBASE_HZ / 2;
    while (!h1_saw_off && rt_mtime() < end) if (!(csr_read(mip) & USIP)) h1_saw_off = 1;
    h1_state = 3;
    end = rt_mtime() + TIMEBASE_HZ;
    while (!h1_cmd && rt_mtime() < end) ;
    while (rt_mtime() < h1_delay_until) ;
    csr_set(CSR_VIPI0, 1ul << 5);                    /* vIPI to vCPU 5 (hart 0) */
    csr_write(CSR_VCPUID, 0);
    h1_state = 4;
}
static int wait_state(int s) { uint64_t end = rt_mtime() + TIMEBASE_HZ; while (h1_state < s && rt_mtime() < end) ; return h1_state >= s; }
static void usi_hook(uint64_t c) { (void)c; csr_clear(CSR_VIPI0, 1ul << 5); }

int main(void)
{
    dv_present();
    dv_reset();
    csr_write(CSR_SIDELEG, DV_SIDELEG);
    csr_write(mideleg, DV_SIDELEG);
    clear_all();

    static const unsigned ids[] = { 5, 70, 129, 255 };
    for (unsigned i = 0; i < 4; i++) {
        unsigned id = ids[i];
        csr_write(CSR_VCPUID, id);
        check_eq(G, rt_fmt("vcpuid %u, bitmap empty: mip.USIP = 0", id), R_VIPI, csr_read(mip) & USIP, 0);
        set_bit(id, 1);
        check_eq(G, rt_fmt("vcpuid %u: setting bitmap[%u] (vipi%u bit %u) raises mip.USIP", id, id, id >> 6, id & 63), R_VIPI,
                 csr_read(mip) & USIP, USIP);
        check_eq(G, rt_fmt("vcpuid %u: huip bit 0 shows it", id), R_VIPI, csr_read(CSR_HUIP) & USIP, USIP);
        set_bit(id, 0);
        check_eq(G, rt_fmt("vcpuid %u: clearing the bit drops mip.USIP", id), R_VIPI, csr_read(mip) & USIP, 0);
        set_bit(id ^ 1, 1);
        check_eq(G, rt_fmt("vcpuid %u: another id's bit leaves USIP clear", id), R_VIPI, csr_read(mip) & USIP, 0);
        clear_all();
    }
    /* vcpuid writes recompute */
    csr_write(CSR_VCPUID, 5);
    set_bit(9, 1);
    check_eq(G, "bitmap[9] set, vcpuid 5: USIP = 0", R_VIPI, csr_read(mip) & USIP, 0);
    csr_write(CSR_VCPUID, 9);
    check_eq(G, "vcpuid write 9: USIP recomputed to 1", R_VIPI, csr_read(mip) & USIP, USIP);
    csr_write(CSR_VCPUID, 5);
    check_eq(G, "vcpuid write back to 5: USIP recomputed to 0", R_VIPI, csr_read(mip) & USIP, 0);
    clear_all();
    /* id 0 = no vCPU: not specified whether bitmap[0] raises USIP */
    csr_write(CSR_VCPUID, 0);
    set_bit(0, 1);
    note("vcpuid 0 (\"no vCPU\") with bitmap[0] set: mip.USIP = %lu (not specified)", csr_read(mip) & USIP);
    clear_all();
    /* HU sends */
    csr_write(CSR_VCPUID, 7);
    rt_trap_reset();
    long hip = hu_run(hu_send, 7);
    check_outcome(G, "HU writes vipi0 (own id 7): no trap", R_VIPI, rt_ntraps() == 0, trap_desc());
    check_eq(G, "HU write of its own bit: huip.USIP reads 1 in HU", R_VIPI, (uint64_t)hip & USIP, USIP);
    check_eq(G, "HU write of its own bit: mip.USIP", R_VIPI, csr_read(mip) & USIP, USIP);
    clear_all();

    /* ---- two harts */
    csr_write(CSR_VCPUID, 5);
    rt_start_hart(1, hart1);
    if (!wait_state(1)) { check(G, "hart 1 starts", "rt", 0); return 0; }
    csr_set(CSR_VIPI0, 1ul << 12);
    int s2 = wait_state(2);
    check(G, "hart 0 sets bitmap[12]: hart 1 (vcpuid 12) sees mip.USIP = 1", R_VIPI, s2 && h1_saw_on);
    check_eq(G, "hart 0 (vcpuid 5) USIP stays 0", R_VIPI, csr_read(mip) & USIP, 0);
    csr_clear(CSR_VIPI0, 1ul << 12);
    int s3 = wait_state(3);
    check(G, "hart 0 clears bitmap[12]: hart 1 sees mip.USIP = 0", R_VIPI, s3 && h1_saw_off);

    /* hart 1 sends a vIPI to vCPU 5 while hart 0 runs an HU-owned guest: exit to HU */
    dv_reset();
    dv_gstage_build();
    dv_gstage_on();
    dv_deleg_default();
    csr_write(mcounteren, 7); csr_write(scounteren, 7); csr_write(CSR_HUCOUNTEREN, 7);
    csr_write(CSR_VCPUID, 5);
    csr_write(CSR_HUIE, 1ul << IRQ_USI);
    dv_irq_hook = usi_hook;
    uint64_t now = rt_mtime();
    h1_delay_until = now + TIMEBASE_HZ / 500;
    h1_cmd = 1;
    rt_trap_reset();
    run_guest(1, g_wait, (long)(now + TIMEBASE_HZ / 20));
    wait_state(4);
    check_outcome(G, "vIPI from hart 1 while hart 0 runs the guest -> HU, ucause 1<<63 | 0", R_ROUTE,
                  one_trap(INTR | IRQ_USI, LVL_HU, 1), trap_desc());
    if (rt_ntraps()) check(G, "USI exit: uepc inside the guest loop", R_ROUTE,
                           rt_trap(0)->epc >= (uintptr_t)g_wait && rt_trap(0)->epc < (uintptr_t)g_wait + 8);
    check_eq(G, "HU cleared the bit: mip.USIP = 0", R_VIPI, csr_read(mip) & USIP, 0);
    csr_write(mcounteren, 0); csr_write(scounteren, 0);
    clear_all();
    dv_reset();
    csr_write(CSR_VCPUID, 0);
    return 0;
}
