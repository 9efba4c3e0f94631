package org.duvisor.vm;

import java.io.IOException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.firmware.Sbi;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Format;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.priv.PrivilegedArchitecture;

/**
 * The emulation both hypervisor planes do for a guest exit once it has reached them: SBI calls,
 * guest-page faults (map guest RAM, or emulate the device), WFI. What differs between the planes is
 * how the exit gets here and back (DuVisor: the DV-Ext fast path; KVM: HS trap, world switch and,
 * for devices, a round trip to the user-space VMM), not this work.
 */
final class ExitEmulation {
    static final int WFI = 0x10500073;
    // SBI 2.0
    private static final long BASE = Sbi.BASE, TIME = Sbi.TIME, SRST = Sbi.SRST, DBCN = Sbi.DBCN, IPI = Sbi.IPI, HSM = Sbi.HSM;
    private static final long NOT_SUPPORTED = Sbi.NOT_SUPPORTED, INVALID_PARAM = Sbi.INVALID_PARAM;

    /**
     * The project's SBI extension for exit-less virtual IPIs, in the firmware-specific extension
     * space (SBI 2.0 §3: 0x0A000000-0x0AFFFFFF, meaning given by the implementation ID, "DU" here):
     * function 0, {@code vipi_id(hartid)}, returns the id of vCPU {@code hartid} in the vIPI bitmap
     * (dv-ext.md §6: 8·m + i + 1). A probe answers 1 only when the VM's vCPUs take vIPIs exit-less
     * ({@link VirtualMachine.InterruptConfig#OPT}); the guest then posts an IPI itself by setting
     * that bit in vipi0..3 from VS, with no exit on either side.
     */
    static final long DV_VIPI = 0x0A44_5649L;

    /** How a plane delivers what SBI calls ask for: IPIs and the guest's timer (each plane its own way). */
    interface Delivery {
        /** Sends an IPI to the vCPUs of an SBI hart mask; returns an SBI error code. */
        long sendIpi(long hartMask, long hartMaskBase);

        /** Programs the guest's timer to raise VSTIP at guest time {@code deadline}, clearing a pending one. */
        void setTimer(Hart h, long deadline);
    }

    /** What a guest-page fault needs next. */
    enum Fault { MAPPED, DEVICE, BAD_ADDRESS }

    private final VirtualMachine vm;

    ExitEmulation(VirtualMachine vm) {
        this.vm = vm;
    }

