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
     * What a VM is made of.
     *
     * @param hostHarts the host hart of each vCPU, in vCPU order
     * @param disks     raw images for virtio-blk, in slot order
     */
    public record Config(Plane plane, long guestBytes, List<Integer> hostHarts, List<MachineConfig.Disk> disks) {
        public Config {
            hostHarts = List.copyOf(hostHarts);
            disks = List.copyOf(disks);
            if (hostHarts.isEmpty()) throw new IllegalArgumentException("a VM needs at least one vCPU");
            if (new HashSet<>(hostHarts).size() != hostHarts.size()) throw new IllegalArgumentException("two vCPUs on one host hart: " + hostHarts);
        }

        /** {@code vcpus} vCPUs on host harts 0.., no disks. */
        public static Config of(Plane plane, long guestBytes, int vcpus) {
            return new Config(plane, guestBytes, IntStream.range(0, vcpus).boxed().toList(), List.of());
        }

        /** The same VM with vCPU i on host hart {@code harts[i]}. */
        public Config onHarts(int... harts) {
            return new Config(plane, guestBytes, IntStream.of(harts).boxed().toList(), disks);
        }

        public Config withDisks(List<MachineConfig.Disk> images) {
            return new Config(plane, guestBytes, hostHarts, images);
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
    /** DuVisor's device interrupt posting; null on the kernel plane. */
    final VirtualPlicLines virtualLines;
    final OutputStream console;
    final PrintStream log;

    public final Plane plane;
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
        // The guest's PLIC: on the kernel plane the VMM's model, whose S contexts drive the vCPUs'
        // external lines; on DuVisor it keeps only the guest's set-up registers, since the devices
        // post to the host vPLIC and the guest claims there.
        List<Plic.Outputs> outputs = new ArrayList<>();
        for (VirtualCpu v : vcpus) {
            outputs.add(v instanceof KvmVcpu k ? (bit, level) -> {
                if (bit == InterruptPins.SEIP) k.setExternalLine(level);
            } : (bit, level) -> { });
        }
        Plic guestPlic = Plic.withOutputs(GuestDevices.PLIC_BASE, outputs);
        GuestDevices.Interrupts interrupts;
        if (plane == Plane.DUVISOR) {
            virtualLines = new VirtualPlicLines(control, memory, host.plic);
            interrupts = virtualLines;
        } else {
            virtualLines = null;
            interrupts = (source, edge) -> edge ? guestPlic.edgeSource(source) : guestPlic.source(source);
        }
        this.devices = new GuestDevices(guestPhysical, guestPlic, interrupts, config.disks(), console, log);
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
