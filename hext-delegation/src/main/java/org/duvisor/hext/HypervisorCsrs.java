package org.duvisor.hext;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.CsrFile;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.hart.UserCsrs;
import org.duvisor.rv64.priv.InterruptPins;
import org.duvisor.rv64.priv.PageTableWalker;
import org.duvisor.rv64.priv.PrivilegedArchitecture;

/**
 * The H extension's CSRs (8.2): the hypervisor CSRs, the VS CSRs, mtval2/mtinst, the machine CSRs
 * the extension widens (misa.H, mstatus.MPV/GVA, medeleg, mideleg, mie, mip), the S CSRs that
 * stand for their VS twins while V=1, and the rule that turns CSR accesses from VS/VU into
 * virtual-instruction exceptions.
 */
final class HypervisorCsrs {
    private static final long SSTATUS_WRITABLE = PrivilegedArchitecture.SIE | PrivilegedArchitecture.SPIE | PrivilegedArchitecture.SPP
            | PrivilegedArchitecture.FS | PrivilegedArchitecture.SUM | PrivilegedArchitecture.MXR;
    private static final long S_INTERRUPTS = (1L << InterruptPins.SSIP) | (1L << InterruptPins.STIP) | (1L << InterruptPins.SEIP);

    private HypervisorCsrs() {
    }

    /** Hypervisor and VS CSRs: reachable from HS-mode and M-mode only (address bits 9:8 = 2). */
    static final Csr.Rule HYPERVISOR = (hart, w) -> hart.privilege >= Privilege.SUPERVISOR && !hart.virtualMode;

    private static Csr hypervisor(int address, String name, LongSupplier read, LongConsumer write) {
        return Csr.of(address, name, HYPERVISOR, read, null, write);
    }

    /** An S CSR that, while V=1, reads and writes its VS twin instead (8.2: "VS CSRs substitute"). */
    private static Csr redirected(Csr base, LongSupplier vsRead, LongConsumer vsWrite) {
        return new Csr(base.address, base.name) {
            @Override
            public boolean accessible(Hart hart, boolean w) {
                // While V=1 only the address's privilege applies: mstatus.TVM binds HS alone (VTVM is the virtual rule's).
                return hart.virtualMode ? hart.privilege >= Privilege.SUPERVISOR : base.accessible(hart, w);
            }

            @Override
            public long read(Hart hart) {
                return hart.virtualMode ? vsRead.getAsLong() : base.read(hart);
            }

            @Override
            public long readForUpdate(Hart hart) {
                return hart.virtualMode ? vsRead.getAsLong() : base.readForUpdate(hart);
            }

            @Override
            public void write(Hart hart, long value) {
                if (hart.virtualMode) vsWrite.accept(value);
                else base.write(hart, value);
            }
        };
    }

    private static Csr plain(int address, String name, LongSupplier read, LongConsumer write) {
        return Csr.of(address, name, null, read, null, write);
    }

    private static Csr plain(int address, String name, LongSupplier read, LongSupplier readForUpdate, LongConsumer write) {
        return Csr.of(address, name, null, read, readForUpdate, write);
    }

