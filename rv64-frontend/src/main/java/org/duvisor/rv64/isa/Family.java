package org.duvisor.rv64.isa;

/** The instruction family an operation belongs to; each family owns its semantics (package insn). */
public enum Family {
    INTEGER, MULTIPLY, ATOMIC, FLOAT, BITMANIP, CSR, SYSTEM, PRIVILEGED
}
