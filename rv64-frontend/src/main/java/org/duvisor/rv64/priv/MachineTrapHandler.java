package org.duvisor.rv64.priv;

/**
 * Firmware written in Java that stands in for M-mode software: it sees every trap that would enter
 * M-mode (SBI calls, machine timer and software interrupts, undelegated exceptions) and either
 * handles it or declines, in which case the trap enters M-mode normally.
 */
public interface MachineTrapHandler {
    /** Handles a trap bound for M-mode; the hart's pc is at the trapping instruction. Returns true if handled. */
    boolean handle(PrivilegedArchitecture arch, int cause, boolean interrupt, long trapValue);
}
