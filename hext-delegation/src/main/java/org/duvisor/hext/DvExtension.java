package org.duvisor.hext;

import java.util.concurrent.atomic.AtomicLongArray;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;
import org.duvisor.rv64.priv.PrivilegedArchitecture;

/**
 * DV-Ext on one hart (../shared/design/dv-ext.md; section numbers below are that document's): HU
 * mode, the hu- and huvs- CSRs, sedeleg/sideleg trap routing to HU, huret, the ownership bit that picks
 * hugatp and hutimedelta for guests entered from HU, HULV/HUSV/HUFENCE, the virtual timer, virtual
 * IPIs and the vPMP window. It extends the hart's {@link HExtension}, which calls it at each point
 * where DV-Ext changes the H rules.
 */
public final class DvExtension {
    // hustatus fields (§3)
    static final long UIE = 1, UPIE = 1L << 4, UGVA = 1L << 6, UPV = 1L << 7, UPVP = 1L << 8;
    static final long HUSTATUS_WRITABLE = UIE | UPIE | UGVA | UPV | UPVP | HExtension.VTVM | HExtension.VTW | HExtension.VTSR;
    /** U-level interrupts: USIP 0, UTIP 4, UEIP 8 (§2 huie/huip). */
    static final long USER_INTERRUPTS = (1L << 0) | (1L << 4) | (1L << 8);
    static final int USIP = 0;

    /**
     * vcpuid bit 63, EL: exit-less vIPI mode for the vCPU on this hart (§6 "Exit-less variant", §9
     * "Strict predicates"). The hypervisor that owns the hart sets it with the id (HU for its
     * guests, HS for a kernel-plane guest); the guest cannot see or change it. With EL=1:
     * <ul>
     *   <li>the hart's bitmap bit drives VSSIP instead of USIP: {@code mip.VSSIP = hvip.VSSIP ∨
     *       bitmap[vcpuid]} and {@code mip.USIP = 0}, so a vIPI reaches the running guest with no exit
     *       to HU or HS;
     *   <li>the guest acknowledges it: a write from VS to sip that leaves SSIP 0 (with hideleg
     *       delegating VSSIP, so that the guest owns the bit) clears hvip.VSSIP and bitmap[vcpuid].
     *       Writes by HS, HU or M to vsip, hip, mip, hvip or huvsip change only hvip.VSSIP: a
     *       hypervisor saving and restoring the guest's vsip cannot drop a vIPI posted meanwhile, and
     *       clears bitmap bits through vipi0..3;
     *   <li>VS may write vipi0..3 (VU may not; a plain read stays a virtual-instruction exception).
     *       Such a write only sets bits, and only those of the sender's own VM — ids 8·m+1 … 8·m+8,
     *       the block of this hart's vcpuid under §6's numbering — and the old value reads as 0:
     *       a guest can post vIPIs to its own VM's vCPUs but neither see nor cancel anyone's.
     * </ul>
     * With EL=0 everything is as §6 says: the bitmap drives USIP and V=1 has no access.
     */
    public static final long VCPUID_EXITLESS = 1L << 63;

    /** The machine-wide 256-bit vIPI bitmap and the vcpuid of each hart (§6). */
    public static final class VirtualIpis {
        private final AtomicLongArray bits = new AtomicLongArray(4);
        private final DvExtension[] harts;

        public VirtualIpis(int harts) {
            this.harts = new DvExtension[harts];
        }

        long word(int k) {
            return bits.get(k);
        }

        void setWord(int k, long value) {
            bits.set(k, value);
            changed();
        }

        /** Sets and clears bits of word k atomically (a CSRRS/CSRRC, which must not lose another hart's change). */
        void update(int k, long set, long clear) {
            bits.getAndUpdate(k, w -> (w & ~clear) | set);
            changed();
        }

        private void changed() {
            for (DvExtension d : harts) if (d != null) d.hart.exitRequest = 1; // USIP/VSSIP may have changed anywhere
            for (DvExtension d : harts) if (d != null) d.h.pins().kick();
        }

