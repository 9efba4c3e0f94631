package org.duvisor.rv64.hart;

/**
 * The unprivileged CSRs: fflags, frm, fcsr (F extension) and the cycle, time and instret counters
 * (Zicntr). {@code time} ticks at the board's 10 MHz timebase.
 */
public final class UserCsrs {
    static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;
    static final int CYCLE = 0xC00, TIME = 0xC01, INSTRET = 0xC02;

    private UserCsrs() {
    }

    /** fflags, frm and fcsr exist only while mstatus.FS (and vsstatus.FS while V=1) is on; writing them dirties the FP state. */
    private abstract static class FpCsr extends Csr {
        FpCsr(int address, String name) {
            super(address, name);
        }

        @Override
        public boolean accessible(Hart h, boolean write) {
            if (!h.floatingPointOn()) return false;
            if (write) h.markFloatingPointDirty();
            return true;
        }
    }

    /** A counter lower modes may read only when mcounteren (and, for U, scounteren) allow it (3.1.11). */
    public static Csr counter(int address, String name, java.util.function.LongSupplier value) {
        int bit = address & 31;
        return new Csr(address, name) {
            @Override
            public boolean accessible(Hart h, boolean write) {
                if (h.privilege < Privilege.MACHINE && (h.machineCounterEnable >>> bit & 1) == 0) return false;
                return h.privilege != Privilege.USER || (h.supervisorCounterEnable >>> bit & 1) != 0;
            }

            @Override
            public long read(Hart h) {
                return value.getAsLong();
            }

            @Override
            public void write(Hart h, long v) {
                throw new IllegalStateException(name + " is read-only");
            }
        };
    }

    static void install(Hart hart) {
        CsrFile csrs = hart.csrs;
        csrs.register(new FpCsr(FFLAGS, "fflags") {
            @Override
            public long read(Hart h) {
                return h.fflags.bits;
            }

            @Override
            public void write(Hart h, long v) {
                h.fflags.bits = (int) v & 0x1F;
            }
        });
        csrs.register(new FpCsr(FRM, "frm") {
            @Override
            public long read(Hart h) {
                return h.frm;
            }

            @Override
            public void write(Hart h, long v) {
                h.frm = (int) v & 7;
            }
        });
        csrs.register(new FpCsr(FCSR, "fcsr") {
            @Override
            public long read(Hart h) {
                return h.fcsr();
            }

            @Override
            public void write(Hart h, long v) {
                h.fflags.bits = (int) v & 0x1F;
                h.frm = (int) (v >>> 5) & 7;
            }
        });
        // Without a timing model a cycle is an instruction (the spec allows any monotonic count).
        csrs.register(counter(CYCLE, "cycle", () -> hart.instret));
        csrs.register(counter(INSTRET, "instret", () -> hart.instret));
        long origin = System.nanoTime();
        csrs.register(counter(TIME, "time", () -> (System.nanoTime() - origin) / 100));
    }
}
