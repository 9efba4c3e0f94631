package org.duvisor.rv64.hart;

/**
 * The unprivileged CSRs: fflags, frm, fcsr (F extension) and the cycle, time and instret counters
 * (Zicntr). {@code time} ticks at the board's 10 MHz timebase.
 */
final class UserCsrs {
    static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;
    static final int CYCLE = 0xC00, TIME = 0xC01, INSTRET = 0xC02;

    private UserCsrs() {
    }

    static void install(Hart hart) {
        CsrFile csrs = hart.csrs;
        csrs.register(new Csr(FFLAGS, "fflags") {
            @Override
            public long read(Hart h) {
                return h.fflags.bits;
            }

            @Override
            public void write(Hart h, long v) {
                h.fflags.bits = (int) v & 0x1F;
            }
        });
        csrs.register(new Csr(FRM, "frm") {
            @Override
            public long read(Hart h) {
                return h.frm;
            }

            @Override
            public void write(Hart h, long v) {
                h.frm = (int) v & 7;
            }
        });
        csrs.register(new Csr(FCSR, "fcsr") {
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
        csrs.register(CsrFile.readOnly(CYCLE, "cycle", () -> hart.instret));
        csrs.register(CsrFile.readOnly(INSTRET, "instret", () -> hart.instret));
        long origin = System.nanoTime();
        csrs.register(CsrFile.readOnly(TIME, "time", () -> (System.nanoTime() - origin) / 100));
    }
}
