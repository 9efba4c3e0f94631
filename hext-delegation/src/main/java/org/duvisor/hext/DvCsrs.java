package org.duvisor.hext;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.CsrFile;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.priv.PageTableWalker;

/**
 * DV-Ext's CSRs (dv-ext.md §2, §3, §5, §6) with their access predicates: HU-mode, HS and M may use
 * them; plain U-mode gets an illegal instruction; V=1 gets a virtual-instruction exception (through
 * the hart's virtual-access rule); sedeleg/sideleg belong to HS and M only.
 *
 * <p>Beyond dv-ext.md's table: vcpuid bit 63 (EL) selects the exit-less vIPI variant of §6 for the
 * vCPU on the hart, and in that mode VS may write vipi0..3 ({@link DvExtension#VCPUID_EXITLESS}
 * defines it; package-info has the summary).
 */
final class DvCsrs {
    private DvCsrs() {
    }

    /** HU, HS and M may access (V=1 is the virtual-access rule's); {@code hsOnly}: HS and M alone. */
    private static Csr csr(DvExtension d, int address, String name, boolean hsOnly, LongSupplier read, LongConsumer write) {
        Csr.Rule rule = (hart, w) -> !hart.virtualMode && (hart.privilege >= Privilege.SUPERVISOR || !hsOnly && d.inHu());
        return Csr.of(address, name, rule, read, null, write);
    }

    static boolean isDvCsr(int address) {
        return switch (address) {
            case 0x005, 0x040, 0x041, 0x042, 0x043, 0x102, 0x103, 0x800, 0x804, 0x805, 0x806, 0x843, 0x844, 0x845, 0x84A, 0x880,
                 0x400, 0x401, 0x402, 0x404, 0x405, 0x440, 0x441, 0x442, 0x443, 0x444, 0x480, 0x482, 0x483, 0x484, 0x485, 0x486 -> true;
            default -> false;
        };
    }

    static void install(DvExtension d) {
        HExtension x = d.h;
        Hart hart = d.hart;
        CsrFile f = hart.csrs;
        f.register(csr(d, 0x005, "utvec", false, () -> d.utvec, v -> d.utvec = org.duvisor.rv64.priv.PrivilegedArchitecture.tvec(v)));
        f.register(csr(d, 0x040, "uscratch", false, () -> d.uscratch, v -> d.uscratch = v));
        f.register(csr(d, 0x041, "uepc", false, () -> d.uepc, v -> d.uepc = v & ~1L));
        f.register(csr(d, 0x042, "ucause", false, () -> d.ucause, v -> d.ucause = v));
        f.register(csr(d, 0x043, "utval", false, () -> d.utval, v -> d.utval = v));
        f.register(csr(d, 0x102, "sedeleg", true, () -> d.sedeleg, v -> d.sedeleg = v & ((1L << 24) - 1)));
        f.register(csr(d, 0x103, "sideleg", true, () -> d.sideleg, v -> {
            d.sideleg = v & DvExtension.USER_INTERRUPTS;
            hart.exitRequest = 1;
        }));
        f.register(csr(d, 0x800, "hustatus", false, () -> d.hustatus, v -> {
            d.hustatus = HExtension.VSXL | (v & DvExtension.HUSTATUS_WRITABLE);
            hart.exitRequest = 1; // UIE may have enabled an interrupt
        }));
        f.register(csr(d, 0x804, "huie", false, () -> d.arch.mie & DvExtension.USER_INTERRUPTS, v -> {
            d.arch.mie = (d.arch.mie & ~DvExtension.USER_INTERRUPTS) | (v & DvExtension.USER_INTERRUPTS);
            hart.exitRequest = 1;
        }));
        f.register(csr(d, 0x805, "hutimedelta", false, () -> d.hutimedelta, v -> d.hutimedelta = v));
        f.register(csr(d, 0x806, "hucounteren", false, () -> d.hucounteren, v -> d.hucounteren = v & 0xFFFF_FFFFL));
        f.register(csr(d, 0x843, "hutval", false, () -> d.hutval, v -> d.hutval = v));
        f.register(csr(d, 0x844, "huip", false, () -> x.mip() & DvExtension.USER_INTERRUPTS, v -> {
            long writable = DvExtension.USER_INTERRUPTS & d.sideleg;
            d.huvip = (d.huvip & ~writable) | (v & writable);
            d.vtimerLatched &= ~(writable & ~v);
            hart.exitRequest = 1;
        }));
        f.register(csr(d, 0x845, "huvip", false, () -> x.hvip, v -> {
            x.hvip = v & HExtension.VS_INTERRUPTS;
            d.vtimerLatched &= ~(HExtension.VS_INTERRUPTS & ~v);
            hart.exitRequest = 1;
        }));
        f.register(csr(d, 0x84A, "hutinst", false, () -> d.hutinst, v -> d.hutinst = v));
        f.register(csr(d, 0x880, "hugatp", false, () -> d.hugatp, v -> {
            int mode = (int) (v >>> 60);
            if (mode != 0 && mode != PageTableWalker.HGATP_SV39X4 && mode != PageTableWalker.HGATP_SV48X4) return;
            d.hugatp = mode == 0 ? 0 : v & ~(3L << 58) & ~3L;
            d.arch.flushTranslations();
        }));
        // The guest's VS CSRs as HU sees them while V=0 (huvs*).
        f.register(csr(d, 0x400, "huvsstatus", false, () -> f.get(0x200).read(hart), v -> f.get(0x200).write(hart, v)));
        f.register(csr(d, 0x404, "huvsie", false, () -> f.get(0x204).read(hart), v -> f.get(0x204).write(hart, v)));
        f.register(csr(d, 0x405, "huvstvec", false, () -> f.get(0x205).read(hart), v -> f.get(0x205).write(hart, v)));
        f.register(csr(d, 0x440, "huvsscratch", false, () -> x.vsscratch, v -> x.vsscratch = v));
        f.register(csr(d, 0x441, "huvsepc", false, () -> x.vsepc, v -> x.vsepc = v & ~1L));
        f.register(csr(d, 0x442, "huvscause", false, () -> x.vscause, v -> x.vscause = v));
        f.register(csr(d, 0x443, "huvstval", false, () -> x.vstval, v -> x.vstval = v));
        f.register(csr(d, 0x444, "huvsip", false, () -> f.get(0x244).read(hart), v -> f.get(0x244).write(hart, v)));
        f.register(csr(d, 0x480, "huvsatp", false, () -> f.get(0x280).read(hart), v -> f.get(0x280).write(hart, v)));
        f.register(csr(d, 0x401, "vtimecmp", false, () -> d.vtimecmp, v -> {
            d.vtimecmp = v;
            d.vtimerLatched = 0; // re-evaluated against the new compare value
            hart.exitRequest = 1;
        }));
        f.register(csr(d, 0x402, "vtimectl", false, () -> d.vtimectl, v -> {
            d.vtimectl = v & 0x7F;
            hart.exitRequest = 1;
        }));
        f.register(csr(d, 0x482, "vcpuid", false, d::vcpuidValue, d::setVcpuid));
        for (int k = 0; k < 4; k++) f.register(new VipiWord(d, k));
    }