        /** Clears id's bit; only that id's hart can notice, so no other hart is disturbed. */
        void clear(int vcpuId) {
            bits.getAndUpdate(vcpuId >>> 6, w -> w & ~(1L << (vcpuId & 63)));
        }

        boolean pending(int vcpuId) {
            return vcpuId != 0 && (bits.get(vcpuId >>> 6) >>> (vcpuId & 63) & 1) != 0;
        }

        void attach(DvExtension d) {
            harts[d.hart.hartId] = d;
        }
    }

    final HExtension h;
    final Hart hart;
    final PrivilegedArchitecture arch;
    private final VirtualIpis ipis;

    long utvec, uscratch, uepc, ucause, utval, sedeleg, sideleg, hustatus = HExtension.VSXL;
    long hutimedelta, hucounteren, hutval, huvip, hutinst, hugatp, vtimecmp = -1L, vtimectl;
    int vcpuid;
    /** vcpuid.EL: this hart's vCPU takes vIPIs exit-less ({@link #VCPUID_EXITLESS}). */
    boolean exitlessVipi;
    /** The ownership bit (§9): V-mode was entered by huret (HU-owned: hugatp, hutimedelta, HU routing). */
    boolean huOwned;
    /** While a HULV/HUSV executes: the G-stage is hugatp. */
    boolean userHypervisorAccess;
    /** vPMP (§8): the host frames an HU-owned guest may reach; [base, base + size), size 0 = not set. */
    private long windowBase, windowSize;

    /**
     * When set, a trap routed to HU does not enter utvec: the hart stops with the HU trap state in
     * the hu* CSRs and {@link #exitedToUser} set, and the Java hypervisor that runs it takes over
     * (the fast path of §4; DuVisor's vCPU loop).
     */
    public boolean userLevelInJava;
    public volatile boolean exitedToUser;

    private DvExtension(HExtension h, VirtualIpis ipis) {
        this.h = h;
        this.hart = h.hart;
        this.arch = h.arch;
        this.ipis = ipis;
    }

    /** Adds DV-Ext to a hart that has the H extension. */
    public static DvExtension install(HExtension h, VirtualIpis ipis) {
        DvExtension d = new DvExtension(h, ipis);
        h.dv = d;
        ipis.attach(d);
        DvCsrs.install(d);
        return d;
    }

    /** Whether the hart is in HU-mode: U, V=0, hstatus.HU=1 (§1). */
    boolean inHu() {
        return hart.privilege == Privilege.USER && !hart.virtualMode && (h.hstatus & HExtension.HU) != 0;
    }

    /** Confines HU-owned guests (their accesses and G-stage walks) to host frames [base, base+size) (§8). */
    public void setGuestWindow(long base, long size) {
        windowBase = base;
        windowSize = size;
        arch.flushTranslations();
    }

    /** Device pages the control plane lets the guest reach directly (its vPLIC context page, §7). */
    private final java.util.List<long[]> deviceWindows = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void allowDeviceWindow(long base, long size) {
        deviceWindows.add(new long[]{base, size});
    }

    boolean insideWindow(long pa, long size) {
        if (windowSize == 0 || Long.compareUnsigned(pa - windowBase, windowSize) < 0 && pa - windowBase <= windowSize - size) return true;
        for (long[] w : deviceWindows) {
            if (Long.compareUnsigned(pa - w[0], w[1]) < 0 && pa - w[0] <= w[1] - size) return true;
        }
        return false;
    }

    boolean confined() {
        return huOwned && (hart.virtualMode || userHypervisorAccess) || userHypervisorAccess;
    }

    // ---- pending interrupts (§5, §6) ----

    /**
     * The virtual timer's pending bit, latched: set when the timer is enabled and has expired; kept
     * when the timer is disabled; re-evaluated when vtimecmp is written; cleared by software through
     * huip/huvip (§5).
     */
    long vtimerLatched;

