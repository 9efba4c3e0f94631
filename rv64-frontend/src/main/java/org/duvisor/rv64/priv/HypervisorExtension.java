package org.duvisor.rv64.priv;

import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;

/**
 * What the H extension (and DV-Ext on top of it) plugs into a hart's privileged architecture. The
 * frontend knows only V (Hart.virtualMode) and calls these at the points where the base rules
 * would otherwise apply; the implementation lives in the hext-delegation module.
 */
public interface HypervisorExtension {
    /** Returned by {@link #execute} when the base semantics apply. */
    long NOT_HANDLED = Long.MIN_VALUE;

    /** Takes a trap with the H rules (V=1 sources, VS delegation, hstatus/mstatus fields); true if taken. */
    boolean enterTrap(int cause, boolean interrupt, long trapValue);

    /** The interrupt to take now with VS-level interrupts and V considered, or -1. */
    int interruptToTake();

    /** Whether WFI should wake (VS-level interrupts included). */
    boolean wakesFromWfi();

    /**
     * SRET, MRET, WFI and SFENCE.VMA as H changes them, and HLV/HSV/HFENCE; returns the next pc or
     * {@link #NOT_HANDLED}.
     */
    long execute(Hart hart, Insn insn, long pc);

    /** Whether loads and stores now use two-stage translation (V=1, or an HLV/HSV in progress). */
    boolean guestData();

    /**
     * Two-stage translation of {@code va} (H extension 8.5): returns the host physical address and
     * leaves the permissions the combined translation grants in {@link #permissions}, or returns -1
     * with the fault raised in the hart.
     */
    long translate(long va, int access, int size);

    /** After {@link #translate}: Pmp.R/W/X bits the cached combined translation may grant. */
    int permissions();
}
