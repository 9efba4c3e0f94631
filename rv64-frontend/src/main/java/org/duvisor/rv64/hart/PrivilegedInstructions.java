package org.duvisor.rv64.hart;

import org.duvisor.rv64.isa.Insn;

/**
 * Semantics of SRET, MRET, WFI and SFENCE.VMA, supplied by the privileged-architecture model of a
 * full-system machine. A hart without one (a Linux user-mode process) runs only in U-mode, where
 * these instructions are illegal.
 */
public interface PrivilegedInstructions {
    /** Executes one privileged instruction; returns the next pc, or the pc after raising a trap. */
    long execute(Hart hart, Insn insn, long pc);
}
