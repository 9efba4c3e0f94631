package org.duvisor.rv64.priv;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.Hart;

/** The machine and supervisor CSR tables' vocabulary, on top of {@link Csr#of}. */
final class CsrDefinitions {
    private CsrDefinitions() {
    }

    static Csr csr(int address, String name, LongSupplier read, LongConsumer write) {
        return Csr.of(address, name, null, read, null, write);
    }

    /** {@code extra} is checked after the address's minimum privilege (e.g. TVM for satp). */
    static Csr csr(int address, String name, Predicate<Hart> extra, LongSupplier read, LongConsumer write) {
        return Csr.of(address, name, (h, w) -> Csr.addressAllows(h, address) && extra.test(h), read, null, write);
    }

    /** With a separate read-modify-write base (mip, sip). */
    static Csr csr(int address, String name, LongSupplier read, LongSupplier readForUpdate, LongConsumer write) {
        return Csr.of(address, name, null, read, readForUpdate, write);
    }

    /** A CSR that reads as zero and ignores writes (unimplemented counters and events, WARL zero). */
    static Csr zero(int address, String name) {
        return csr(address, name, () -> 0, v -> { });
    }
}