    /** Answers the SBI call in the guest's a0..a7 (a0 = error, a1 = value). */
    void sbi(Hart h, ExitLedger ledger, Delivery plane) {
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
                case 0 -> value = Sbi.SPEC_VERSION;
                case 1 -> value = 0x4455; // "DU"
                case 2 -> value = 1;
                case 3 -> value = a0 == BASE || a0 == TIME || a0 == SRST || a0 == DBCN || a0 == IPI || a0 == HSM || a0 == 1 || a0 == 8
                        || a0 == DV_VIPI && vm.exitlessVipi() ? 1 : 0;
                case 4, 5, 6 -> value = 0;
                default -> error = NOT_SUPPORTED;
            }
        } else if (eid == TIME && fid == 0) {
            plane.setTimer(h, a0);
        } else if (eid == HSM && (fid == 0 || fid == 2)) {
            // hart_start(hartid, start_addr, opaque) and hart_get_status(hartid) (SBI 2.0 §9.1, §9.3).
            if (a0 < 0 || a0 >= vm.vcpus().size()) {
                error = INVALID_PARAM;
            } else if (fid == 2) {
                value = vm.vcpus().get((int) a0).isStarted() ? 0 : 1;
            } else if (vm.vcpus().get((int) a0).isStarted()) {
                error = Sbi.ALREADY_AVAILABLE;
            } else if (vm.hostAddress(a1) < 0) {
                error = Sbi.INVALID_ADDRESS;
            } else {
                vm.vcpus().get((int) a0).start(a1, h.x[12]);
            }
        } else if (eid == IPI && fid == 0) {
            error = plane.sendIpi(a0, a1);
        } else if (eid == DV_VIPI && fid == 0 && vm.exitlessVipi()) {
            if (a0 < 0 || a0 >= vm.vcpus().size()) error = INVALID_PARAM;
            else value = vm.vipiId((int) a0);
        } else if (eid == SRST && fid == 0) {
            vm.stop(a1 == 1 ? 1 : 0);
        } else if (eid == DBCN && fid == 2) {
            write(new byte[]{(byte) a0});
        } else if (eid == DBCN && fid == 0) {
            long off = vm.guestPhysical.ramOffset(a1, a0);
            if (off < 0) {
                error = INVALID_PARAM;
            } else {
                write(vm.guestPhysical.ram().asSlice(off, a0).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                value = a0;
            }
        } else {
            error = NOT_SUPPORTED;
        }
        h.x[10] = error;
        h.x[11] = value;
    }

    /** The vCPU ids an SBI hart mask names (SBI 2.0 §3.2), or null if one is out of range. */
    int[] targets(long mask, long base) {
        int n = vm.vcpus().size();
        if (base == -1L) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        int count = Long.bitCount(mask);
        int[] out = new int[count];
        int k = 0;
        for (int bit = 0; bit < 64; bit++) {
            if ((mask >>> bit & 1) == 0) continue;
            long id = base + bit;
            if (id < 0 || id >= n) return null;
            out[k++] = (int) id;
        }
        return out;
    }

    /** Maps the faulting guest page if it is RAM; otherwise says whether the address is a device's. */
    Fault guestPageFault(long gpa, int cause, ExitLedger ledger) {
        long host = vm.hostAddress(gpa);
        if (host >= 0) {
            vm.gstage.map(gpa, host & ~0xFFFL);
            ledger.gstageMappings++;
            return Fault.MAPPED;
        }
        return vm.deviceAt(gpa, 1) != null && cause != Cause.INSTRUCTION_GUEST_PAGE_FAULT ? Fault.DEVICE : Fault.BAD_ADDRESS;
    }

    /**
     * Emulates the load or store described by the transformed instruction {@code tinst} on the
     * device at {@code gpa}; returns the instruction length to step over, or 0 if it cannot be emulated.
     */
    int mmio(Hart h, long gpa, long tinst, ExitLedger ledger) {
        if (tinst == 0) return 0;
        Insn i = Decoder.decode((int) tinst | 3);
        if (i == null || (i.op.format != Format.LOAD && i.op.format != Format.STORE) || i.op.isFloatOperand(0) || i.op.isFloatOperand(2)) {
            return 0;
        }
        int size = 1 << ((i.bits >>> 12) & 3);
        PhysicalBus.Window d = vm.deviceAt(gpa, size);
        if (d == null) return 0;
        long offset = gpa - d.base();
        ledger.mmioAccesses++;
        if (i.op.format == Format.LOAD) {
            long v = d.device().read(offset, size);
            boolean unsigned = ((i.bits >>> 12) & 4) != 0;
            if (!unsigned && size < 8) v = v << (64 - 8 * size) >> (64 - 8 * size);
            h.setX(i.rd, v);
        } else {
            d.device().write(offset, h.x[i.rs2] & (size == 8 ? -1L : (1L << (8 * size)) - 1), size);
        }
        return (tinst & 2) != 0 ? 4 : 2;
    }

    /**
     * WFI: the vCPU thread waits until an interrupt is pending for the guest — spinning briefly, then
     * yielding, then parking with growing timeouts up to 1 ms (Agrona's back-off idle strategy), so
     * an IPI that arrives soon is seen at once and an idle vCPU costs no CPU. Kicks unpark it.
     */
    void waitForInterrupt(PrivilegedArchitecture arch) {
        BackoffIdleStrategy idle = new BackoffIdleStrategy(200, 20, 1_000, 1_000_000);
        while (vm.running && !arch.wakesFromWfi()) idle.idle();
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
