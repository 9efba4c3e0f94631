package org.duvisor.rv64.priv;

import static org.duvisor.rv64.priv.CsrDefinitions.csr;
import static org.duvisor.rv64.priv.CsrDefinitions.zero;

import org.duvisor.rv64.hart.CsrFile;
import org.duvisor.rv64.hart.Hart;

/** The machine-level CSRs of a Linux-capable RV64 hart (Privileged ISA chapter 3, table 2.5). */
final class MachineCsrs {
    private MachineCsrs() {
    }

    static void install(PrivilegedArchitecture a) {
        Hart h = a.hart;
        CsrFile f = h.csrs;
        f.register(CsrFile.readOnly(0xF11, "mvendorid", () -> 0));
        f.register(CsrFile.readOnly(0xF12, "marchid", () -> 0));
        f.register(CsrFile.readOnly(0xF13, "mimpid", () -> 0));
        f.register(CsrFile.readOnly(0xF14, "mhartid", () -> h.hartId));
        f.register(CsrFile.readOnly(0xF15, "mconfigptr", () -> 0));
        f.register(csr(0x300, "mstatus", a::mstatus, v -> a.writeMstatus(v, -1L)));
        f.register(csr(0x301, "misa", () -> a.misa, v -> { })); // WARL: the extensions cannot be turned off
        f.register(csr(0x302, "medeleg", () -> a.medeleg, v -> a.medeleg = v & PrivilegedArchitecture.DELEGABLE_EXCEPTIONS));
        f.register(csr(0x303, "mideleg", () -> a.mideleg, v -> {
            a.mideleg = v & PrivilegedArchitecture.DELEGABLE_INTERRUPTS;
            h.exitRequest = 1;
        }));
        f.register(csr(0x304, "mie", () -> a.mie, v -> {
            a.mie = v & 0xAAA;
            h.exitRequest = 1;
        }));
        f.register(csr(0x305, "mtvec", () -> a.mtvec, v -> a.mtvec = PrivilegedArchitecture.tvec(v)));
        f.register(csr(0x306, "mcounteren", () -> h.machineCounterEnable & 0xFFFF_FFFFL, v -> h.machineCounterEnable = (int) v));
        f.register(csr(0x30A, "menvcfg", () -> a.menvcfg, v -> {
            a.menvcfg = v & (PrivilegedArchitecture.STCE | PrivilegedArchitecture.FIOM);
            h.exitRequest = 1;
        }));
        // No inhibit is implemented, so every bit is read-only zero (3.1.13 allows that).
        f.register(zero(0x320, "mcountinhibit"));
        f.register(csr(0x340, "mscratch", () -> a.mscratch, v -> a.mscratch = v));
        f.register(csr(0x341, "mepc", () -> a.mepc, v -> a.mepc = v & ~1L));
        f.register(csr(0x342, "mcause", () -> a.mcause, v -> a.mcause = v));
        f.register(csr(0x343, "mtval", () -> a.mtval, v -> a.mtval = v));
        f.register(csr(0x344, "mip", a::mip, a::mipForUpdate, v -> a.writeMipSoftware(v, -1L)));
        for (int reg = 0; reg < 16; reg += 2) {
            int r = reg;
            if (reg * 4 < Pmp.ENTRIES) {
                f.register(csr(0x3A0 + reg, "pmpcfg" + reg, () -> a.pmp.readConfig(r), v -> {
                    a.pmp.writeConfig(r, v);
                    a.flushTranslations();
                }));
            } else {
                f.register(zero(0x3A0 + reg, "pmpcfg" + reg));
            }
        }
        for (int i = 0; i < 64; i++) {
            int e = i;
            if (i < Pmp.ENTRIES) {
                f.register(csr(0x3B0 + i, "pmpaddr" + i, () -> a.pmp.readAddress(e), v -> {
                    a.pmp.writeAddress(e, v);
                    a.flushTranslations();
                }));
            } else {
                f.register(zero(0x3B0 + i, "pmpaddr" + i));
            }
        }
        // Counters: mcycle and minstret count retired instructions; the hpm counters are zero (3.1.10).
        f.register(csr(0xB00, "mcycle", a::cycle, v -> a.cycleOffset = v - h.instret));
        f.register(csr(0xB02, "minstret", a::instret, v -> a.instretOffset = v - h.instret));
        for (int n = 3; n < 32; n++) {
            f.register(zero(0xB00 + n, "mhpmcounter" + n));
            f.register(zero(0x320 + n, "mhpmevent" + n));
        }
    }

}
