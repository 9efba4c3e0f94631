/*
 * dv-vipi: vcpuid and the global 256-bit vIPI bitmap (dv-ext §6): mip.USIP == bitmap[vcpuid]
 * (huip bit 0), recomputed on vipi and vcpuid writes, ids in every word; two harts: hart 1
 * with its own vcpuid sees its bit only, and a vIPI sent by hart 1 makes hart 0's running
 * guest exit to HU with ucause 1<<63 | 0 (USI via mideleg && sideleg).
 *
 * Exit-less mode (vcpuid bit 63, EL; the project's control for dv-ext §6 "exit-less variant",
 * defined in hext-delegation's DvExtension.VCPUID_EXITLESS): the bitmap bit drives VSSIP instead
 * of USIP; hypervisor writes of vsip/hip leave the bitmap alone; the guest's VS handler takes the
 * vIPI with no exit and its sip.SSIP clear consumes the bit; VS may write vipi0..3 (set-only,
 * ids of its own VM 8m+1..8m+8, old value reads 0), a plain VS read and any VU access trap
 * (cause 22 -> HU), and without EL every VS access traps (dv-ext §9 strict predicates).
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

/* ---- exit-less mode */
#define EL    (1ul << 63)
#define VSSIP (1ul << IRQ_VSSI)
#define R_EL  "dv-ext §6 exit-less variant (vcpuid.EL)"
SITE(g_vipi_set, "csrs 0x483, a0");
SITE(g_vipi_swap, "csrrw a0, 0x483, a0");
SITE(g_vipi_clear, "csrc 0x483, a0");
SITE(g_vipi_read, "li a0, 0x77\n\tcsrr a0, 0x483");
SITE(g_spin, "li t0, 20000\n1:\taddi t0, t0, -1\n\tbnez t0, 1b");
static void vs_ack_hook(uint64_t c) { (void)c; csr_clear(sip, 1ul << IRQ_SSI); }   /* runs in VS */

static volatile int el_state, el_saw_vssip;
static volatile uint64_t el_post_at;
static void hart1_el(int h)
{
    (void)h;
    csr_write(CSR_VCPUID, EL | 10);
    el_state = 1;
    while (rt_mtime() < el_post_at) ;
    csr_set(CSR_VIPI0, 1ul << 9);                    /* vIPI to vCPU 9 (hart 0, in its guest) */
    el_state = 2;
    uint64_t end = rt_mtime() + TIMEBASE_HZ / 2;
    while (!el_saw_vssip && rt_mtime() < end) if (csr_read(mip) & VSSIP) el_saw_vssip = 1;
    csr_write(CSR_VCPUID, 0);
    el_state = 3;
}
static int el_wait(int s) { uint64_t end = rt_mtime() + TIMEBASE_HZ; while (el_state < s && rt_mtime() < end) ; return el_state >= s; }

/* HU-owned guest set-up with the control plane's delegation and VSSIP enabled in the guest. */
static void el_guest_setup(uint64_t vcpuid)
{
    dv_reset();
    dv_gstage_build();
    dv_gstage_on();
    dv_deleg_default();
    csr_write(mcounteren, 7); csr_write(scounteren, 7); csr_write(CSR_HUCOUNTEREN, 7);
    csr_write(CSR_VCPUID, vcpuid);
    rt_irq_hook[LVL_VS] = 0;
    clear_all();
    rt_trap_reset();
}