    static boolean isVipi(int address) {
        return address >= 0x483 && address <= 0x486;
    }

    /**
     * CSR accesses from V=1 to DV-Ext CSRs raise virtual-instruction exceptions (§1), except
     * writes to vipi0..3 from VS in exit-less vIPI mode (§9 "Strict predicates",
     * {@link DvExtension#VCPUID_EXITLESS}).
     */
    static int virtualAccess(DvExtension d, int address, boolean write) {
        if (!isDvCsr(address)) return 0;
        return isVipi(address) && write && d.guestMayPostVipi() ? 0 : Cause.VIRTUAL_INSTRUCTION;
    }

    /**
     * vipiK (§6): word K of the global bitmap. From HU, HS and M a CSRRW replaces the word, and a
     * CSRRS/CSRRC changes only the bits it names, atomically, so a post from another hart between
     * its read and its write is not lost (the bitmap is shared by every hart). From VS in exit-less
     * mode a write only posts to the sender's VM and reads as 0 ({@link DvExtension#VCPUID_EXITLESS}).
     */
    private static final class VipiWord extends Csr {
        private final DvExtension d;
        private final int word;

        VipiWord(DvExtension d, int word) {
            super(0x483 + word, "vipi" + word);
            this.d = d;
            this.word = word;
        }

        @Override
        public boolean accessible(Hart hart, boolean write) {
            if (hart.virtualMode) return write && d.guestMayPostVipi();
            return hart.privilege >= Privilege.SUPERVISOR || d.inHu();
        }

        @Override
        public long read(Hart hart) {
            return hart.virtualMode ? 0 : d.vipi(word);
        }

        @Override
        public void write(Hart hart, long value) {
            if (hart.virtualMode) d.postFromGuest(word, value);
            else d.setVipi(word, value);
        }

        @Override
        public void update(Hart hart, long set, long clear) {
            if (hart.virtualMode) d.postFromGuest(word, set); // clearing is not the guest's to do
            else d.updateVipi(word, set, clear);
        }
    }
}
