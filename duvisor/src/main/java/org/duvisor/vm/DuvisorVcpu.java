package org.duvisor.vm;

import java.util.concurrent.locks.LockSupport;
import org.duvisor.hext.DvExtension;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.priv.PrivilegedArchitecture;

/**
 * One vCPU of a {@link VirtualMachine}: a thread that enters the guest with huret (from Java, the
 * DV-Ext fast path), runs it on its hart until a trap is routed to HU, and handles that exit in
 * Java — SBI calls, lazy G-stage mapping, MMIO emulation decoded from hutinst, WFI — without ever
 * entering the host kernel.
 */
public final class DuvisorVcpu extends VirtualCpu {
    private static final long SLICE = 50_000;
    // hustatus bits (dv-ext.md §3)
    private static final long UPIE = 1L << 4, UPV = 1L << 7, UPVP = 1L << 8, VTW = 1L << 21;

    /** Guest GPRs saved while DuVisor's own code runs on the hart (dv-ext.md §4: HU saves only guest GPRs). */
    private final long[] guestGprs = new long[32];
    private volatile Thread thread;

    DuvisorVcpu(VirtualMachine vm, int id, HostMachine.HostHart hh) {
        super(vm, id, hh);
    }

    /** The control plane registers the vCPU; DuVisor (in HU) points hugatp at the VM's G-stage and sets the entry. */
    @Override
    public void prepare(long entry) {
        Hart h = hh.hart();
        vm.control.registerVcpu(vm.memory, h.hartId, ControlPlane.ALLOWED_SEDELEG, ControlPlane.ALLOWED_SIDELEG);
        write(h, Csrs.HUGATP, vm.gstage.gatp());
        write(h, Csrs.HUSTATUS, UPV | UPVP | VTW | UPIE); // dv-ext.md §3: how a user-level hypervisor starts a vCPU
        write(h, Csrs.UEPC, entry);
        write(h, Csrs.VCPUID, vcpuidValue());
        write(h, Csrs.HUVSATP, 0);
        write(h, Csrs.HUCOUNTEREN, -1L);
        // vPLIC (dv-ext.md §7): the control plane routes the VM's device sources to vCPU 0's VS
        // context and lets each vCPU's guest reach its own hart's context page (registerVcpu),
        // which DuVisor maps as the guest's claim page; the devices post through vinterrupts.
        connectVirtualPlic(h);
        h.x[10] = id;
        h.x[11] = 0;
    }

    @Override
    public void wake() {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
        hh.hart().exitRequest = 1;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        Hart h = hh.hart();
        if (id != 0) {
            // Secondary vCPUs wait for SBI HSM hart_start, then begin where it says.
            if (!hsm.await(() -> vm.running)) return;
            write(h, Csrs.UEPC, hsm.pc());
            h.x[10] = id;
            h.x[11] = hsm.opaque();
        }
        PrivilegedArchitecture arch = hh.arch();
        DvExtension dv = hh.dv();
        ExecutionEngine engine = hh.engine();
        arch.pins.attach(thread);
        while (vm.running) {
            dv.enterGuest();
            ledger.hypervisorToGuest++;
            while (!dv.exitedToUser && vm.running) {
                int interrupt = arch.interruptToTake();
                if (interrupt >= 0) arch.enterTrap(interrupt, true, 0);
                if (dv.exitedToUser) break;
                h.exitRequest = 0;
                engine.run(SLICE);
                if (h.trapPending) {
                    h.clearTrap();
                    arch.enterTrap((int) h.trapCause, false, h.trapValue);
                }
                if (!h.virtualMode && !dv.exitedToUser) {
                    // The trap went to HS or M: the host kernel would have to run, which DuVisor never needs.
                    ledger.hostKernelEntries++;
                    vm.control.runtimeEntries.incrementAndGet();
                    boolean machine = h.privilege == org.duvisor.rv64.hart.Privilege.MACHINE;
                    long cause = (machine ? arch.mcause : arch.scause) & 63, epc = machine ? arch.mepc : arch.sepc;
                    vm.log.printf("dv: vCPU %d: trap %s (cause %d) left the guest for %s at pc 0x%x; stopping the VM%n", id,
                            Cause.name(cause), cause, machine ? "M" : "HS", epc);
                    vm.stop(71);
                    return;
                }
            }
            if (!vm.running) return;
            long ucause = read(h, Csrs.UCAUSE);
            ledger.exit(ucause);
            if (ucause < 0) {
                interruptExit(h, (int) (ucause & 63));
                continue;
            }
            // HU code saves the guest's GPRs on entry to its handler and restores them before huret
            // (dv-ext.md §4); the handlers here edit the saved copy's values in place in h.x.
            System.arraycopy(h.x, 1, guestGprs, 1, 31);
            dispatch(h, (int) ucause);
            System.arraycopy(h.x, 1, guestGprs, 1, 31);
            System.arraycopy(guestGprs, 1, h.x, 1, 31);
            ledger.registerCopies += 62;
        }
    }

