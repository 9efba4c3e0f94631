package org.duvisor.rv64.hart;

import java.util.function.LongSupplier;

/** The table of CSRs a hart implements, indexed by address. */
public final class CsrFile {
    private final Csr[] table = new Csr[4096];

    /**
     * Decides CSR accesses while V=1 (H extension): returns 0 to apply the CSR's own rule, or the
     * exception cause (illegal instruction or virtual instruction). Null without the H extension.
     */
    public interface VirtualAccessRule {
        int check(Hart hart, int address, boolean write);
    }

    public VirtualAccessRule virtualAccessRule;

    public void register(Csr csr) {
        if (table[csr.address] != null) {
            throw new IllegalStateException("CSR 0x" + Integer.toHexString(csr.address) + " registered twice");
        }
        table[csr.address] = csr;
    }

    /** Replaces an existing CSR (an extension refining a base CSR, e.g. adding bits). */
    public void replace(Csr csr) {
        table[csr.address] = csr;
    }

    /** The CSR at {@code address}, or null if this hart does not implement it. */
    public Csr get(int address) {
        return table[address & 0xFFF];
    }

    /** A read-only CSR whose value comes from {@code value}. */
    public static Csr readOnly(int address, String name, LongSupplier value) {
        return new Csr(address, name) {
            @Override
            public long read(Hart hart) {
                return value.getAsLong();
            }

            @Override
            public void write(Hart hart, long v) {
                throw new IllegalStateException(name + " is read-only");
            }
        };
    }
}