    long pending() {
        long v = huvip & USER_INTERRUPTS;
        if (ipis.pending(vcpuid)) v |= 1L << (exitlessVipi ? HExtension.VSSIP : USIP);
        if ((vtimectl & 1) != 0 && Long.compareUnsigned(arch.timebase.now() + hutimedelta, vtimecmp) >= 0) {
            vtimerLatched |= 1L << ((vtimectl >>> 1) & 63);
        }
        return v | vtimerLatched;
    }

    /** A U-level interrupt (delegated by mideleg and sideleg) to take now, or -1 (§4 "Interrupt pending rule"). */
    int userInterrupt(long pending) {
        long u = pending & USER_INTERRUPTS & arch.mideleg & sideleg;
        if (u == 0) return -1;
        boolean enabled = hart.virtualMode && huOwned || inHu() && (hustatus & UIE) != 0;
        if (!enabled) return -1;
        if ((u >>> 8 & 1) != 0) return 8;
        if ((u & 1) != 0) return 0;
        return 4;
    }

    // ---- trap routing (§4 rule 1) ----

    /** Routes a trap to HU if DV-Ext says so; true if taken. */
    boolean routeToUser(int cause, boolean interrupt, long trapValue, long gpa, long tinst, boolean gva) {
        boolean fromGuest = hart.virtualMode && huOwned;
        if (!fromGuest && !inHu()) return false;
        long m = interrupt ? arch.mideleg : arch.medeleg;
        long s = interrupt ? sideleg : sedeleg;
        if ((m >>> cause & 1) == 0 || (s >>> cause & 1) == 0) return false;
        if (fromGuest) {
            boolean guestPageFault = cause == Cause.INSTRUCTION_GUEST_PAGE_FAULT || cause == Cause.LOAD_GUEST_PAGE_FAULT
                    || cause == Cause.STORE_GUEST_PAGE_FAULT;
            long toGuest = interrupt ? h.hideleg : h.hedeleg;
            if (!guestPageFault && (toGuest >>> cause & 1) != 0) return false; // the guest's own handler
        }
        int from = hart.privilege;
        ucause = interrupt ? (1L << 63) | cause : cause;
        uepc = hart.pc;
        utval = trapValue;
        hutval = gpa;
        hutinst = tinst;
        long st = hustatus & ~(UIE | UPIE | UGVA | UPV | UPVP);
        if ((hustatus & UIE) != 0) st |= UPIE;
        if (gva) st |= UGVA;
        if (fromGuest) st |= UPV | (from == Privilege.SUPERVISOR ? UPVP : 0);
        hustatus = st;
        arch.setMode(Privilege.USER, false);
        hart.pc = PrivilegedArchitecture.vector(utvec, cause, interrupt);
        if (userLevelInJava) {
            exitedToUser = true;
            hart.exitRequest = 1;
        }
        return true;
    }

    // ---- instructions (§4, §8) ----

    /** HURET, HULV/HUSV/HULVX and HUFENCE; NOT_HANDLED for the rest. */
    long execute(Insn insn, long pc) {
        switch (insn.op) {
            case HURET -> {
                if (hart.virtualMode) return h.virtualInstructionAt(insn, pc);
                if (!inHu()) return h.illegalAt(insn, pc);
                return huret();
            }
            case HUFENCE_VVMA, HUFENCE_GVMA -> {
                if (hart.virtualMode) return h.virtualInstructionAt(insn, pc);
                if (!inHu() && hart.privilege == Privilege.USER) return h.illegalAt(insn, pc);
                arch.flushTranslations();
                return pc + insn.length;
            }
            default -> {
                if (isUserLoadStore(insn.op)) {
                    if (hart.virtualMode) return h.virtualInstructionAt(insn, pc);
                    if (hart.privilege == Privilege.USER && !inHu()) return h.illegalAt(insn, pc);
                    userHypervisorAccess = true;
                    try {
                        return h.hypervisorLoadStore(hart, insn, pc, (hustatus & UPVP) != 0);
                    } finally {
                        userHypervisorAccess = false;
                    }
                }
                return org.duvisor.rv64.priv.HypervisorExtension.NOT_HANDLED;
            }
        }
    }

