package org.duvisor.vm;

import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.Hart;

/**
 * CSR accesses made by Java software that stands for code in some mode (the control plane in HS,
 * DuVisor in HU). They go through the hart's CSR table, so every WARL rule applies; the mode's
 * right to the CSR is the caller's design, stated where each plane uses them.
 */
final class Csrs {
    // DV-Ext and H CSR numbers used by the planes (dv-ext.md §2; Privileged ISA 8.2).
    static final int SCOUNTEREN = 0x106, SEDELEG = 0x102, SIDELEG = 0x103, HSTATUS = 0x600, HEDELEG = 0x602, HIDELEG = 0x603;
    static final int MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304;
    static final int UEPC = 0x041, UCAUSE = 0x042, UTVAL = 0x043, HUSTATUS = 0x800, HUTVAL = 0x843, HUVIP = 0x845,
            HUTINST = 0x84A, HUGATP = 0x880, HUVSATP = 0x480, VTIMECMP = 0x401, VTIMECTL = 0x402, VCPUID = 0x482,
            HUVSSTATUS = 0x400, HUVSEPC = 0x441, HUVSCAUSE = 0x442, HUVSTVAL = 0x443, HUVSTVEC = 0x405, HUCOUNTEREN = 0x806,
            VIPI0 = 0x483;
    static final int MENVCFG = 0x30A, STIMECMP = 0x14D, HVIP = 0x645, HTIMEDELTA = 0x605;

    private Csrs() {
    }

    static long read(Hart h, int address) {
        return csr(h, address).read(h);
    }

    static void write(Hart h, int address, long value) {
        csr(h, address).write(h, value);
    }

    /** As CSRRS/CSRRC do: sets {@code set} and clears {@code clear}, leaving the others (atomically where the CSR is shared). */
    static void update(Hart h, int address, long set, long clear) {
        csr(h, address).update(h, set, clear);
    }

    private static Csr csr(Hart h, int address) {
        Csr c = h.csrs.get(address);
        if (c == null) throw new IllegalStateException("hart " + h.hartId + " has no CSR 0x" + Integer.toHexString(address));
        return c;
    }
}
