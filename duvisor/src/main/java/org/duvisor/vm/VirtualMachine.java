package org.duvisor.vm;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.duvisor.board.Plic;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.machine.BootException;
import org.duvisor.machine.KernelImage;
import org.duvisor.machine.MachineConfig;
import org.duvisor.rv64.priv.InterruptPins;

/**
 * A virtual machine on one of the planes: DuVisor, the user-level hypervisor (guest memory pinned by
 * the control plane, a lazily filled G-stage in DuVisor's own frames), or the KVM-structured
 * baseline; its guest-physical address space (RAM at 0x8000_0000 as on the virt board, and the
 * windows of the devices it emulates, {@link GuestDevices}); one vCPU thread per vCPU, each on a
 * host hart of its own that no other VM holds. Several VMs can share one host.
 */
public final class VirtualMachine implements AutoCloseable {
    public static final long GUEST_RAM_BASE = 0x8000_0000L;

    /** Which hypervisor design runs the VM. */
    public enum Plane { DUVISOR, KVM }

    /**
     * How interrupts reach the guest (kvm-plane.md "Two interrupt configurations").
     * <ul>
     *   <li>{@link #VANILLA}: on the kernel plane the conventional path — the guest's timer is a host
     *       timer (stimecmp) whose interrupt exits to the kernel, which injects VSTIP; an IPI is an
     *       SBI exit that posts it in the kernel and sends a host IPI, which makes the target exit
     *       too; device interrupts come from the VMM's PLIC model (KVM_INTERRUPT), with claim and
     *       completion as MMIO exits. On DuVisor: its design's path — virtual timer (VSTIP, no exit)
     *       and virtual PLIC (no exit for the interrupt, claim or completion); a vIPI is set in the
     *       bitmap and the target takes it as a USI exit to its own DuVisor thread (dv-ext.md §5-§7).
     *   <li>{@link #OPT}: on both planes the exit-less hardware DuVisor uses — virtual timer, virtual
     *       PLIC, and exit-less vIPIs (vcpuid.EL, dv-ext.md §6): the target sees VSSIP without an
     *       exit, and a guest that asks ({@link ExitEmulation#DV_VIPI}) posts IPIs itself.
     * </ul>
     */
    public enum InterruptConfig { VANILLA, OPT }

    /**
     * What a VM is made of.
     *
     * @param hostHarts  the host hart of each vCPU, in vCPU order
     * @param disks      raw images for virtio-blk, in slot order
     * @param interrupts the interrupt configuration
     */
    public record Config(Plane plane, long guestBytes, List<Integer> hostHarts, List<MachineConfig.Disk> disks, InterruptConfig interrupts) {
        public Config {
            hostHarts = List.copyOf(hostHarts);
            disks = List.copyOf(disks);
            if (hostHarts.isEmpty()) throw new IllegalArgumentException("a VM needs at least one vCPU");
            if (new HashSet<>(hostHarts).size() != hostHarts.size()) throw new IllegalArgumentException("two vCPUs on one host hart: " + hostHarts);
        }

        /** {@code vcpus} vCPUs on host harts 0.., no disks, vanilla interrupts. */
        public static Config of(Plane plane, long guestBytes, int vcpus) {
            return new Config(plane, guestBytes, IntStream.range(0, vcpus).boxed().toList(), List.of(), InterruptConfig.VANILLA);
        }

        /** The same VM with vCPU i on host hart {@code harts[i]}. */
        public Config onHarts(int... harts) {
            return new Config(plane, guestBytes, IntStream.of(harts).boxed().toList(), disks, interrupts);
        }

        public Config withDisks(List<MachineConfig.Disk> images) {
            return new Config(plane, guestBytes, hostHarts, images, interrupts);
        }

        public Config withInterrupts(InterruptConfig config) {
            return new Config(plane, guestBytes, hostHarts, disks, config);
        }

        public int vcpus() {
            return hostHarts.size();
        }
    }

    final HostMachine host;
    final ControlPlane control;
    final ControlPlane.VmMemory memory;
    final GuestStageMmu gstage;
    /** The guest-physical address space: the VM's RAM (its pinned host frames) and its devices' windows. */
    final PhysicalBus guestPhysical;
    final GuestDevices devices;
    /** Device interrupt posting through the host vPLIC (DuVisor, and the kernel plane's opt); else null. */
    final VirtualPlicLines virtualLines;
    final OutputStream console;
    final PrintStream log;

    public final Plane plane;
    public final InterruptConfig interrupts;
    private final List<Integer> hostHarts;
    private final List<VirtualCpu> vcpus = new ArrayList<>();
    volatile boolean running = true;
    volatile int exitCode;

    public VirtualMachine(Plane plane, HostMachine host, ControlPlane control, long guestBytes, int vcpuCount, OutputStream console, PrintStream log) {
        this(host, control, Config.of(plane, guestBytes, vcpuCount), console, log);
    }

