package org.duvisor.vm;

import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.priv.PrivilegedArchitecture;

/**
 * One vCPU of the KVM baseline plane (kvm-plane.md): the guest is HS-owned (entered by sret,
 * hgatp), its exits trap to HS where the kernel plane saves the guest's registers into the vCPU
 * structure and restores the host's (the switch-return stub), handles SBI, G-stage faults and WFI in
 * the kernel, and hands device accesses to the user-space VMM through the run structure, which
 * costs a kernel→user and a user→kernel crossing with the VS CSRs saved and restored. Re-entry runs
 * the switch-to stub and sret. Every step is executed, none is skipped or charged without being done.
 * Interrupts take the vanilla or the opt path ({@link VirtualMachine.InterruptConfig}).
 */
public final class KvmVcpu extends VirtualCpu {
    private static final long SLICE = 50_000;
    private static final Insn SRET = Decoder.decode(0x10200073);
    // hstatus / sstatus bits
    private static final long SPV = 1L << 7, SPVP = 1L << 8, SPP = 1L << 8;
    /** mip bits: the host's supervisor timer, the guest's VS timer. */
    private static final int STIP = 5, VSTIP = 6;
    /** sstatus.FS: the guest's FP state (Initial at reset, as KVM resets it), in effect with vsstatus.FS while V=1. */
    private static final long FS = 3L << 13, FS_INITIAL = 1L << 13;
    private static final int SSTATUS = 0x100, STVEC = 0x105, SSCRATCH = 0x140, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143,
            HTVAL = 0x643, HTINST = 0x64A, HGATP = 0x680, HVIP = 0x645;
    /** The VS CSRs a user-space exit saves and restores (kvm-plane.md step 4). */
    private static final int[] VS_CSRS = {0x200, 0x204, 0x205, 0x240, 0x241, 0x242, 0x243, 0x244, 0x280};


    /** The vCPU structure in kernel memory. */
    private final long[] guestGprs = new long[32], hostGprs = new long[32], vsCsrs = new long[VS_CSRS.length];
    private long guestSepc, guestSstatus, guestHstatus;
    private long hostSstatus, hostHstatus, hostScounteren, hostStvec, hostSscratch;

    /** A virtual IPI waiting to be flushed into hvip at the next entry (set by other vCPUs). */
    private volatile boolean ipiPending;
    /** The guest's external interrupt line as the VMM last set it (KVM_INTERRUPT). */
    private volatile boolean externalLine;
    /** A host IPI (sip.SSIP) was sent to make this vCPU re-enter. */
    private volatile boolean hostIpiSent;

    /** The run structure shared with the VMM (exit reason, address, width, data). */
    private boolean mmioPending, mmioIsWrite;
    private long mmioAddress, mmioTinst;

    KvmVcpu(VirtualMachine vm, int id, HostMachine.HostHart hh) {
        super(vm, id, hh);
    }

    @Override
    public void wake() {
        hh.hart().exitRequest = 1;
        hh.arch().pins.kick();
    }

