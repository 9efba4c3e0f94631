package org.duvisor.rv64.priv;

import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.hart.PrivilegedInstructions;
import org.duvisor.rv64.isa.Insn;

/**
 * The machine- and supervisor-level state of one hart and what the privileged spec does with it:
 * trap entry with delegation, interrupt selection in the spec's priority order, MRET/SRET, WFI,
 * SFENCE.VMA, and the soft-TLB flush rules (any change of translation regime flushes).
 *
 * <p>Field values are the architectural CSR values; {@link MachineCsrs} and {@link SupervisorCsrs}
 * expose them with their WARL rules.
 */
public final class PrivilegedArchitecture implements PrivilegedInstructions {
    // mstatus fields (3.1.6)
    public static final long SIE = 1L << 1, MIE = 1L << 3, SPIE = 1L << 5, MPIE = 1L << 7, SPP = 1L << 8;
    public static final int MPP_SHIFT = 11, FS_SHIFT = 13;
    public static final long MPP = 3L << MPP_SHIFT, FS = 3L << FS_SHIFT;
    public static final long MPRV = 1L << 17, SUM = 1L << 18, MXR = 1L << 19, TVM = 1L << 20, TW = 1L << 21, TSR = 1L << 22;
    public static final long UXL = 2L << 32, SXL = 2L << 34, SD = 1L << 63;
    /** menvcfg.STCE enables Sstc's stimecmp (Sstc 1.0). */
    public static final long STCE = 1L << 63, FIOM = 1;
    /** Interrupts in the order they are taken when several are pending and enabled (3.1.9). */
    private static final int[] PRIORITY = {11, 3, 7, 9, 1, 5};
    public static final long DELEGABLE_INTERRUPTS = (1 << 1) | (1 << 5) | (1 << 9);
    /** Exceptions S-mode may handle: all but ECALL from M (11) and the reserved 10 and 14. */
    public static final long DELEGABLE_EXCEPTIONS = 0xB3FF;

    public final Hart hart;
    public final InterruptPins pins;
    public final Timebase timebase;
    public final PhysicalBus bus;
    public final Pmp pmp = new Pmp();
    public final PageTableWalker walker;

    /** mstatus without FS (kept in Hart.fpState) and SD (computed); extensions read and write it directly. */
    public long mstatus = UXL | SXL;
    public long medeleg, mideleg, mie, mtvec, stvec, mepc, sepc, mcause, scause, mtval, stval, mscratch, sscratch;
    public long satp, menvcfg, senvcfg, stimecmp = -1L;
    /** mip bits software can write (SSIP, STIP, SEIP); the rest come from {@link #pins} and the timers. */
    long mipSoftware;
    long cycleOffset, instretOffset;
    public final long misa;

    /** Set by WFI: the hart sleeps until an interrupt is pending (3.3.3). */
    public boolean waitingForInterrupt;
    /** Java firmware in place of M-mode software, or null. */
    public MachineTrapHandler firmware;
    /** The H extension, or null (then V is always 0 and the H instructions are illegal). */
    public HypervisorExtension hypervisor;

    public PrivilegedArchitecture(Hart hart, PhysicalBus bus, Timebase timebase) {
        this.hart = hart;
        this.bus = bus;
        this.timebase = timebase;
        this.pins = new InterruptPins(hart);
        this.walker = new PageTableWalker(bus, pmp);
        // RV64 (MXL=2) IMAFDC with S and U modes (3.1.1).
        this.misa = (2L << 62) | letters("IMAFDCSU");
        hart.privileged = this;
        hart.privilege = Privilege.MACHINE;
        hart.fpState = Hart.FS_OFF;
        hart.machineCounterEnable = 0;
        // scounteren's reset value is unspecified; CY, TM and IR set because Linux 6.1 without the SBI
        // PMU driver never writes it, yet its vDSO reads time in U-mode. mcounteren still gates all.
        hart.supervisorCounterEnable = 0x7;
        MachineCsrs.install(this);
        SupervisorCsrs.install(this);
    }

    static long letters(String extensions) {
        long bits = 0;
        for (char c : extensions.toCharArray()) bits |= 1L << (c - 'A');
        return bits;
    }