    /**
     * A VM as {@code config} describes it, its memory, harts and vPLIC sources taken from the control
     * plane.
     *
     * @throws IllegalArgumentException when the host cannot hold it (memory, harts, vPLIC sources) or a
     *                                  disk image cannot be used; the message says which
     */
    public VirtualMachine(HostMachine host, ControlPlane control, Config config, OutputStream console, PrintStream log) {
        this.plane = config.plane();
        this.interrupts = config.interrupts();
        this.hostHarts = config.hostHarts();
        this.host = host;
        this.control = control;
        this.console = console;
        this.log = log;
        long guestBytes = config.guestBytes();
        this.memory = control.createVm(guestBytes);
        control.assignHarts(memory, hostHarts);
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
        this.guestPhysical = new PhysicalBus(host.bus.ram().asSlice(memory.base() - HostMachine.RAM_BASE, memory.size()), GUEST_RAM_BASE);
        for (int i = 0; i < hostHarts.size(); i++) {
            HostMachine.HostHart hh = host.hart(hostHarts.get(i));
            vcpus.add(plane == Plane.DUVISOR ? new DuvisorVcpu(this, i, hh) : new KvmVcpu(this, i, hh));
        }
        // The guest's PLIC: on the kernel plane (vanilla) the VMM's model, whose S contexts drive the
        // vCPUs' external lines; with the virtual PLIC (DuVisor, and the kernel plane's opt) it keeps
        // only the guest's set-up registers, since the devices post to the host vPLIC and the guest
        // claims there.
        boolean virtualPlic = plane == Plane.DUVISOR || interrupts == InterruptConfig.OPT;
        List<Plic.Outputs> outputs = new ArrayList<>();
        for (VirtualCpu v : vcpus) {
            outputs.add(!virtualPlic && v instanceof KvmVcpu k ? (bit, level) -> {
                if (bit == InterruptPins.SEIP) k.setExternalLine(level);
            } : (bit, level) -> { });
        }
        Plic guestPlic = Plic.withOutputs(GuestDevices.PLIC_BASE, outputs);
        GuestDevices.Interrupts lines;
        if (virtualPlic) {
            virtualLines = new VirtualPlicLines(control, memory, host.plic);
            lines = virtualLines;
        } else {
            virtualLines = null;
            lines = (source, edge) -> edge ? guestPlic.edgeSource(source) : guestPlic.source(source);
        }
        this.devices = new GuestDevices(guestPhysical, guestPlic, lines, config.disks(), console, log);
    }

    /** Copies a bare-metal guest ELF (linked at guest-physical 0x8000_0000) into guest memory. */
    public long load(KernelImage image) throws BootException {
        MemorySegment ram = guestPhysical.ram();
        for (KernelImage.Piece p : image.pieces()) {
            long off = guestPhysical.ramOffset(p.address(), p.length() + p.zeroes());
            if (off < 0) {
                throw new BootException(image.path() + ": segment at 0x" + Long.toHexString(p.address()) + " is outside the guest's "
                        + (memory.size() >> 20) + " MiB of RAM");
            }
            MemorySegment.copy(MemorySegment.ofArray(p.data()), p.offset(), ram, off, p.length());
            ram.asSlice(off + p.length(), p.zeroes()).fill((byte) 0);
        }
        return image.entry();
    }

    /** The emulated device window holding {@code [gpa, gpa + size)}, or null. */
    PhysicalBus.Window deviceAt(long gpa, int size) {
        return guestPhysical.window(gpa, size);
    }

    /** Host physical address of guest-physical {@code gpa} if it is guest RAM, else -1. */
    long hostAddress(long gpa) {
        long off = guestPhysical.ramOffset(gpa, 1);
        return off < 0 ? -1 : memory.base() + off;
    }

    /** The host kernel's part that set the VM up (its entry counts). */
    public ControlPlane control() {
        return control;
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

    /** The host hart vCPU {@code i} runs on. */
    public int hostHart(int vcpu) {
        return hostHarts.get(vcpu);
    }

    /** Runs every vCPU on its own thread until the guest powers off; returns its exit code. */
    public int run(long entry) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        String name = plane.name().toLowerCase() + "-vm" + memory.vmId();
        for (int i = 0; i < vcpus.size(); i++) {
            VirtualCpu v = vcpus.get(i);
            int id = i;
            v.prepare(entry);
            threads.add(Thread.ofPlatform().name(name + "-vcpu-" + i).start(() -> {
                try {
                    v.bindToThread();
                    v.run();
                } catch (Throwable t) {
                    log.println("dv: " + plane.name().toLowerCase() + " vCPU " + id + " failed: " + t);
                    t.printStackTrace(log);
                    stop(70);
                }
            }));
        }
        Thread ticker = Thread.ofPlatform().daemon().name(name + "-tick").start(() -> {
            while (running) {
                for (int h : hostHarts) host.hart(h).hart().exitRequest = 1;
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

    /** Closes the VM's disk images. */
    @Override
    public void close() {
        devices.close();
    }
}
