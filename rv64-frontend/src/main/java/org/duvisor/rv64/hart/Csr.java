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

    /**
     * CSRRS/CSRRC: sets the bits of {@code set} and clears those of {@code clear} in the value
     * {@link #readForUpdate} gives. A register several harts share overrides this so that the
     * instruction changes only the bits it names, atomically.
     */
    public void update(Hart hart, long set, long clear) {
        write(hart, (readForUpdate(hart) & ~clear) | set);
    }

    /** Who may access a CSR, in place of the address's privilege rule. */
    @FunctionalInterface
    public interface Rule {
        boolean allows(Hart hart, boolean write);
    }

    /** The rule the address encodes (Privileged ISA 2.1): bits 9:8 are the lowest privilege that may access it. */
    public static boolean addressAllows(Hart hart, int address) {
        return hart.privilege >= ((address >>> 8) & 3);
    }

    /**
     * A CSR made of functions: {@code rule} decides access (null: the address's rule), {@code read}
     * gives the value, {@code readForUpdate} the CSRRS/CSRRC base (null: the value), {@code write}
     * takes a write. Extensions define their CSRs this way.
     */
    public static Csr of(int address, String name, Rule rule, java.util.function.LongSupplier read,
                         java.util.function.LongSupplier readForUpdate, java.util.function.LongConsumer write) {
        return new Csr(address, name) {
            @Override
            public boolean accessible(Hart hart, boolean writes) {
                return rule == null ? super.accessible(hart, writes) : rule.allows(hart, writes);
            }

            @Override
            public long read(Hart hart) {
                return read.getAsLong();
            }

            @Override
            public long readForUpdate(Hart hart) {
                return readForUpdate == null ? read.getAsLong() : readForUpdate.getAsLong();
            }

            @Override
            public void write(Hart hart, long value) {
                write.accept(value);
            }
        };
    }

    /** CSRs at 0xC00-0xFFF (top two address bits set) are read-only (Privileged ISA, "CSR Address Mapping"). */
    public final boolean isReadOnly() {
        return (address >>> 10) == 3;
    }
}
