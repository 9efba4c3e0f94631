package org.duvisor.rv64.priv;

import static org.duvisor.rv64.priv.CsrDefinitions.csr;

import org.duvisor.rv64.hart.CsrFile;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.hart.UserCsrs;

/**
 * The supervisor-level CSRs (Privileged ISA chapter 4): sstatus, sie and sip as restricted views of
 * their machine twins, satp with TVM, Sstc's stimecmp, and the system-mode counters that replace
 * the user-mode process's.
 */
final class SupervisorCsrs {
    static final long SSTATUS_MASK = PrivilegedArchitecture.SIE | PrivilegedArchitecture.SPIE | PrivilegedArchitecture.SPP
            | PrivilegedArchitecture.FS | PrivilegedArchitecture.SUM | PrivilegedArchitecture.MXR
            | PrivilegedArchitecture.UXL | PrivilegedArchitecture.SD;

    private SupervisorCsrs() {
    }

    static void install(PrivilegedArchitecture a) {
        Hart h = a.hart;
        CsrFile f = h.csrs;
        f.register(csr(0x100, "sstatus", () -> a.mstatus() & SSTATUS_MASK, v -> a.writeMstatus(v, SSTATUS_MASK)));
        f.register(csr(0x104, "sie", () -> a.mie & a.mideleg, v -> {
            a.mie = (a.mie & ~a.mideleg) | (v & a.mideleg & 0x222);
            h.exitRequest = 1;
        }));
        f.register(csr(0x105, "stvec", () -> a.stvec, v -> a.stvec = PrivilegedArchitecture.tvec(v)));
        f.register(csr(0x106, "scounteren", () -> h.supervisorCounterEnable & 0xFFFF_FFFFL, v -> h.supervisorCounterEnable = (int) v));
        f.register(csr(0x10A, "senvcfg", () -> a.senvcfg, v -> a.senvcfg = v & PrivilegedArchitecture.FIOM));
        f.register(csr(0x140, "sscratch", () -> a.sscratch, v -> a.sscratch = v));
        f.register(csr(0x141, "sepc", () -> a.sepc, v -> a.sepc = v & ~1L));
        f.register(csr(0x142, "scause", () -> a.scause, v -> a.scause = v));
        f.register(csr(0x143, "stval", () -> a.stval, v -> a.stval = v));
        // Only SSIP is writable through sip, and only when delegated (4.1.3).
        f.register(csr(0x144, "sip", () -> a.mip() & a.mideleg, () -> a.mipForUpdate() & a.mideleg, v -> a.writeMipSoftware(v, a.mideleg & 0x2)));
        // Sstc: stimecmp exists for S-mode only with menvcfg.STCE and mcounteren.TM.
        f.register(csr(0x14D, "stimecmp",
                x -> x.privilege == Privilege.MACHINE || (a.menvcfg & PrivilegedArchitecture.STCE) != 0 && (x.machineCounterEnable & 2) != 0,
                () -> a.stimecmp, v -> {
                    a.stimecmp = v;
                    h.exitRequest = 1;
                }));
        f.register(csr(0x180, "satp",
                x -> x.privilege == Privilege.MACHINE || (a.mstatusRaw() & PrivilegedArchitecture.TVM) == 0,
                () -> a.satp, v -> writeSatp(a, v)));
        // The counters, now from the machine's timebase and with mcycle/minstret offsets.
        f.replace(UserCsrs.counter(0xC00, "cycle", a::cycle));
        f.replace(UserCsrs.counter(0xC01, "time", a.timebase::now));
        f.replace(UserCsrs.counter(0xC02, "instret", a::instret));
        for (int n = 3; n < 32; n++) f.register(UserCsrs.counter(0xC00 + n, "hpmcounter" + n, () -> 0));
    }

    /** satp is WARL: a write selecting an unsupported mode has no effect at all (4.1.11). */
    private static void writeSatp(PrivilegedArchitecture a, long v) {
        int mode = (int) (v >>> 60);
        if (mode != PageTableWalker.SATP_BARE && mode != PageTableWalker.SATP_SV39 && mode != PageTableWalker.SATP_SV48) return;
        a.satp = mode == PageTableWalker.SATP_BARE ? 0 : v;
        a.flushTranslations();
    }
}
