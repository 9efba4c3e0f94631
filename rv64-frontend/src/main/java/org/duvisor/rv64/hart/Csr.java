package org.duvisor.rv64.hart;

/**
 * One control and status register: its address, name, who may access it, and how it reads and
 * writes. Subclasses are small; extensions register their own into the {@link CsrFile}.
 */
public abstract class Csr {
    public final int address;
    public final String name;

    protected Csr(int address, String name) {
        this.address = address;
        this.name = name;
    }

    /** Whether the hart, in its current mode, may access this CSR at all (else illegal instruction). */
    public boolean accessible(Hart hart, boolean write) {
        return hart.privilege >= ((address >>> 8) & 3);
    }

    public abstract long read(Hart hart);

    /**
     * The value CSRRS/CSRRC combine with their operand. Normally the CSR's value; registers whose
     * read value mixes in bits software cannot write (mip.SEIP, 3.1.9) use only the writable ones.
     */
    public long readForUpdate(Hart hart) {
        return read(hart);
    }

    /** Writes a value (already combined for csrrs/csrrc); read-only CSRs never see this call. */
    public abstract void write(Hart hart, long value);

    /** CSRs at 0xC00-0xFFF (top two address bits set) are read-only (Privileged ISA, "CSR Address Mapping"). */
    public final boolean isReadOnly() {
        return (address >>> 10) == 3;
    }
}