    static void install(HExtension x) {
        PrivilegedArchitecture a = x.arch;
        Hart h = x.hart;
        CsrFile f = h.csrs;

        // Machine level (8.2.13-8.2.16).
        long misa = a.misa | (1L << ('H' - 'A'));
        f.replace(plain(0x301, "misa", () -> misa, v -> { }));
        Csr mstatus = f.get(0x300);
        f.replace(plain(0x300, "mstatus", () -> mstatus.read(h) | (a.mstatus & (HExtension.MPV | HExtension.MGVA)), v -> {
            mstatus.write(h, v);
            a.mstatus = (a.mstatus & ~(HExtension.MPV | HExtension.MGVA)) | (v & (HExtension.MPV | HExtension.MGVA));
        }));
        long delegable = PrivilegedArchitecture.DELEGABLE_EXCEPTIONS | (1L << Cause.ECALL_FROM_VS)
                | (1L << Cause.INSTRUCTION_GUEST_PAGE_FAULT) | (1L << Cause.LOAD_GUEST_PAGE_FAULT)
                | (1L << Cause.VIRTUAL_INSTRUCTION) | (1L << Cause.STORE_GUEST_PAGE_FAULT);
        f.replace(plain(0x302, "medeleg", () -> a.medeleg, v -> a.medeleg = v & delegable));
        // VS-level interrupts are always delegated past M (mideleg bits 10, 6, 2 read-only one).
        f.replace(plain(0x303, "mideleg", () -> a.mideleg | HExtension.VS_INTERRUPTS, v -> {
            a.mideleg = v & (PrivilegedArchitecture.DELEGABLE_INTERRUPTS | (x.dv != null ? DvExtension.USER_INTERRUPTS : 0));
            h.exitRequest = 1;
        }));
        f.replace(plain(0x304, "mie", () -> a.mie, v -> {
            a.mie = v & (0xAAA | HExtension.VS_INTERRUPTS | (x.dv != null ? DvExtension.USER_INTERRUPTS : 0));
            h.exitRequest = 1;
        }));
        f.replace(plain(0x344, "mip", x::mip, () -> a.mipForUpdate() | (x.hvip & HExtension.VS_INTERRUPTS), v -> {
            a.writeMipSoftware(v, -1L);
            x.hvip = (x.hvip & ~(1L << HExtension.VSSIP)) | (v & (1L << HExtension.VSSIP));
        }));
        f.register(plain(0x34B, "mtval2", () -> x.mtval2, v -> x.mtval2 = v));
        f.register(plain(0x34A, "mtinst", () -> x.mtinst, v -> x.mtinst = v));

        // Hypervisor CSRs (8.2.1-8.2.11).
        f.register(hypervisor(0x600, "hstatus", () -> x.hstatus, v -> {
            x.hstatus = HExtension.VSXL | (v & HExtension.HSTATUS_WRITABLE);
        }));
        f.register(hypervisor(0x602, "hedeleg", () -> x.hedeleg, v -> x.hedeleg = v & HExtension.HEDELEG_WRITABLE));
        f.register(hypervisor(0x603, "hideleg", () -> x.hideleg, v -> {
            x.hideleg = v & HExtension.VS_INTERRUPTS;
            h.exitRequest = 1;
        }));
        f.register(hypervisor(0x604, "hie", () -> a.mie & HExtension.VS_INTERRUPTS, v -> {
            a.mie = (a.mie & ~HExtension.VS_INTERRUPTS) | (v & HExtension.VS_INTERRUPTS);
            h.exitRequest = 1;
        }));
        f.register(hypervisor(0x605, "htimedelta", () -> x.htimedelta, v -> x.htimedelta = v));
        f.register(hypervisor(0x606, "hcounteren", () -> x.hcounteren, v -> x.hcounteren = v & 0xFFFF_FFFFL));
        f.register(hypervisor(0x607, "hgeie", () -> 0, v -> { })); // GEILEN = 0: no guest external interrupts
        // henvcfg.STCE (Sstc) is writable while menvcfg.STCE is set and reads as zero otherwise.
        f.register(hypervisor(0x60A, "henvcfg", () -> x.henvcfg & (a.menvcfg | ~PrivilegedArchitecture.STCE), v -> {
            x.henvcfg = v & (PrivilegedArchitecture.FIOM | (a.menvcfg & PrivilegedArchitecture.STCE));
            h.exitRequest = 1;
        }));
        f.register(hypervisor(0x24D, "vstimecmp", () -> x.vstimecmp, v -> {
            x.vstimecmp = v;
            h.exitRequest = 1;
        }));
        f.register(hypervisor(0x643, "htval", () -> x.htval, v -> x.htval = v));
        f.register(hypervisor(0x644, "hip", () -> x.mip() & HExtension.VS_INTERRUPTS, v -> {
            x.hvip = (x.hvip & ~(1L << HExtension.VSSIP)) | (v & (1L << HExtension.VSSIP));
            h.exitRequest = 1;
        }));
        f.register(hypervisor(0x645, "hvip", () -> x.hvip, v -> {
            x.hvip = v & HExtension.VS_INTERRUPTS;
            if (x.dv != null) x.dv.vtimerLatched &= ~(HExtension.VS_INTERRUPTS & ~v);
            h.exitRequest = 1;
        }));
        f.register(hypervisor(0x64A, "htinst", () -> x.htinst, v -> x.htinst = v));
        f.register(hypervisor(0x680, "hgatp", () -> x.hgatp, v -> {
            int mode = (int) (v >>> 60);
            if (mode != 0 && mode != PageTableWalker.HGATP_SV39X4 && mode != PageTableWalker.HGATP_SV48X4) return;
            // VMIDLEN = 14; the root PPN is 16 KiB aligned, so its two low bits are zero (8.2.10).
            x.hgatp = mode == 0 ? 0 : v & ~(3L << 58) & ~3L;
            x.flushGuestTranslations();
        }));
        f.register(Csr.of(0xE12, "hgeip", HYPERVISOR, () -> 0, null, v -> { })); // read-only: CsrOps refuses writes to 0xExx

        // VS CSRs as HS and M see them (8.2.12 onwards).
        f.register(hypervisor(0x200, "vsstatus", () -> vsstatus(x), v -> writeVsstatus(x, v)));
        f.register(hypervisor(0x204, "vsie", () -> vsie(x), v -> writeVsie(x, v)));
        f.register(hypervisor(0x205, "vstvec", () -> x.vstvec, v -> x.vstvec = PrivilegedArchitecture.tvec(v)));
        f.register(hypervisor(0x240, "vsscratch", () -> x.vsscratch, v -> x.vsscratch = v));
        f.register(hypervisor(0x241, "vsepc", () -> x.vsepc, v -> x.vsepc = v & ~1L));
        f.register(hypervisor(0x242, "vscause", () -> x.vscause, v -> x.vscause = v));
        f.register(hypervisor(0x243, "vstval", () -> x.vstval, v -> x.vstval = v));
        f.register(hypervisor(0x244, "vsip", () -> vsip(x), v -> writeVsip(x, v)));
        f.register(hypervisor(0x280, "vsatp", () -> x.vsatp, v -> writeVsatp(x, v)));

        // S CSRs: HS sees only S-level interrupt bits; V=1 reaches the VS twins.
        Csr sie = f.get(0x104), sip = f.get(0x144);
        f.replace(redirected(plain(0x104, "sie", () -> a.mie & a.mideleg & S_INTERRUPTS, v -> sie.write(h, v)),
                () -> vsie(x), v -> writeVsie(x, v)));
        f.replace(redirected(plain(0x144, "sip", () -> a.mip() & a.mideleg & S_INTERRUPTS, v -> sip.write(h, v)),
                () -> vsip(x), v -> writeVsip(x, v)));
        f.replace(redirected(f.get(0x100), () -> vsstatus(x), v -> writeVsstatus(x, v)));
        f.replace(redirected(f.get(0x105), () -> x.vstvec, v -> x.vstvec = PrivilegedArchitecture.tvec(v)));
        f.replace(redirected(f.get(0x140), () -> x.vsscratch, v -> x.vsscratch = v));
        f.replace(redirected(f.get(0x141), () -> x.vsepc, v -> x.vsepc = v & ~1L));
        f.replace(redirected(f.get(0x142), () -> x.vscause, v -> x.vscause = v));
        f.replace(redirected(f.get(0x143), () -> x.vstval, v -> x.vstval = v));
        f.replace(redirected(f.get(0x180), () -> x.vsatp, v -> writeVsatp(x, v)));
        // Sstc: while V=1, stimecmp is vstimecmp (the access rules are in virtualAccess).
        f.replace(redirected(f.get(0x14D), () -> x.vstimecmp, v -> {
            x.vstimecmp = v;
            h.exitRequest = 1;
        }));
        // time reads time + htimedelta while V=1 (8.2.7).
        f.replace(UserCsrs.counter(0xC01, "time", () -> a.timebase.now() + (!h.virtualMode ? 0 : x.guestTimeDelta())));

        f.virtualAccessRule = (hart, address, write) -> virtualAccess(x, hart, address, write);
    }