    /** KVM_CREATE_VCPU and the first KVM_SET_REGS: the kernel owns the delegation; the guest starts at entry. */
    @Override
    public void prepare(long entry) {
        Hart h = hh.hart();
        vm.control.setupEntries.incrementAndGet();
        long toKernel = (1L << Cause.ECALL_FROM_VS) | (1L << Cause.INSTRUCTION_GUEST_PAGE_FAULT) | (1L << Cause.LOAD_GUEST_PAGE_FAULT)
                | (1L << Cause.VIRTUAL_INSTRUCTION) | (1L << Cause.STORE_GUEST_PAGE_FAULT);
        write(h, Csrs.MEDELEG, read(h, Csrs.MEDELEG) | toKernel | ControlPlane.GUEST_HEDELEG);
        write(h, Csrs.MIDELEG, read(h, Csrs.MIDELEG) | 0x222);
        write(h, Csrs.HEDELEG, ControlPlane.GUEST_HEDELEG);
        write(h, Csrs.HIDELEG, ControlPlane.GUEST_HIDELEG);
        // The host's SSIE for host IPIs, and STIE for the host timer that stands for the guest's (vanilla).
        write(h, Csrs.MIE, read(h, Csrs.MIE) | ControlPlane.GUEST_HIDELEG | 0x2 | (opt() ? 0 : 1L << STIP));
        write(h, Csrs.SCOUNTEREN, -1L);
        write(h, HGATP, vm.gstage.gatp());
        write(h, 0x606, -1L); // hcounteren
        hh.arch().setMode(Privilege.SUPERVISOR, false);
        guestSepc = entry;
        guestSstatus = SPP | FS_INITIAL; // the guest runs in VS, its FP unit on
        guestHstatus = read(h, Csrs.HSTATUS) | SPV | SPVP | (1L << 21); // VTW: WFI exits to the kernel
        guestGprs[10] = id;
        if (opt()) {
            // Opt: DuVisor's exit-less hardware. vcpuid with EL makes the vIPI bitmap drive the
            // guest's VSSIP (dv-ext.md §6); the devices post through vinterrupts to this VM's vPLIC
            // sources and the guest's claim page is mapped onto its hart's VS context (§7).
            write(h, Csrs.VCPUID, vcpuidValue());
            connectVirtualPlic(h);
        }
    }

    /**
     * KVM_INTERRUPT (set or unset) from the VMM (vanilla): its PLIC model's output for this vCPU's S
     * context changed. The kernel records the guest's external line, flushed into hvip.VSEIP at the
     * next entry, and kicks the vCPU out of the guest with a host IPI when another thread made the
     * call. The ioctl is a host-kernel entry of the thread that makes it.
     */
    void setExternalLine(boolean level) {
        VirtualCpu caller = VirtualCpu.onThisThread();
        if (caller != null) caller.ledger.hostKernelEntries++;
        vm.control.runtimeEntries.incrementAndGet();
        externalLine = level;
        if (level && caller != this) sendHostIpi();
    }

    private boolean opt() {
        return vm.interrupts == VirtualMachine.InterruptConfig.OPT;
    }

    /** The VMM's loop in user space: KVM_RUN until the guest stops, emulating devices on MMIO exits. */
    @Override
    public void run() {
        hh.arch().pins.attach(Thread.currentThread());
        if (id != 0) {
            if (!hsm.await(() -> vm.running)) return;
            guestSepc = hsm.pc();
            guestGprs[10] = id;
            guestGprs[11] = hsm.opaque();
        }
        while (vm.running) {
            boolean userExit = kvmRun();
            if (!userExit) return;
            // User space: the VMM emulates the device access described by the run structure.
            ledger.mmioAccesses++;
        }
    }

    /** The KVM_RUN ioctl: returns true on an exit the VMM must handle, false when the VM stopped. */
    private boolean kvmRun() {
        Hart h = hh.hart();
        ledger.hostKernelEntries++; // user → kernel
        vm.control.runtimeEntries.incrementAndGet();
        if (mmioPending) completeMmio(h);
        PrivilegedArchitecture arch = hh.arch();
        ExecutionEngine engine = hh.engine();
        while (vm.running) {
            switchToGuest(h);
            ledger.hypervisorToGuest++;
            while (h.virtualMode && vm.running) {
                int interrupt = arch.interruptToTake();
                if (interrupt >= 0) arch.enterTrap(interrupt, true, 0);
                if (!h.virtualMode) break;
                h.exitRequest = 0;
                engine.run(SLICE);
                if (h.trapPending) {
                    h.clearTrap();
                    arch.enterTrap((int) h.trapCause, false, h.trapValue);
                }
            }
            if (!vm.running) return false;
            switchReturn(h);
            ledger.hostKernelEntries++; // every exit enters the host kernel
            vm.control.runtimeEntries.incrementAndGet();
            long scause = read(h, SCAUSE);
            ledger.exit(scause);
            if (scause < 0) {
                interruptInKernel(h, (int) (scause & 63));
                continue;
            }
            if (dispatchInKernel(h, (int) scause)) return true;
        }
        return false;
    }