static void exitless(void)
{
    dv_reset();
    csr_write(CSR_SIDELEG, DV_SIDELEG);
    csr_write(mideleg, DV_SIDELEG);
    csr_write(hideleg, VS_IRQS);
    clear_all();
    csr_write(CSR_VCPUID, EL | 5);
    check_eq(G, "vcpuid bit 63 (EL) is writable, id stays 8 bits", R_EL, csr_read(CSR_VCPUID), EL | 5);
    set_bit(5, 1);
    check_eq(G, "EL: bitmap[vcpuid] raises mip.VSSIP", R_EL, csr_read(mip) & VSSIP, VSSIP);
    check_eq(G, "EL: bitmap[vcpuid] leaves mip.USIP clear", R_EL, csr_read(mip) & USIP, 0);
    check_eq(G, "EL: huip bit 0 clear", R_EL, csr_read(CSR_HUIP) & USIP, 0);
    check_eq(G, "EL: hvip.VSSIP stays 0 (the bitmap is a separate source)", R_EL, csr_read(hvip) & VSSIP, 0);
    check_eq(G, "EL: hip.VSSIP shows it", R_EL, csr_read(hip) & VSSIP, VSSIP);
    check_eq(G, "EL: vsip.SSIP shows it", R_EL, csr_read(vsip) & (1ul << IRQ_SSI), 1ul << IRQ_SSI);
    csr_write(CSR_VCPUID, 5);
    check(G, "vcpuid write clearing EL: USIP = 1, VSSIP = 0", R_EL, (csr_read(mip) & (USIP | VSSIP)) == USIP);
    csr_write(CSR_VCPUID, EL | 5);
    check(G, "vcpuid write setting EL: USIP = 0, VSSIP = 1", R_EL, (csr_read(mip) & (USIP | VSSIP)) == VSSIP);
    csr_write(vsip, 0);
    check_eq(G, "EL: an M/HS write of vsip.SSIP = 0 keeps bitmap[vcpuid]", R_EL, csr_read(CSR_VIPI0), 1ul << 5);
    csr_clear(hip, VSSIP);
    check_eq(G, "EL: an M/HS clear of hip.VSSIP keeps bitmap[vcpuid]", R_EL, csr_read(CSR_VIPI0), 1ul << 5);
    check_eq(G, "EL: VSSIP still pending", R_EL, csr_read(mip) & VSSIP, VSSIP);
    set_bit(5, 0);
    check_eq(G, "EL: clearing the bit drops VSSIP", R_EL, csr_read(mip) & VSSIP, 0);

    /* ---- the guest writes the bitmap (HU-owned guest on hart 0, vCPU 9: VM ids 9..16) */
    el_guest_setup(EL | 9);
    run_guest(1, g_vipi_set, 1ul << 10);
    check_outcome(G, "EL: csrs vipi0 from VS: no trap", R_STRICT, rt_ntraps() == 0, trap_desc());
    check_eq(G, "EL: VS csrs vipi0 sets bitmap[10] (same VM)", R_EL, csr_read(CSR_VIPI0), 1ul << 10);
    rt_trap_reset();
    run_guest(1, g_vipi_set, (1ul << 8) | (1ul << 17) | (1ul << 40));
    check_eq(G, "EL: VS posts to ids of other VMs (8, 17, 40) are dropped", R_EL, csr_read(CSR_VIPI0), 1ul << 10);
    rt_trap_reset();
    long old = run_guest(1, g_vipi_swap, 1ul << 11);
    check_outcome(G, "EL: csrrw vipi0 from VS: no trap", R_STRICT, rt_ntraps() == 0, trap_desc());
    check_eq(G, "EL: the old value reads as 0 from VS", R_EL, (uint64_t)old, 0);
    check_eq(G, "EL: VS csrrw only sets bits (bitmap[10] kept, [11] set)", R_EL, csr_read(CSR_VIPI0), (1ul << 10) | (1ul << 11));
    rt_trap_reset();
    run_guest(1, g_vipi_clear, 1ul << 10);
    check_eq(G, "EL: VS csrc vipi0 clears nothing", R_EL, csr_read(CSR_VIPI0), (1ul << 10) | (1ul << 11));
    rt_trap_reset();
    run_guest(1, g_vipi_read, 0);
    check_outcome(G, "EL: csrr vipi0 from VS (a plain read) -> HU, cause 22", R_STRICT,
                  one_trap(CAUSE_VIRT_INSN, LVL_HU, 1), trap_desc());
    rt_trap_reset();
    run_guest(0, g_vipi_set, 1ul << 12);
    check_outcome(G, "EL: csrs vipi0 from VU -> HU, cause 22", R_STRICT, one_trap(CAUSE_VIRT_INSN, LVL_HU, 1), trap_desc());
    check_eq(G, "EL: the VU write set nothing", R_STRICT, csr_read(CSR_VIPI0) & (1ul << 12), 0);
    el_guest_setup(9);
    run_guest(1, g_vipi_set, 1ul << 10);
    check_outcome(G, "no EL: csrs vipi0 from VS -> HU, cause 22", R_STRICT, one_trap(CAUSE_VIRT_INSN, LVL_HU, 1), trap_desc());
    check_eq(G, "no EL: the VS write set nothing", R_STRICT, csr_read(CSR_VIPI0), 0);

    /* ---- delivery: the guest's own VS handler, no exit; its sip.SSIP clear consumes the bit */
    el_guest_setup(EL | 9);
    csr_write(CSR_HUIE, 1ul << IRQ_USI);
    csr_set(mie, VSSIP);
    csr_write(vsie, 1ul << IRQ_SSI);
    csr_set(vsstatus, MSTATUS_SIE);
    rt_irq_hook[LVL_VS] = vs_ack_hook;
    set_bit(9, 1);
    run_guest(1, g_spin, 0);
    check_outcome(G, "EL: pending vIPI -> the guest's VS handler (vscause 1<<63 | 1), no exit to HU", R_EL,
                  one_trap(INTR | IRQ_SSI, LVL_VS, 1), trap_desc());
    check_eq(G, "EL: the guest's csrc sip, SSIP cleared bitmap[9]", R_EL, csr_read(CSR_VIPI0), 0);
    check_eq(G, "EL: VSSIP no longer pending", R_EL, csr_read(mip) & VSSIP, 0);

    /* two harts: hart 1 (vCPU 10) posts to vCPU 9 while hart 0 runs its guest; the guest posts back */
    rt_trap_reset();
    uint64_t now = rt_mtime();
    el_post_at = now + TIMEBASE_HZ / 500;
    rt_start_hart(1, hart1_el);
    if (!el_wait(1)) { check(G, "hart 1 starts again", "rt", 0); return; }
    run_guest(1, g_wait, (long)(now + TIMEBASE_HZ / 20));
    int posted = el_wait(2);
    check_outcome(G, "EL: vIPI from hart 1 mid-guest -> the guest's VS handler, no exit to HU", R_EL,
                  posted && one_trap(INTR | IRQ_SSI, LVL_VS, 1), trap_desc());
    if (rt_ntraps()) check(G, "EL: VS handler's sepc inside the guest loop", R_EL,
                           rt_trap(0)->epc >= (uintptr_t)g_wait && rt_trap(0)->epc < (uintptr_t)g_wait + 8);
    check_eq(G, "EL: the guest acknowledged: bitmap[9] = 0", R_EL, csr_read(CSR_VIPI0) & (1ul << 9), 0);
    rt_trap_reset();
    run_guest(1, g_vipi_set, 1ul << 10);
    el_wait(3);
    check(G, "EL: the guest on hart 0 posts to vCPU 10: hart 1 sees mip.VSSIP", R_EL, el_saw_vssip);
    csr_clear(mie, VSSIP);
    csr_write(vsie, 0);
    rt_irq_hook[LVL_VS] = 0;
    csr_write(mcounteren, 0); csr_write(scounteren, 0);
    clear_all();
}

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
    exitless();
    dv_reset();
    csr_write(CSR_VCPUID, 0);
    return 0;
}
