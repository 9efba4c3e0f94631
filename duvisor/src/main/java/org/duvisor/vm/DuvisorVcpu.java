package org.duvisor.vm;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.duvisor.hext.DvExtension;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Format;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.priv.PrivilegedArchitecture;

/**
 * One vCPU of a {@link DuvisorVm}: a thread that enters the guest with huret (from Java, the
 * DV-Ext fast path), runs it on its hart until a trap is routed to HU, and handles that exit in
 * Java — SBI calls, lazy G-stage mapping, MMIO emulation decoded from hutinst, WFI — without ever
 * entering the host kernel.
 */
public final class DuvisorVcpu {
    private static final long SLICE = 50_000;
    private static final int WFI = 0x10500073;
    // hustatus bits (dv-ext.md §3)
    private static final long UPIE = 1L << 4, UPV = 1L << 7, UPVP = 1L << 8, VTW = 1L << 21;
    // SBI (SBI 2.0)
    private static final long BASE = 0x10, TIME = 0x54494D45, SRST = 0x53525354, DBCN = 0x4442434E;
    private static final long NOT_SUPPORTED = -2, INVALID_PARAM = -3;

    final DuvisorVm vm;
    final int id;
    final HostMachine.HostHart hh;
    public final ExitLedger ledger = new ExitLedger();
    private volatile Thread thread;

    DuvisorVcpu(DuvisorVm vm, int id, HostMachine.HostHart hh) {
        this.vm = vm;
        this.id = id;
        this.hh = hh;
    }

    /** The control plane registers the vCPU; DuVisor (in HU) points hugatp at the VM's G-stage and sets the entry. */
    void prepare(long entry) {
        Hart h = hh.hart();
        vm.control.registerVcpu(vm.memory, h.hartId, ControlPlane.ALLOWED_SEDELEG, ControlPlane.ALLOWED_SIDELEG);
        Csrs.write(h, Csrs.HUGATP, vm.gstage.gatp());
        Csrs.write(h, Csrs.HUSTATUS, UPV | UPVP | VTW | UPIE); // dv-ext.md §3: how a user-level hypervisor starts a vCPU
        Csrs.write(h, Csrs.UEPC, entry);
        Csrs.write(h, Csrs.VCPUID, 8L * vm.memory.vmId() + id + 1);
        Csrs.write(h, Csrs.HUVSATP, 0);
        Csrs.write(h, Csrs.HUCOUNTEREN, -1L);
        h.x[10] = id;
        h.x[11] = 0;
    }

    void wake() {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
        hh.hart().exitRequest = 1;
    }

