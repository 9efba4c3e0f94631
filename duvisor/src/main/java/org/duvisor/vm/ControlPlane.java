package org.duvisor.vm;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.duvisor.board.Plic;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;

/**
 * The host kernel's part of a DuVisor VM (the paper's control plane): it is entered when a VM and
 * its vCPUs are created, never on a VM exit. It hands out pinned, contiguous host memory, host
 * harts (each to one VM) and host vPLIC sources (each to one VM), programs the delegation registers
 * after checking the request, marks each vCPU's hart as HU-capable, and confines the VM's guests to
 * the VM's memory and its harts' vPLIC context pages (vPMP). Its entries are counted.
 */
public final class ControlPlane {
    /** Exceptions a DuVisor may take from its guests (dv-ext.md §4): VS ecall, guest-page faults, virtual instruction. */
    public static final long ALLOWED_SEDELEG = (1L << Cause.ECALL_FROM_VS) | (1L << Cause.INSTRUCTION_GUEST_PAGE_FAULT)
            | (1L << Cause.LOAD_GUEST_PAGE_FAULT) | (1L << Cause.VIRTUAL_INSTRUCTION) | (1L << Cause.STORE_GUEST_PAGE_FAULT);
    /** Interrupts a DuVisor may take: USI (vIPI) and UTI (vtimer). */
    public static final long ALLOWED_SIDELEG = (1L << 0) | (1L << 4);
    /**
     * What the guest handles itself: dv-ext.md §4's set (misaligned fetch, breakpoint, U ecall, page
     * faults) plus illegal instructions, misaligned data accesses and access faults, which a guest
     * kernel must see as its own exceptions rather than stop the VM.
     */
    public static final long GUEST_HEDELEG = (1L << 0) | (1L << 1) | (1L << 2) | (1L << 3) | (1L << 4) | (1L << 5) | (1L << 6)
            | (1L << 7) | (1L << 8) | (1L << 12) | (1L << 13) | (1L << 15);
    public static final long GUEST_HIDELEG = (1L << 2) | (1L << 6) | (1L << 10);

    // Host PLIC register layout (PLIC 1.0.0 memory map).
    private static final long ENABLES = 0x2000, ENABLE_STRIDE = 0x80, CONTEXTS = 0x20_0000, CONTEXT_STRIDE = 0x1000;

    private final HostMachine host;
    /** Next free host frame; memory below {@link #firstFrame} is the host kernel's own. */
    private long nextFrame;
    private final long endOfRam;
    private int nextVmId = 1;
    /** The VM id owning each host hart, 0 for none. */
    private final int[] hartOwner;
    /** The VM id owning each host vPLIC source 0x80 + n (bit n of vinterrupts), 0 for none. */
    private final int[] virtualSourceOwner = new int[Plic.VIRTUAL_SOURCES];
    /** Set-up entries (VM creation, vCPU registration, memory) and entries while VMs run. */
    public final AtomicLong setupEntries = new AtomicLong(), runtimeEntries = new AtomicLong();

    /** A VM's pinned, contiguous memory: host physical [base, base + size). */
    public record VmMemory(int vmId, long base, long size) {
    }

    public ControlPlane(HostMachine host, long firstFrame) {
        this.host = host;
        this.nextFrame = firstFrame;
        this.endOfRam = HostMachine.RAM_BASE + host.bus.ramSize();
        this.hartOwner = new int[host.hartCount()];
    }

    /** Creates a VM with {@code bytes} of guest memory, 2 MiB aligned so the G-stage may use superpages later. */
    public synchronized VmMemory createVm(long bytes) {
        setupEntries.incrementAndGet();
        long base = (nextFrame + 0x1F_FFFF) & ~0x1F_FFFFL;
        if (bytes <= 0 || base + bytes > endOfRam) {
            throw new IllegalArgumentException("cannot pin " + (bytes >> 20) + " MiB of guest memory: host RAM exhausted");
        }
        nextFrame = base + bytes;
        return new VmMemory(nextVmId++, base, bytes);
    }

    /** Frames for the hypervisor's own use (its G-stage page tables), disjoint from every guest's memory. */
    public synchronized long allocateFrames(int count, long alignment) {
        setupEntries.incrementAndGet();
        long base = (nextFrame + alignment - 1) & -alignment;
        if (base + count * 4096L > endOfRam) throw new IllegalArgumentException("host RAM exhausted");
        nextFrame = base + count * 4096L;
        return base;
    }

    /** Gives host harts to a VM, one per vCPU; a hart that another VM holds, or that does not exist, is refused. */
    public synchronized void assignHarts(VmMemory vm, List<Integer> harts) {
        setupEntries.incrementAndGet();
        for (int h : harts) {
            if (h < 0 || h >= hartOwner.length) throw new IllegalArgumentException("host hart " + h + " does not exist (the host has " + hartOwner.length + ")");
            if (hartOwner[h] != 0 && hartOwner[h] != vm.vmId()) {
                throw new IllegalArgumentException("host hart " + h + " already runs a vCPU of VM " + hartOwner[h]);
            }
        }
        for (int h : harts) hartOwner[h] = vm.vmId();
    }

