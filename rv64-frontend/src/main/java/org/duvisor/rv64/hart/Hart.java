package org.duvisor.rv64.hart;

import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.fp.FloatFlags;

/**
 * Architectural state of one RISC-V hart: integer and FP registers, pc, fcsr, privilege, the CSR
 * table, the LR/SC reservation and the soft TLB through which every access goes. One Java thread
 * runs one hart; other threads touch only what the memory model says they may (guest memory).
 *
 * <p>Traps are recorded, not thrown: {@link #raise} sets {@link #trapPending} with the cause and
 * trap value, and the executing tier stops at the faulting instruction with precise state.
 */
public final class Hart {
    public final int hartId;
    public final long[] x = new long[32];
    /** FP registers as raw 64-bit patterns; singles are NaN-boxed (upper 32 bits all ones). */
    public final long[] f = new long[32];
    public long pc;
    public final FloatFlags fflags = new FloatFlags();
    /** Dynamic rounding mode, fcsr[7:5]. */
    public int frm;
    public int privilege = Privilege.MACHINE;
    /** The virtualization mode V of the H extension: with {@link #privilege} S it is VS-mode, with U VU-mode. */
    public boolean virtualMode;
    public final CsrFile csrs = new CsrFile();
    public final SoftTlb tlb;
    /** Instructions retired, as counted by the executing tier. */
    public long instret;

    /** Address of the LR reservation, or -1. SC compares against {@link #reservationValue}. */
    public long reservationAddress = -1;
    public long reservationValue;

    /** Set by FENCE.I: the executing tier must drop what it decoded or translated before going on. */
    public boolean codeFlushRequested;

    /** Privileged-instruction semantics of a full-system machine, or null for a user-mode process. */
    public PrivilegedInstructions privileged;

    /** Non-zero asks translated code to leave at its next back-edge (interrupts, budget, lockstep). */
    public volatile int exitRequest;

    /** mstatus.FS (Privileged ISA 3.1.6.6): floating-point state off, initial, clean or dirty. */
    public static final int FS_OFF = 0, FS_INITIAL = 1, FS_CLEAN = 2, FS_DIRTY = 3;
    /** A user-mode process has its FP unit always on; a machine resets it to off. */
    public int fpState = FS_DIRTY;
    /**
     * vsstatus.FS (H extension 8.2.11): while V=1 an F/D instruction needs both it and
     * {@link #fpState} on, and marks both dirty. Without the H extension V is never 1.
     */
    public int virtualFpState = FS_DIRTY;

    /** Whether F/D instructions may run now (FS on, and vsstatus.FS too while V=1). */
    public boolean floatingPointOn() {
        return fpState != FS_OFF && !(virtualMode && virtualFpState == FS_OFF);
    }

    /** Whether F/D instructions run without changing any FS field (all relevant ones dirty already). */
    public boolean floatingPointDirty() {
        return fpState == FS_DIRTY && (!virtualMode || virtualFpState == FS_DIRTY);
    }

    /** An F/D instruction or FP CSR write changed the FP state: FS (and vsstatus.FS while V=1) become dirty. */
    public void markFloatingPointDirty() {
        fpState = FS_DIRTY;
        if (virtualMode) virtualFpState = FS_DIRTY;
    }

    /** mcounteren and scounteren: which of cycle/time/instret/hpmN lower modes may read (all, for a process). */
    public int machineCounterEnable = -1, supervisorCounterEnable = -1;

    public boolean trapPending;
    /**
     * Accesses of translated code that fell outside the direct window compiled in for them
     * (counted by the code, collected by the dispatcher after each region run).
     */
    public long windowMisses;
    /**
     * Where a translated access that faulted stood (its pc, and the instructions of its block not
     * retired), for the region that catches the fault ({@code org.duvisor.rv64.dbt.FaultingAccess}).
     */
    public long faultPc;
    public int faultLeft;
    public long trapCause;
    public long trapValue;
    /** With a guest-page fault: the guest physical address >> 2 (htval/mtval2), and htinst/mtinst. */
    public long trapGuestPhysical, trapInstruction;
    /** Whether {@link #trapValue} is a guest virtual address (hstatus.GVA / mstatus.GVA). */
    public boolean trapGuestVirtual;

    public Hart(int hartId, SoftTlb tlb) {
        this.hartId = hartId;
        this.tlb = tlb;
        UserCsrs.install(this);
    }

    /** Records a synchronous exception at the current instruction. */
    public void raise(int cause, long value) {
        trapPending = true;
        trapCause = cause;
        trapValue = value;
        trapGuestPhysical = 0;
        trapInstruction = 0;
        trapGuestVirtual = false;
    }

    /** Records a fault with the H extension's extra trap information. */
    public void raise(int cause, long value, long guestPhysicalShifted, long instruction, boolean guestVirtual) {
        raise(cause, value);
        trapGuestPhysical = guestPhysicalShifted;
        trapInstruction = instruction;
        trapGuestVirtual = guestVirtual;
    }

    public void clearTrap() {
        trapPending = false;
    }

    public int fcsr() {
        return (frm << 5) | fflags.bits;
    }

    /** Sets x[rd], keeping x0 hard-wired to zero. */
    public void setX(int rd, long value) {
        if (rd != 0) x[rd] = value;
    }
}