    void run() {
        thread = Thread.currentThread();
        Hart h = hh.hart();
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
                    vm.log.printf("dv: vCPU %d: trap %s (cause %d) left the guest for HS at pc 0x%x%n", id,
                            Cause.name(arch.scause & 63), arch.scause & 63, arch.sepc);
                    vm.stop(71);
                    return;
                }
            }
            if (!vm.running) return;
            long ucause = Csrs.read(h, Csrs.UCAUSE);
            ledger.exit(ucause);
            if (ucause < 0) continue; // an interrupt exit: nothing to emulate in this configuration
            dispatch(h, (int) ucause);
        }
    }

    private void dispatch(Hart h, int cause) {
        switch (cause) {
            case Cause.ECALL_FROM_VS -> {
                sbi(h);
                advance(h, 4);
            }
            case Cause.INSTRUCTION_GUEST_PAGE_FAULT, Cause.LOAD_GUEST_PAGE_FAULT, Cause.STORE_GUEST_PAGE_FAULT -> guestPageFault(h, cause);
            case Cause.VIRTUAL_INSTRUCTION -> virtualInstruction(h);
            default -> fatal(h, "unexpected exit: " + Cause.name(cause));
        }
    }

    private static void advance(Hart h, int bytes) {
        Csrs.write(h, Csrs.UEPC, Csrs.read(h, Csrs.UEPC) + bytes);
    }

    private void fatal(Hart h, String what) {
        vm.log.printf("dv: vCPU %d: %s at guest pc 0x%x (utval 0x%x)%n", id, what, Csrs.read(h, Csrs.UEPC), Csrs.read(h, Csrs.UTVAL));
        vm.stop(72);
    }

    // ---- guest-page faults: RAM is mapped on demand, the device window is emulated ----

    private void guestPageFault(Hart h, int cause) {
        long gpa = (Csrs.read(h, Csrs.HUTVAL) << 2) | (Csrs.read(h, Csrs.UTVAL) & 3);
        long host = vm.hostAddress(gpa);
        if (host >= 0) {
            vm.gstage.map(gpa, host & ~0xFFFL);
            ledger.gstageMappings++;
            return; // the guest retries the access
        }
        if (gpa >= DuvisorVm.UART_BASE && gpa < DuvisorVm.UART_BASE + DuvisorVm.UART_SIZE && cause != Cause.INSTRUCTION_GUEST_PAGE_FAULT) {
            mmio(h, gpa);
            return;
        }
        fatal(h, Cause.name(cause) + " at guest-physical 0x" + Long.toHexString(gpa) + ", which is neither RAM nor a device");
    }

    /** Emulates the trapping load or store from its transformed instruction in hutinst (dv-ext.md §9). */
    private void mmio(Hart h, long gpa) {
        long tinst = Csrs.read(h, Csrs.HUTINST);
        if (tinst == 0) {
            fatal(h, "MMIO exit without hutinst");
            return;
        }
        int length = (tinst & 2) != 0 ? 4 : 2;
        Insn i = Decoder.decode((int) tinst | 3);
        if (i == null || (i.op.format != Format.LOAD && i.op.format != Format.STORE) || i.op.isFloatOperand(0) || i.op.isFloatOperand(2)) {
            fatal(h, "MMIO by an instruction DuVisor does not emulate (hutinst 0x" + Long.toHexString(tinst) + ")");
            return;
        }
        int size = 1 << ((i.bits >>> 12) & 3);
        long offset = gpa - DuvisorVm.UART_BASE;
        ledger.mmioAccesses++;
        if (i.op.format == Format.LOAD) {
            long v = vm.uart.read(offset, size);
            boolean unsigned = ((i.bits >>> 12) & 4) != 0;
            if (!unsigned && size < 8) v = v << (64 - 8 * size) >> (64 - 8 * size);
            h.setX(i.rd, v);
        } else {
            vm.uart.write(offset, h.x[i.rs2] & (size == 8 ? -1L : (1L << (8 * size)) - 1), size);
        }
        advance(h, length);
    }

    // ---- virtual-instruction exits: WFI sleeps the vCPU thread ----

    private void virtualInstruction(Hart h) {
        long bits = Csrs.read(h, Csrs.UTVAL);
        if (bits != WFI) {
            fatal(h, "virtual instruction 0x" + Long.toHexString(bits));
            return;
        }
        PrivilegedArchitecture arch = hh.arch();
        while (vm.running && !arch.wakesFromWfi()) {
            long nanos = Math.min(arch.nanosToNextTimer(), 1_000_000);
            LockSupport.parkNanos(Math.max(nanos, 10_000));
        }
        advance(h, 4);
    }

    // ---- SBI (SBI 2.0 base, TIME, SRST, DBCN; legacy putchar and shutdown) ----

    private void sbi(Hart h) {
        ledger.sbiCalls++;
        long eid = h.x[17], fid = h.x[16], a0 = h.x[10], a1 = h.x[11];
        if (eid == 1) { // legacy console_putchar
            write(new byte[]{(byte) a0});
            h.x[10] = 0;
            return;
        }
        if (eid == 8) { // legacy shutdown
            vm.stop(0);
            return;
        }
        long error = 0, value = 0;
        if (eid == BASE) {
            switch ((int) fid) {
                case 0 -> value = 2L << 24;
                case 1 -> value = 0x4455; // "DU": DuVisor
                case 2 -> value = 1;
                case 3 -> value = a0 == BASE || a0 == TIME || a0 == SRST || a0 == DBCN || a0 == 1 || a0 == 8 ? 1 : 0;
                case 4, 5, 6 -> value = 0;
                default -> error = NOT_SUPPORTED;
            }
        } else if (eid == TIME && fid == 0) {
            // The virtual timer raises VSTIP straight into the guest: no exit when it fires (dv-ext.md §5).
            Csrs.write(h, Csrs.VTIMECMP, a0);
            Csrs.write(h, Csrs.VTIMECTL, 1 | (6 << 1));
        } else if (eid == SRST && fid == 0) {
            vm.stop(a1 == 1 ? 1 : 0);
        } else if (eid == DBCN && fid == 2) {
            write(new byte[]{(byte) a0});
        } else if (eid == DBCN && fid == 0) {
            long host = vm.hostAddress(a1);
            if (host < 0 || vm.hostAddress(a1 + a0 - 1) < 0) {
                error = INVALID_PARAM;
            } else {
                write(vm.host.bus.ram().asSlice(host - HostMachine.RAM_BASE, a0).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                value = a0;
            }
        } else {
            error = NOT_SUPPORTED;
        }
        h.x[10] = error;
        h.x[11] = value;
    }

    private void write(byte[] bytes) {
        try {
            vm.console.write(bytes);
            vm.console.flush();
        } catch (IOException e) {
            // the console went away: output is dropped
        }
    }
}