    /** In-kernel exit handling (kvm-plane.md step 3); true when the exit goes on to user space. */
    private boolean dispatchInKernel(Hart h, int cause) {
        switch (cause) {
            case Cause.ECALL_FROM_VS -> {
                // SBI in the kernel works on the saved guest registers.
                loadGuestRegisters(h);
                emulation.sbi(h, ledger, this);
                saveGuestRegisters(h);
                guestSepc += 4;
                return false;
            }
            case Cause.INSTRUCTION_GUEST_PAGE_FAULT, Cause.LOAD_GUEST_PAGE_FAULT, Cause.STORE_GUEST_PAGE_FAULT -> {
                long gpa = (read(h, HTVAL) << 2) | (read(h, STVAL) & 3);
                if (mapsClaimPage(gpa, cause)) return false; // opt: the vPLIC context page
                switch (emulation.guestPageFault(gpa, cause, ledger)) {
                    case MAPPED -> {
                        return false;
                    }
                    case DEVICE -> {
                        // To user space: fill the run structure, save the VS CSRs, kernel → user.
                        mmioPending = true;
                        mmioAddress = gpa;
                        mmioTinst = read(h, HTINST);
                        mmioIsWrite = cause == Cause.STORE_GUEST_PAGE_FAULT;
                        for (int k = 0; k < VS_CSRS.length; k++) vsCsrs[k] = read(h, VS_CSRS[k]);
                        ledger.kernelToUser++;
                        return true;
                    }
                    case BAD_ADDRESS -> {
                        vm.log.printf("dv: kvm vCPU %d: %s at guest-physical 0x%x, neither RAM nor a device%n", id, Cause.name(cause), gpa);
                        vm.stop(72);
                        return false;
                    }
                }
                return false;
            }
            case Cause.VIRTUAL_INSTRUCTION -> {
                if (read(h, STVAL) != ExitEmulation.WFI) {
                    vm.log.printf("dv: kvm vCPU %d: virtual instruction 0x%x%n", id, read(h, STVAL));
                    vm.stop(72);
                    return false;
                }
                emulation.waitForInterrupt(hh.arch());
                guestSepc += 4;
                return false;
            }
            default -> {
                vm.log.printf("dv: kvm vCPU %d: unexpected exit %s%n", id, Cause.name(cause));
                vm.stop(72);
                return false;
            }
        }
    }

    /** KVM_RUN after an MMIO exit: restore the VS CSRs, finish the access into the guest register, step over it. */
    private void completeMmio(Hart h) {
        mmioPending = false;
        for (int k = 0; k < VS_CSRS.length; k++) write(h, VS_CSRS[k], vsCsrs[k]);
        loadGuestRegisters(h);
        int length = emulation.mmio(h, mmioAddress, mmioTinst, new ExitLedger());
        saveGuestRegisters(h);
        if (length == 0) {
            vm.log.printf("dv: kvm vCPU %d: MMIO (%s) not emulated%n", id, mmioIsWrite ? "store" : "load");
            vm.stop(72);
        }
        guestSepc += length;
    }

    /**
     * An interrupt exit. The host IPI (SSI) needs nothing here: re-entry consumes it and flushes the
     * virtual IPI. The host timer (STI, vanilla) is the guest's timer expiring: disarm it and inject
     * VSTIP, as KVM's timer callback does.
     */
    private void interruptInKernel(Hart h, int cause) {
        if (cause != STIP) return;
        write(h, Csrs.STIMECMP, -1L);
        write(h, HVIP, read(h, HVIP) | (1L << VSTIP));
    }

    /**
     * SBI set_timer in the kernel. Vanilla: the host timer (Sstc's stimecmp, standing for the
     * kernel's hrtimer) is armed at the guest's deadline in host time, and a pending VSTIP is
     * withdrawn; its expiry exits to the kernel ({@link #interruptInKernel}). Opt: the virtual timer.
     */
    @Override
    public void setTimer(Hart h, long deadline) {
        if (opt()) {
            super.setTimer(h, deadline);
            return;
        }
        write(h, HVIP, read(h, HVIP) & ~(1L << VSTIP));
        write(h, Csrs.STIMECMP, deadline == -1L ? -1L : deadline - read(h, Csrs.HTIMEDELTA));
    }