    /** CSR accesses from VS/VU (8.6.1, "Virtual-instruction exceptions"). */
    private static int virtualAccess(HExtension x, Hart hart, int address, boolean write) {
        if (x.dv != null && DvCsrs.isDvCsr(address)) return DvCsrs.virtualAccess(x.dv, address, write);
        int level = (address >>> 8) & 3;
        if (level == 3) return 0; // M-level: the base rule makes it illegal
        if (level == 2) return Cause.VIRTUAL_INSTRUCTION; // hypervisor and VS CSRs
        if (level == 1) {
            if (hart.privilege == Privilege.USER) return Cause.VIRTUAL_INSTRUCTION;
            if (address == 0x180 && (x.guestTrapControls() & HExtension.VTVM) != 0) return Cause.VIRTUAL_INSTRUCTION;
            if (address == 0x14D) {
                // Sstc: stimecmp in VS is vstimecmp; the M-level enables first, then the HS-level ones.
                if ((x.arch.menvcfg & PrivilegedArchitecture.STCE) == 0 || (hart.machineCounterEnable & 2) == 0) return Cause.ILLEGAL_INSTRUCTION;
                long counteren = x.dv != null && x.dv.huOwned ? x.dv.hucounteren : x.hcounteren;
                if ((x.henvcfg & PrivilegedArchitecture.STCE) == 0 || (counteren & 2) == 0) return Cause.VIRTUAL_INSTRUCTION;
            }
            return 0;
        }
        if (address >= 0xC00 && address <= 0xC1F) {
            int bit = address & 31;
            if ((hart.machineCounterEnable >>> bit & 1) == 0) return Cause.ILLEGAL_INSTRUCTION;
            long counteren = x.dv != null && x.dv.huOwned ? x.dv.hucounteren : x.hcounteren;
            if ((counteren >>> bit & 1) == 0) return Cause.VIRTUAL_INSTRUCTION;
            if (hart.privilege == Privilege.USER && (hart.supervisorCounterEnable >>> bit & 1) == 0) return Cause.VIRTUAL_INSTRUCTION;
            return 0;
        }
        return 0;
    }