    // ---- mstatus ----

    public long mstatus() {
        long v = mstatus | ((long) hart.fpState << FS_SHIFT);
        if (hart.fpState == Hart.FS_DIRTY) v |= SD;
        return v;
    }

    /** Writes the writable mstatus fields in {@code mask}; flushes the TLB if the translation regime changed. */
    public void writeMstatus(long value, long mask) {
        long writable = mask & (SIE | MIE | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR);
        long old = mstatus;
        long next = (old & ~writable) | (value & writable);
        if ((next & MPP) == (2L << MPP_SHIFT)) next = (next & ~MPP) | (old & MPP); // MPP=2 is reserved: WARL
        if ((writable & FS) != 0) hart.fpState = (int) ((value & FS) >>> FS_SHIFT);
        mstatus = next & ~FS;
        if (((old ^ next) & (MPRV | MPP | SUM | MXR)) != 0) flushTranslations();
        hart.exitRequest = 1; // enables may have changed: look at interrupts again
    }

    // ---- interrupts ----

    /** The architectural mip: software bits, device lines, and both timers compared against time. */
    public long mip() {
        long v = mipSoftware | pins.lines();
        long now = timebase.now();
        if (Long.compareUnsigned(now, pins.mtimecmp()) >= 0) v |= 1L << InterruptPins.MTIP;
        if ((menvcfg & STCE) != 0) {
            v &= ~(1L << InterruptPins.STIP);
            if (Long.compareUnsigned(now, stimecmp) >= 0) v |= 1L << InterruptPins.STIP;
        }
        return v;
    }

    /** mip as CSRRS/CSRRC see it: SEIP is the software-writable bit only, not the PLIC's line (3.1.9). */
    public long mipForUpdate() {
        long seip = 1L << InterruptPins.SEIP;
        return (mip() & ~seip) | (mipSoftware & seip);
    }

    public void writeMipSoftware(long value, long mask) {
        long writable = mask & ((1L << InterruptPins.SSIP) | (1L << InterruptPins.SEIP)
                | ((menvcfg & STCE) == 0 ? 1L << InterruptPins.STIP : 0));
        mipSoftware = (mipSoftware & ~writable) | (value & writable);
        // An IPI delivered by firmware sets the SSIP line; software clearing SSIP clears it too.
        if ((writable & (1L << InterruptPins.SSIP)) != 0 && (value & (1L << InterruptPins.SSIP)) == 0) {
            pins.set(InterruptPins.SSIP, false);
        }
        hart.exitRequest = 1;
    }

    /** The interrupt to take now, or -1 (3.1.9: M-level first, each level in priority order). */
    public int interruptToTake() {
        if (hypervisor != null) return hypervisor.interruptToTake();
        return baseInterruptToTake();
    }

    /** The base rule without the H extension (3.1.9). */
    public int baseInterruptToTake() {
        long pending = mip() & mie;
        if (pending == 0) return -1;
        int p = hart.privilege;
        long m = pending & ~mideleg;
        if (m != 0 && (p < Privilege.MACHINE || (mstatus & MIE) != 0)) return highest(m);
        long s = pending & mideleg;
        if (s != 0 && (p < Privilege.SUPERVISOR || p == Privilege.SUPERVISOR && (mstatus & SIE) != 0)) return highest(s);
        return -1;
    }

    public static int highest(long set) {
        for (int bit : PRIORITY) if ((set >>> bit & 1) != 0) return bit;
        return Long.numberOfTrailingZeros(set);
    }

    /** WFI resumes when any interrupt is pending and locally enabled, whatever the global enables (3.3.3). */
    public boolean wakesFromWfi() {
        if (hypervisor != null) return hypervisor.wakesFromWfi();
        return (mip() & mie) != 0;
    }

