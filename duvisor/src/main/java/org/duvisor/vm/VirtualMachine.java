package org.duvisor.vm;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.duvisor.board.IrqLine;
import org.duvisor.board.Uart16550;
import org.duvisor.machine.BootException;
import org.duvisor.machine.KernelImage;

/**
 * A virtual machine on one of the planes: DuVisor, the user-level hypervisor (guest memory pinned by
 * the control plane, a lazily filled G-stage in DuVisor's own frames), or the KVM-structured
 * baseline; the devices it emulates (a 16550 UART at the virt board's address); one vCPU thread per
 * vCPU, each on its own hart.
 * Guest-physical RAM starts at 0x8000_0000 as on the virt board.
 */
public final class VirtualMachine {
    public static final long GUEST_RAM_BASE = 0x8000_0000L;
    public static final long UART_BASE = 0x1000_0000L, UART_SIZE = 0x100;

    final HostMachine host;
    final ControlPlane control;
    final ControlPlane.VmMemory memory;
    final GuestStageMmu gstage;
    final Uart16550 uart;
    final GuestDevices.Plic guestPlic = new GuestDevices.Plic();
    final GuestDevices.Doorbell doorbell = new GuestDevices.Doorbell();
    final OutputStream console;
    final PrintStream log;
    /** Which hypervisor design runs the VM. */
    public enum Plane { DUVISOR, KVM }

    /**
     * How interrupts reach the guest (kvm-plane.md "Two interrupt configurations").
     * <ul>
     *   <li>{@link #VANILLA}: on the kernel plane the conventional path — the guest's timer is a host
     *       timer (stimecmp) whose interrupt exits to the kernel, which injects VSTIP; an IPI is an
     *       SBI exit that posts it in the kernel and sends a host IPI, which makes the target exit
     *       too; device interrupts come from the VMM's PLIC model, with claim and completion as MMIO
     *       exits. On DuVisor: its design's path — virtual timer (VSTIP, no exit) and virtual PLIC
     *       (no exit for the interrupt, claim or completion); a vIPI is set in the bitmap and the
     *       target takes it as a USI exit to its own DuVisor thread (dv-ext.md §5-§7).
     *   <li>{@link #OPT}: on both planes the exit-less hardware DuVisor uses — virtual timer, virtual
     *       PLIC, and exit-less vIPIs (vcpuid.EL, dv-ext.md §6): the target sees VSSIP without an
     *       exit, and a guest that asks ({@link ExitEmulation#DV_VIPI}) posts IPIs itself.
     * </ul>
     */
    public enum InterruptConfig { VANILLA, OPT }

    public final Plane plane;
    public final InterruptConfig interrupts;
    private final int firstHart;
    private final List<VirtualCpu> vcpus = new ArrayList<>();
    volatile boolean running = true;
    volatile int exitCode;

    public VirtualMachine(Plane plane, HostMachine host, ControlPlane control, long guestBytes, int vcpuCount, OutputStream console, PrintStream log) {
        this(plane, InterruptConfig.VANILLA, host, control, guestBytes, vcpuCount, 0, console, log);
    }

    /** A VM whose vCPU i runs on host hart {@code firstHart + i}: several VMs can share one host. */
    public VirtualMachine(Plane plane, HostMachine host, ControlPlane control, long guestBytes, int vcpuCount, int firstHart,
                          OutputStream console, PrintStream log) {
        this(plane, InterruptConfig.VANILLA, host, control, guestBytes, vcpuCount, firstHart, console, log);
    }

    /** The same with the interrupt configuration chosen. */
    public VirtualMachine(Plane plane, InterruptConfig interrupts, HostMachine host, ControlPlane control, long guestBytes, int vcpuCount,
                          int firstHart, OutputStream console, PrintStream log) {
        this.plane = plane;
        this.interrupts = interrupts;
        this.firstHart = firstHart;
        this.host = host;
        this.control = control;
        this.console = console;
        this.log = log;
        this.memory = control.createVm(guestBytes);
        long root = control.allocateFrames(4, 0x4000);
        host.bus.ram().asSlice(root - HostMachine.RAM_BASE, 0x4000).fill((byte) 0);
        // DuVisor's own frames for the G-stage tables, taken once so that mapping a page never enters
        // the host kernel: one leaf table per 2 MiB of guest RAM plus the directories.
        int tableFrames = (int) (guestBytes >>> 21) + 16;
        long pool = control.allocateFrames(tableFrames, 4096);
        long[] next = {pool};
        long poolEnd = pool + tableFrames * 4096L;
        this.gstage = new GuestStageMmu(host.bus, root, memory.vmId(), () -> {
            if (next[0] >= poolEnd) throw new IllegalStateException("G-stage table pool exhausted");
            long f = next[0];
            next[0] += 4096;
            return f;
        });
        this.uart = new Uart16550(UART_BASE, 10, IrqLine.NONE, console);
        for (int i = 0; i < vcpuCount; i++) {
            HostMachine.HostHart hh = host.hart(firstHart + i);
            vcpus.add(plane == Plane.DUVISOR ? new DuvisorVcpu(this, i, hh) : new KvmVcpu(this, i, hh));
        }
    }

