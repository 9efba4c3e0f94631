package org.duvisor.rv64.hart;

/** Privilege-level encodings (Privileged ISA, "Privilege Levels"). */
public final class Privilege {
    public static final int USER = 0, SUPERVISOR = 1, MACHINE = 3;

    private Privilege() {
    }
}