    /** vsstatus; its FS field lives in {@code hart.virtualFpState}, which F/D instructions in V=1 check and dirty. */
    private static long vsstatus(HExtension x) {
        long v = x.vsstatus | PrivilegedArchitecture.UXL | (long) x.hart.virtualFpState << PrivilegedArchitecture.FS_SHIFT;
        if (x.hart.virtualFpState == Hart.FS_DIRTY) v |= PrivilegedArchitecture.SD;
        return v;
    }

    private static void writeVsstatus(HExtension x, long v) {
        long old = x.vsstatus;
        x.vsstatus = (old & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE & ~PrivilegedArchitecture.FS);
        x.hart.virtualFpState = (int) ((v & PrivilegedArchitecture.FS) >>> PrivilegedArchitecture.FS_SHIFT);
        if (((old ^ x.vsstatus) & (PrivilegedArchitecture.SUM | PrivilegedArchitecture.MXR)) != 0) x.flushGuestTranslations();
        x.hart.exitRequest = 1;
    }

    /** vsie/vsip: the VS-level bits 2/6/10 delegated by hideleg, seen by the guest as 1/5/9 (8.2.12). */
    private static long vsie(HExtension x) {
        return (x.arch.mie & x.hideleg & HExtension.VS_INTERRUPTS) >>> 1;
    }

    private static void writeVsie(HExtension x, long v) {
        long bits = (v << 1) & x.hideleg & HExtension.VS_INTERRUPTS;
        x.arch.mie = (x.arch.mie & ~(x.hideleg & HExtension.VS_INTERRUPTS)) | bits;
        x.hart.exitRequest = 1;
    }

    private static long vsip(HExtension x) {
        return (x.mip() & x.hideleg & HExtension.VS_INTERRUPTS) >>> 1;
    }

    private static void writeVsip(HExtension x, long v) {
        long ssip = 1L << HExtension.VSSIP;
        if ((x.hideleg & ssip) != 0) {
            x.hvip = (x.hvip & ~ssip) | ((v << 1) & ssip);
            // The guest's own acknowledgement (sip from VS) also consumes an exit-less vIPI (dv-ext §6).
            if (x.hart.virtualMode && (v & 2) == 0 && x.dv != null) x.dv.guestClearedSoftwareInterrupt();
        }
        x.hart.exitRequest = 1;
    }

    private static void writeVsatp(HExtension x, long v) {
        int mode = (int) (v >>> 60);
        if (mode != 0 && mode != PageTableWalker.SATP_SV39 && mode != PageTableWalker.SATP_SV48) return;
        x.vsatp = mode == 0 ? 0 : v;
        x.flushGuestTranslations(); // V-mode TLB entries survive while V=0, so they must go now
    }
}