    /** Copies a bare-metal guest ELF (linked at guest-physical 0x8000_0000) into guest memory. */
    public long load(KernelImage image) throws BootException {
        MemorySegment ram = host.bus.ram();
        for (KernelImage.Piece p : image.pieces()) {
            long gpa = p.address(), end = gpa + p.length() + p.zeroes();
            if (gpa < GUEST_RAM_BASE || end > GUEST_RAM_BASE + memory.size()) {
                throw new BootException(image.path() + ": segment at 0x" + Long.toHexString(gpa) + " is outside the guest's "
                        + (memory.size() >> 20) + " MiB of RAM");
            }
            long off = memory.base() - HostMachine.RAM_BASE + (gpa - GUEST_RAM_BASE);
            MemorySegment.copy(MemorySegment.ofArray(p.data()), p.offset(), ram, off, p.length());
            ram.asSlice(off + p.length(), p.zeroes()).fill((byte) 0);
        }
        return image.entry();
    }

    /** The emulated device holding {@code gpa} and its base, or null. */
    record Device(org.duvisor.dbt.bus.MmioDevice device, long base) {
    }

    Device deviceAt(long gpa) {
        if (gpa >= UART_BASE && gpa < UART_BASE + UART_SIZE) return new Device(uart, UART_BASE);
        if (gpa >= GuestDevices.DOORBELL_BASE && gpa < GuestDevices.DOORBELL_BASE + GuestDevices.DOORBELL_SIZE) {
            return new Device(doorbell, GuestDevices.DOORBELL_BASE);
        }
        if (gpa >= GuestDevices.PLIC_BASE && gpa < GuestDevices.PLIC_BASE + GuestDevices.PLIC_SIZE) {
            return new Device(guestPlic, GuestDevices.PLIC_BASE);
        }
        return null;
    }

    /** Host physical address of guest-physical {@code gpa} if it is guest RAM, else -1. */
    long hostAddress(long gpa) {
        long off = gpa - GUEST_RAM_BASE;
        return Long.compareUnsigned(off, memory.size()) < 0 ? memory.base() + off : -1;
    }

    public List<VirtualCpu> vcpus() {
        return vcpus;
    }

    /** Whether the vCPUs take vIPIs exit-less (vcpuid.EL, dv-ext.md §6). */
    boolean exitlessVipi() {
        return interrupts == InterruptConfig.OPT;
    }

    /** vCPU {@code vcpu}'s id in the vIPI bitmap (dv-ext.md §6: 8·m + i + 1 for vCPU i of VM m). */
    long vipiId(int vcpu) {
        return 8L * memory.vmId() + vcpu + 1;
    }

    /** Runs every vCPU on its own thread until the guest powers off; returns its exit code. */
    public int run(long entry) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < vcpus.size(); i++) {
            VirtualCpu v = vcpus.get(i);
            int id = i;
            v.prepare(entry);
            threads.add(Thread.ofPlatform().name(plane.name().toLowerCase() + "-vcpu-" + i).start(() -> {
                try {
                    v.run();
                } catch (Throwable t) {
                    log.println("dv: " + plane.name().toLowerCase() + " vCPU " + id + " failed: " + t);
                    t.printStackTrace(log);
                    stop(70);
                }
            }));
        }
        Thread ticker = Thread.ofPlatform().daemon().name("duvisor-tick").start(() -> {
            while (running) {
                for (int i = 0; i < vcpus.size(); i++) host.hart(firstHart + i).hart().exitRequest = 1;
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
        for (Thread t : threads) t.join();
        ticker.interrupt();
        return exitCode;
    }

    void stop(int code) {
        if (!running) return;
        exitCode = code;
        running = false;
        for (VirtualCpu v : vcpus) v.wake();
    }
}