    static boolean isUserLoadStore(Op op) {
        return switch (op) {
            case HULV_B, HULV_BU, HULV_H, HULV_HU, HULVX_HU, HULV_W, HULV_WU, HULVX_WU, HULV_D, HUSV_B, HUSV_H, HUSV_W, HUSV_D -> true;
            default -> false;
        };
    }

    /**
     * huret (§4): pc ← uepc; V ← UPV; privilege ← UPVP; UIE ← UPIE; UPIE ← 1; UPV, UPVP ← 0; a guest
     * entered this way is HU-owned. Java hypervisors call it directly to re-enter the guest.
     */
    public long huret() {
        boolean toV = (hustatus & UPV) != 0;
        // UPVP names VS or VU. With UPV=0 it must not lift HU into HS: the return stays in HU (a
        // decision of this model; dv-ext.md's "privilege ← UPVP" read literally would).
        int target = toV && (hustatus & UPVP) != 0 ? Privilege.SUPERVISOR : Privilege.USER;
        long st = hustatus & ~(UIE | UPV | UPVP);
        if ((hustatus & UPIE) != 0) st |= UIE;
        hustatus = st | UPIE;
        if (toV) huOwned = true;
        exitedToUser = false;
        arch.setMode(target, toV);
        if (toV) h.enteringGuest(); // the G-stage root may differ from the last guest's
        return uepc;
    }

    /** Re-enters the guest from Java (the fast path): as if HU executed huret. */
    public void enterGuest() {
        hart.pc = huret();
    }

    long guestStageRoot() {
        return hugatp;
    }

    long timeDelta() {
        return hutimedelta;
    }

    // ---- the vIPI bitmap as the CSRs see it (§6) ----

    long vcpuidValue() {
        return vcpuid | (exitlessVipi ? VCPUID_EXITLESS : 0);
    }

    void setVcpuid(long v) {
        vcpuid = (int) (v & 0xFF);
        exitlessVipi = (v & VCPUID_EXITLESS) != 0;
        hart.exitRequest = 1; // the bitmap bit now drives another interrupt, or another bit does
    }

    long vipi(int k) {
        return ipis.word(k);
    }

    void setVipi(int k, long v) {
        ipis.setWord(k, v);
    }

    void updateVipi(int k, long set, long clear) {
        ipis.update(k, set, clear);
    }

    /** Whether VS on this hart may write vipi0..3 now (exit-less mode, §9 "Strict predicates"). */
    boolean guestMayPostVipi() {
        return exitlessVipi && hart.virtualMode && hart.privilege == Privilege.SUPERVISOR;
    }

    /** A write from VS to word k: sets the written bits that name vCPUs of the sender's VM, nothing else. */
    void postFromGuest(int k, long bits) {
        long allowed = bits & sameVmIds(vcpuid, k);
        if (allowed != 0) ipis.update(k, allowed, 0);
    }

    /**
     * The ids of word k (ids 64k … 64k+63) in the same VM as id {@code self}: §6 numbers vCPU i of
     * VM m as 8·m + i + 1, so a VM's ids are the block 8·m+1 … 8·m+8. Id 0 belongs to no VM.
     */
    static long sameVmIds(int self, int k) {
        if (self == 0) return 0;
        int first = ((self - 1) & ~7) + 1;
        long mask = 0;
        for (int id = first; id < first + 8 && id < 256; id++) if (id >>> 6 == k) mask |= 1L << (id & 63);
        return mask;
    }

    /** The guest cleared its SSIP from VS: in exit-less mode that acknowledges its vIPI too. */
    void guestClearedSoftwareInterrupt() {
        if (exitlessVipi && vcpuid != 0) ipis.clear(vcpuid);
    }
}