    /** One host vPLIC source for a device of {@code vm}: the n of source 0x80 + n, which no other VM gets (dv-ext.md §7). */
    public synchronized int allocateVirtualSource(VmMemory vm) {
        setupEntries.incrementAndGet();
        for (int n = 0; n < virtualSourceOwner.length; n++) {
            if (virtualSourceOwner[n] == 0) {
                virtualSourceOwner[n] = vm.vmId();
                return n;
            }
        }
        throw new IllegalArgumentException("the host's " + Plic.VIRTUAL_SOURCES + " vPLIC sources are all taken");
    }

    /**
     * Routes {@code vm}'s vPLIC sources (a vinterrupts mask) to the VS context of {@code hartId}, one
     * of its harts: each gets priority 1 and is enabled there, and no other context.
     */
    public synchronized void routeVirtualSources(VmMemory vm, int hartId, int bits) {
        setupEntries.incrementAndGet();
        requireOwner(vm, hartId);
        Plic plic = host.plic;
        long enables = ENABLES + ENABLE_STRIDE * vsContext(hartId);
        for (int n = 0; n < Plic.VIRTUAL_SOURCES; n++) {
            if ((bits >>> n & 1) == 0) continue;
            if (virtualSourceOwner[n] != vm.vmId()) throw new IllegalArgumentException("vPLIC source " + n + " is not VM " + vm.vmId() + "'s");
            int source = Plic.VIRTUAL_SOURCE_BASE + n;
            plic.write(4L * source, 1, 4);
            long word = enables + 4L * (source / 32);
            plic.write(word, plic.read(word, 4) | 1L << (source % 32), 4);
        }
    }

    /** The host PLIC's context driving hart {@code hartId}'s VSEIP (dv-ext.md §7: 3h + 2). */
    static int vsContext(int hartId) {
        return 3 * hartId + 2;
    }

    /** The claim/complete page of that context. */
    static long vsContextPage(int hartId) {
        return Plic.VIRT_BASE + CONTEXTS + CONTEXT_STRIDE * vsContext(hartId);
    }

    private void requireOwner(VmMemory vm, int hartId) {
        if (hartId < 0 || hartId >= hartOwner.length || hartOwner[hartId] != vm.vmId()) {
            throw new IllegalArgumentException("host hart " + hartId + " was not given to VM " + vm.vmId());
        }
    }

    /**
     * Registers hart {@code hartId} as a vCPU of {@code vm}: validates the delegation request,
     * programs medeleg/mideleg (the firmware's part), hedeleg/hideleg, sedeleg/sideleg,
     * scounteren, hstatus.HU, sstatus.FS and the vPMP window (the VM's memory and this hart's vPLIC VS-context
     * page), and leaves the hart in HU-mode. The hart must be one of the VM's.
     */
    public synchronized void registerVcpu(VmMemory vm, int hartId, long sedeleg, long sideleg) {
        setupEntries.incrementAndGet();
        requireOwner(vm, hartId);
        if ((sedeleg & ~ALLOWED_SEDELEG) != 0 || (sideleg & ~ALLOWED_SIDELEG) != 0) {
            throw new IllegalArgumentException("delegation request 0x" + Long.toHexString(sedeleg) + "/0x" + Long.toHexString(sideleg)
                    + " asks for causes a user-level hypervisor may not take");
        }
        HostMachine.HostHart hh = host.hart(hartId);
        Hart h = hh.hart();
        Csrs.write(h, Csrs.MEDELEG, Csrs.read(h, Csrs.MEDELEG) | sedeleg | GUEST_HEDELEG);
        Csrs.write(h, Csrs.MIDELEG, Csrs.read(h, Csrs.MIDELEG) | sideleg | 0x222);
        Csrs.write(h, Csrs.HEDELEG, GUEST_HEDELEG);
        Csrs.write(h, Csrs.HIDELEG, GUEST_HIDELEG);
        Csrs.write(h, Csrs.SEDELEG, sedeleg);
        Csrs.write(h, Csrs.SIDELEG, sideleg);
        Csrs.write(h, Csrs.SCOUNTEREN, -1L);
        Csrs.write(h, Csrs.MIE, Csrs.read(h, Csrs.MIE) | sideleg | GUEST_HIDELEG);
        Csrs.write(h, Csrs.HSTATUS, Csrs.read(h, Csrs.HSTATUS) | (1L << 9)); // HU
        // The vCPU thread's FP unit on (sstatus.FS = Initial): in V=1 it is in effect with vsstatus.FS.
        Csrs.write(h, 0x100, Csrs.read(h, 0x100) | 1L << 13);
        hh.dv().setGuestWindow(vm.base(), vm.size());
        hh.dv().allowDeviceWindow(vsContextPage(hartId), CONTEXT_STRIDE);
        hh.dv().userLevelInJava = true;
        hh.arch().setMode(org.duvisor.rv64.hart.Privilege.USER, false);
    }
}
