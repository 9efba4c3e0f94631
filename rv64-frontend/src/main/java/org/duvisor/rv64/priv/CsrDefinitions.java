package org.duvisor.rv64.priv;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.Hart;

/** Small factories for CSRs defined by lambdas: the address's privilege rule, an extra predicate, read, write. */
final class CsrDefinitions {
    private CsrDefinitions() {
    }

    static Csr csr(int address, String name, LongSupplier read, LongConsumer write) {
        return csr(address, name, h -> true, read, write);
    }

    /** {@code extra} is checked after the address's minimum privilege (e.g. TVM for satp). */
    static Csr csr(int address, String name, Predicate<Hart> extra, LongSupplier read, LongConsumer write) {
        return new Csr(address, name) {
            @Override
            public boolean accessible(Hart hart, boolean writes) {
                return super.accessible(hart, writes) && extra.test(hart);
            }

            @Override
            public long read(Hart hart) {
                return read.getAsLong();
            }

            @Override
            public void write(Hart hart, long value) {
                write.accept(value);
            }
        };
    }

    /** Like {@link #csr(int, String, LongSupplier, LongConsumer)} with a separate read-modify-write base. */
    static Csr csr(int address, String name, LongSupplier read, LongSupplier readForUpdate, LongConsumer write) {
        return new Csr(address, name) {
            @Override
            public long read(Hart hart) {
                return read.getAsLong();
            }

            @Override
            public long readForUpdate(Hart hart) {
                return readForUpdate.getAsLong();
            }

            @Override
            public void write(Hart hart, long value) {
                write.accept(value);
            }
        };
    }

    /** A CSR that reads as zero and ignores writes (unimplemented counters and events, WARL zero). */
    static Csr zero(int address, String name) {
        return csr(address, name, () -> 0, v -> { });
    }
}