    /** Host nanoseconds until the next enabled timer may fire, or Long.MAX_VALUE. */
    public long nanosToNextTimer() {
        long best = Long.MAX_VALUE;
        if ((mie >>> InterruptPins.MTIP & 1) != 0 && pins.mtimecmp() != -1L) best = timebase.nanosUntil(pins.mtimecmp());
        if ((mie >>> InterruptPins.STIP & 1) != 0 && (menvcfg & STCE) != 0 && stimecmp != -1L) {
            best = Math.min(best, timebase.nanosUntil(stimecmp));
        }
        return best;
    }

    // ---- traps ----

    /** Enters the trap handler for a pending exception or an interrupt, at the hart's current pc (3.1.6.1, 3.1.8, 4.1.1). */
    public void enterTrap(int cause, boolean interrupt, long trapValue) {
        if (hypervisor != null && hypervisor.enterTrap(cause, interrupt, trapValue)) return;
        int from = hart.privilege;
        long deleg = interrupt ? mideleg : medeleg;
        boolean toSupervisor = from <= Privilege.SUPERVISOR && (deleg >>> cause & 1) != 0;
        if (!toSupervisor && firmware != null && firmware.handle(this, cause, interrupt, trapValue)) return;
        long causeValue = interrupt ? (1L << 63) | cause : cause;
        if (toSupervisor) {
            scause = causeValue;
            sepc = hart.pc;
            stval = trapValue;
            long s = mstatus & ~(SPIE | SPP | SIE);
            if ((mstatus & SIE) != 0) s |= SPIE;
            if (from == Privilege.SUPERVISOR) s |= SPP;
            mstatus = s;
            setPrivilege(Privilege.SUPERVISOR);
            hart.pc = vector(stvec, cause, interrupt);
        } else {
            mcause = causeValue;
            mepc = hart.pc;
            mtval = trapValue;
            long m = mstatus & ~(MPIE | MPP | MIE);
            if ((mstatus & MIE) != 0) m |= MPIE;
            m |= (long) from << MPP_SHIFT;
            mstatus = m;
            setPrivilege(Privilege.MACHINE);
            if ((m & MPRV) != 0) flushTranslations(); // MPP changed, and with it the data privilege
            hart.pc = vector(mtvec, cause, interrupt);
        }
    }

    /** Redirects a trap to S-mode as if it were delegated (firmware forwarding an exception it cannot handle). */
    public void redirectToSupervisor(int cause, boolean interrupt, long trapValue) {
        long savedDeleg = interrupt ? mideleg : medeleg;
        if (interrupt) mideleg |= 1L << cause; else medeleg |= 1L << cause;
        MachineTrapHandler fw = firmware;
        firmware = null;
        enterTrap(cause, interrupt, trapValue);
        firmware = fw;
        if (interrupt) mideleg = savedDeleg; else medeleg = savedDeleg;
    }

    /** An xtvec write (3.1.7): MODE 0 (direct) or 1 (vectored); the reserved modes leave it direct (WARL). */
    public static long tvec(long v) {
        return (v & 3) <= 1 ? v & ~2L : v & ~3L;
    }

    public static long vector(long tvec, int cause, boolean interrupt) {
        long base = tvec & ~3L;
        return (tvec & 3) == 1 && interrupt ? base + 4L * cause : base;
    }

    /** Changes the current privilege; the soft TLB caches one regime, so it is flushed. */
    public void setPrivilege(int privilege) {
        setMode(privilege, false);
    }

    /**
     * Changes privilege and V together (H extension). The soft TLB keeps one set of entries per
     * mode, so this selects the new mode's set instead of flushing: what was cached for the other
     * mode stays valid for it. Anything that changes a mode's translations flushes all sets.
     */
    public void setMode(int privilege, boolean virtual) {
        if (hart.privilege != privilege || hart.virtualMode != virtual) {
            hart.privilege = privilege;
            hart.virtualMode = virtual;
            hart.tlb.selectRegime(privilege | (virtual ? 4 : 0));
        }
        hart.exitRequest = 1;
    }

    /** Drops every cached translation (satp, PMP, privilege or mstatus regime changes; SFENCE.VMA). */
    public void flushTranslations() {
        hart.tlb.flush();
        hart.exitRequest = 1;
    }