    /**
     * SBI IPI in the kernel. Vanilla: mark the target's pending virtual IPI and send the host IPI
     * that makes its physical hart leave the guest (or its WFI) for HS, where re-entry flushes the
     * IPI into hvip. Opt: set the targets' bits in the vIPI bitmap, which their harts see as VSSIP
     * in the guest with no exit and no host IPI (dv-ext.md §6).
     */
    @Override
    public long sendIpi(long mask, long base) {
        int[] targets = emulation.targets(mask, base);
        if (targets == null) return org.duvisor.firmware.Sbi.INVALID_PARAM;
        if (opt()) {
            postVirtualIpis(hh.hart(), targets);
            return 0;
        }
        for (int t : targets) {
            KvmVcpu target = (KvmVcpu) vm.vcpus().get(t);
            target.ipiPending = true;
            target.sendHostIpi();
        }
        return 0;
    }

    /**
     * Makes this vCPU's hart leave the guest (or its WFI) for HS, where the re-entry consumes the IPI
     * and flushes what is pending. Pin first, then the flag: a re-entry that sees the flag clears a
     * pin already set; the other order could let it clear the pin before it is set, leaving a pin
     * with no flag that the guest would exit on forever.
     */
    private void sendHostIpi() {
        hh.arch().pins.set(org.duvisor.rv64.priv.InterruptPins.SSIP, true);
        hostIpiSent = true;
    }

    /** The switch-to stub (step 5): save host state, load the guest's sstatus/hstatus/sepc and GPRs, sret. */
    private void switchToGuest(Hart h) {
        // Pending requests: the host IPI is acknowledged and a virtual IPI flushed into hvip.
        if (hostIpiSent) {
            hostIpiSent = false;
            write(h, 0x144, read(h, 0x144) & ~2L); // sip.SSIP: the host IPI is consumed
        }
        if (ipiPending) {
            ipiPending = false;
            write(h, HVIP, read(h, HVIP) | (1L << 2));
        }
        // The guest's external interrupt line as the VMM's PLIC model drives it.
        long hvip = read(h, HVIP);
        write(h, HVIP, externalLine ? hvip | (1L << 10) : hvip & ~(1L << 10));
        System.arraycopy(h.x, 0, hostGprs, 0, 32);
        ledger.registerCopies += 31;
        hostSstatus = read(h, SSTATUS);
        hostHstatus = read(h, Csrs.HSTATUS);
        hostScounteren = read(h, Csrs.SCOUNTEREN);
        hostStvec = read(h, STVEC);
        hostSscratch = read(h, SSCRATCH);
        write(h, SSTATUS, (hostSstatus & ~(SPP | FS)) | (guestSstatus & (SPP | FS)));
        write(h, Csrs.HSTATUS, guestHstatus);
        write(h, SEPC, guestSepc);
        loadGuestRegisters(h);
        h.pc = hh.arch().execute(h, SRET, h.pc);
    }

    /** The switch-return stub (step 2): save the guest's GPRs and CSRs, restore the host's. */
    private void switchReturn(Hart h) {
        saveGuestRegisters(h);
        guestSepc = read(h, SEPC);
        guestSstatus = read(h, SSTATUS);
        guestHstatus = read(h, Csrs.HSTATUS) | SPV; // sret back into V
        write(h, SSTATUS, hostSstatus);
        write(h, Csrs.HSTATUS, hostHstatus & ~SPV);
        write(h, Csrs.SCOUNTEREN, hostScounteren);
        write(h, STVEC, hostStvec);
        write(h, SSCRATCH, hostSscratch);
        System.arraycopy(hostGprs, 1, h.x, 1, 31);
        ledger.registerCopies += 31;
    }

    private void saveGuestRegisters(Hart h) {
        System.arraycopy(h.x, 1, guestGprs, 1, 31);
        ledger.registerCopies += 31;
    }

    private void loadGuestRegisters(Hart h) {
        System.arraycopy(guestGprs, 1, h.x, 1, 31);
        ledger.registerCopies += 31;
    }
}