    private void dispatch(Hart h, int cause) {
        switch (cause) {
            case Cause.ECALL_FROM_VS -> {
                emulation.sbi(h, ledger, this);
                advance(h, 4);
            }
            case Cause.INSTRUCTION_GUEST_PAGE_FAULT, Cause.LOAD_GUEST_PAGE_FAULT, Cause.STORE_GUEST_PAGE_FAULT -> {
                long gpa = (read(h, Csrs.HUTVAL) << 2) | (read(h, Csrs.UTVAL) & 3);
                if (mapsClaimPage(gpa, cause)) return;
                switch (emulation.guestPageFault(gpa, cause, ledger)) {
                    case MAPPED -> { } // the guest retries the access
                    case DEVICE -> {
                        int length = emulation.mmio(h, gpa, read(h, Csrs.HUTINST), ledger);
                        if (length == 0) fatal(h, "MMIO by an instruction DuVisor does not emulate");
                        else advance(h, length);
                    }
                    // No RAM and no device there: the guest gets the access fault a real machine raises.
                    case BAD_ADDRESS -> reflect(h, switch (cause) {
                        case Cause.INSTRUCTION_GUEST_PAGE_FAULT -> Cause.INSTRUCTION_ACCESS_FAULT;
                        case Cause.LOAD_GUEST_PAGE_FAULT -> Cause.LOAD_ACCESS_FAULT;
                        default -> Cause.STORE_ACCESS_FAULT;
                    }, read(h, Csrs.UTVAL));
                }
            }
            case Cause.VIRTUAL_INSTRUCTION -> {
                long bits = read(h, Csrs.UTVAL);
                if (bits != ExitEmulation.WFI) {
                    // Nothing else is emulated: the guest sees the instruction as illegal (H 8.6.1 lets a
                    // hypervisor emulate or reflect virtual-instruction exceptions).
                    reflect(h, Cause.ILLEGAL_INSTRUCTION, bits);
                    return;
                }
                emulation.waitForInterrupt(hh.arch());
                advance(h, 4);
            }
            default -> fatal(h, "unexpected exit: " + Cause.name(cause));
        }
    }

    /**
     * SBI IPI: set the targets' bits in the vIPI bitmap; each target hart then sees USIP and exits to
     * its own DuVisor thread, which injects VSSIP (dv-ext.md §6) — or, exit-less, sees VSSIP in its
     * guest at once. No host kernel on either side.
     */
    @Override
    public long sendIpi(long mask, long base) {
        int[] targets = emulation.targets(mask, base);
        if (targets == null) return org.duvisor.firmware.Sbi.INVALID_PARAM;
        postVirtualIpis(hh.hart(), targets);
        return 0;
    }

    /** An interrupt routed to HU: a vIPI (USI) becomes the guest's VSSIP; the bitmap bit is consumed. */
    private void interruptExit(Hart h, int cause) {
        if (cause != 0) return;
        long vid = vm.vipiId(id);
        int word = Csrs.VIPI0 + (int) (vid >>> 6);
        clear(h, word, 1L << (vid & 63));
        write(h, Csrs.HUVIP, read(h, Csrs.HUVIP) | (1L << 2));
    }

    /**
     * Delivers an exception to the guest's own VS handler as the hardware would have (H 8.6.2):
     * vscause, vsepc, vstval, vsstatus SPP/SPIE/SIE, and the guest resumes at vstvec.
     */
    private void reflect(Hart h, int cause, long tval) {
        long status = read(h, Csrs.HUVSSTATUS);
        boolean fromSupervisor = (read(h, Csrs.HUSTATUS) & UPVP) != 0;
        long s = status & ~((1L << 8) | (1L << 5) | (1L << 1));
        if ((status & (1L << 1)) != 0) s |= 1L << 5; // SPIE <- SIE
        if (fromSupervisor) s |= 1L << 8; // SPP
        write(h, Csrs.HUVSSTATUS, s);
        write(h, Csrs.HUVSCAUSE, cause);
        write(h, Csrs.HUVSEPC, read(h, Csrs.UEPC));
        write(h, Csrs.HUVSTVAL, tval);
        write(h, Csrs.UEPC, read(h, Csrs.HUVSTVEC) & ~3L);
        write(h, Csrs.HUSTATUS, read(h, Csrs.HUSTATUS) | UPVP); // the handler runs in VS
    }

    private void advance(Hart h, int bytes) {
        write(h, Csrs.UEPC, read(h, Csrs.UEPC) + bytes);
    }

    private void fatal(Hart h, String what) {
        vm.log.printf("dv: vCPU %d: %s at guest pc 0x%x (utval 0x%x)%n", id, what, read(h, Csrs.UEPC), read(h, Csrs.UTVAL));
        vm.stop(72);
    }
}