    /** Drops the cached translations of virtual address {@code va}'s leaf mapping (SFENCE.VMA rs1). */
    public void flushTranslationsOf(long va) {
        hart.tlb.flushPage(va);
        hart.exitRequest = 1;
    }

    // ---- MRET, SRET, WFI, SFENCE.VMA (3.3) ----

    @Override
    public long execute(Hart h, Insn insn, long pc) {
        if (hypervisor != null) {
            long next = hypervisor.execute(h, insn, pc);
            if (next != HypervisorExtension.NOT_HANDLED) return next;
        }
        int p = h.privilege;
        switch (insn.op) {
            case MRET -> {
                if (p < Privilege.MACHINE) return illegal(insn, pc);
                int target = (int) ((mstatus & MPP) >>> MPP_SHIFT);
                long m = mstatus & ~(MIE | MPP);
                if ((mstatus & MPIE) != 0) m |= MIE;
                m |= MPIE;
                boolean mprvCleared = target != Privilege.MACHINE && (m & MPRV) != 0;
                if (target != Privilege.MACHINE) m &= ~MPRV;
                mstatus = m;
                setMode(target, false);
                if (mprvCleared) flushTranslations(); // M-mode data accesses were translated as MPP's
                return mepc;
            }
            case SRET -> {
                if (p < Privilege.SUPERVISOR || p == Privilege.SUPERVISOR && (mstatus & TSR) != 0) return illegal(insn, pc);
                int target = (mstatus & SPP) != 0 ? Privilege.SUPERVISOR : Privilege.USER;
                long s = mstatus & ~(SIE | SPP | MPRV);
                if ((mstatus & SPIE) != 0) s |= SIE;
                s |= SPIE;
                mstatus = s;
                setMode(target, false); // MPRV is already 0 below M: mret cleared it on the way down
                return sepc;
            }
            case WFI -> {
                if (p == Privilege.USER || p == Privilege.SUPERVISOR && (mstatus & TW) != 0) return illegal(insn, pc);
                waitingForInterrupt = true;
                h.exitRequest = 1;
                return pc + insn.length;
            }
            case SFENCE_VMA -> {
                if (p == Privilege.USER || p == Privilege.SUPERVISOR && (mstatus & TVM) != 0) return illegal(insn, pc);
                // With rs1 = x0 every address; otherwise only the leaf PTE of the address in rs1
                // (4.2.1), which Linux names after each page fault and unmapping of one page. rs2's
                // ASID is not looked at: the TLB keeps no ASIDs, so dropping an address drops it for all.
                if (insn.rs1 == 0) flushTranslations();
                else flushTranslationsOf(h.x[insn.rs1]);
                return pc + insn.length;
            }
            default -> {
                return illegal(insn, pc);
            }
        }
    }

    private long illegal(Insn insn, long pc) {
        hart.raise(Cause.ILLEGAL_INSTRUCTION, insn.bits & 0xFFFF_FFFFL);
        return pc;
    }

    // ---- address translation state for the memory system ----

    /** The privilege that loads and stores use: MPP while MPRV is set in M-mode (3.1.6.3). */
    public int dataPrivilege() {
        int p = hart.privilege;
        return p == Privilege.MACHINE && (mstatus & MPRV) != 0 ? (int) ((mstatus & MPP) >>> MPP_SHIFT) : p;
    }

    /** Whether loads and stores go through two-stage translation now (V=1, MPRV with MPV, or HLV/HSV). */
    public boolean guestData() {
        return hypervisor != null && hypervisor.guestData();
    }

    public boolean sum() {
        return (mstatus & SUM) != 0;
    }

    public boolean mxr() {
        return (mstatus & MXR) != 0;
    }

    public long mstatusRaw() {
        return mstatus;
    }

    /** Forces mstatus fields for firmware setting up a boot (no WARL filtering beyond MPP). */
    public void setMstatusBits(long set, long clear) {
        mstatus = (mstatus | set) & ~clear & ~FS;
        flushTranslations();
    }

    /** minstret / mcycle as architecturally visible (writable by M-mode). */
    public long instret() {
        return hart.instret + instretOffset;
    }

    public long cycle() {
        return hart.instret + cycleOffset;
    }
}
