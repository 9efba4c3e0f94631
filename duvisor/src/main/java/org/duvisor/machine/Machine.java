package org.duvisor.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.duvisor.board.Aclint;
import org.duvisor.board.Board;
import org.duvisor.board.Htif;
import org.duvisor.board.Plic;
import org.duvisor.board.PowerControl;
import org.duvisor.board.TestFinisher;
import org.duvisor.board.Uart16550;
import org.duvisor.board.virtio.DmaMemory;
import org.duvisor.board.virtio.VirtioBlk;
import org.duvisor.board.virtio.VirtioConsole;
import org.duvisor.board.virtio.VirtioMmio;
import org.duvisor.board.virtio.VirtioRng;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.firmware.BuiltinSbi;
import org.duvisor.hext.DvExtension;
import org.duvisor.hext.HExtension;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.priv.HartLoop;
import org.duvisor.rv64.priv.InterruptPins;
import org.duvisor.rv64.priv.PrivilegedArchitecture;
import org.duvisor.rv64.priv.SystemMemory;
import org.duvisor.rv64.priv.Timebase;

/**
 * A full RV64 machine: RAM and QEMU-virt-compatible devices on one bus, harts on their own
 * threads, a device tree generated from the board, and the firmware and kernel loaded as the
 * chosen boot flow expects. {@link #run} returns the guest's power-off code.
 */
public final class Machine implements PowerControl, BuiltinSbi.Platform, AutoCloseable {
    public static final long RAM_BASE = 0x8000_0000L;
    public static final String ISA = "rv64imafdc_zicsr_zifencei_zba_zbb_zbs_sstc";
    /** With H and DV-Ext (dv-ext.md §1: the custom "_xdvext" suffix). */
    public static final String ISA_WITH_H = "rv64imafdch_zicsr_zifencei_zba_zbb_zbs_sstc_xdvext";
    /**
     * Soft-TLB entries per hart (each maps a 4 KiB page, so 16384 reach 64 MiB). Flushes clear only
     * the entries filled since the last one, so size costs little. Measured on the guest Linux
     * running spec-compress (ref): 256 -> 4096 entries, 17.6 -> 14.3 s; the whole SPEC-like suite
     * inside the guest (ref), 4096 -> 16384 entries: 1.04x and 1.10x faster (geomean, two runs of
     * SystemSideBySide --parts suite), boot 1.03x.
     */
    public static final int TLB_ENTRIES = Integer.getInteger("dv.tlbEntries", 16384);
    /** How often every hart is asked to leave translated code and look at its interrupts. */
    private static final long TICK_NANOS = 1_000_000;
    /** How often the ticker looks at HTIF's tohost when the program has one (see {@link #tick}). */
    private static final long HTIF_WATCH_NANOS = 20_000;

    private final MachineConfig config;
    private final HostMemory memory;
    private final PhysicalBus bus;
    private final Board board;
    private final Timebase timebase = new Timebase();
    private final List<HartLoop> loops = new ArrayList<>();
    private final List<SystemMemory> memories = new ArrayList<>();
    private final List<VirtioMmio> virtio = new ArrayList<>();
    private final OutputStream console;
    private final PrintStream log;
    private final Uart16550 uart;
    private Htif htif;
    private volatile boolean running = true;
    private volatile int exitCode;
    private long wallNanos;

    public Machine(MachineConfig config, OutputStream console, InputStream input, PrintStream log) throws BootException {
        this.config = config;
        this.console = console;
        this.log = log;
        if (config.harts() < 1 || config.harts() > 8) throw new BootException("--smp must be 1 to 8, not " + config.harts());
        if (config.memoryMiB() < 16 || config.memoryMiB() > 16384) throw new BootException("--mem must be 16 to 16384 MiB, not " + config.memoryMiB());
        long ramSize = config.memoryMiB() << 20;
        KernelImage kernel = KernelImage.read(config.kernel(), RAM_BASE, ramSize);
        KernelImage firmwareImage = null;
        switch (config.firmware()) {
            case NONE -> {
                if (kernel.kind() == KernelImage.Kind.LINUX_IMAGE) {
                    throw new BootException(config.kernel() + ": a Linux Image runs in S-mode and needs firmware (--bios builtin or opensbi)");
                }
            }
            case OPENSBI -> {
                if (!Files.isRegularFile(config.firmwareImage())) {
                    throw new BootException(config.firmwareImage() + ": OpenSBI firmware not found (install Debian's opensbi package)");
                }
                firmwareImage = KernelImage.read(config.firmwareImage(), RAM_BASE, ramSize);
                if (overlaps(firmwareImage, kernel)) throw new BootException(config.kernel() + " overlaps the firmware");
            }
            case BUILTIN -> {
            }
        }
        byte[] initrd = null;
        if (config.initrd() != null) initrd = readInitrd(config);

        memory = HostMemory.reserve(ramSize);
        MemorySegment ram = memory.segment();
        bus = new PhysicalBus(ram, RAM_BASE);
        board = new Board(bus, new Board.Config(config.harts(), config.hypervisor() ? ISA_WITH_H : ISA, "riscv,sv48", "duvisor,rv64-virt"));

        List<InterruptPins> pins = new ArrayList<>();
        List<PrivilegedArchitecture> archs = new ArrayList<>();
        DvExtension.VirtualIpis ipis = new DvExtension.VirtualIpis(config.harts());
        for (int i = 0; i < config.harts(); i++) {
            Hart hart = new Hart(i, new SoftTlb(TLB_ENTRIES, ram));
            PrivilegedArchitecture arch = new PrivilegedArchitecture(hart, bus, timebase);
            SystemMemory sm = new SystemMemory(arch);
            hart.tlb.setSlowPath(sm);
            if (config.hypervisor()) DvExtension.install(HExtension.install(arch, sm), ipis);
            archs.add(arch);
            pins.add(arch.pins);
            memories.add(sm);
        }
        board.add(new TestFinisher(TestFinisher.VIRT_BASE, this));
        board.add(new Aclint(Aclint.VIRT_BASE, pins, timebase));
        Plic plic = board.add(new Plic(Plic.VIRT_BASE, pins, config.hypervisor())); // with DV-Ext: the vPLIC contexts
        uart = board.add(Uart16550.virt(plic, console));
        DmaMemory dma = DmaMemory.of(bus);
        int slot = 0;
        try {
            for (MachineConfig.Disk d : config.disks()) {
                VirtioBlk blk = VirtioBlk.open(d.image(), d.readOnly());
                virtio.add(board.add(new VirtioMmio(slot, blk, dma, plic.source(VirtioMmio.plicSource(slot)), log)));
                slot++;
            }
        } catch (IllegalArgumentException e) {
            close();
            throw new BootException(e.getMessage());
        }
        virtio.add(board.add(new VirtioMmio(slot, new VirtioRng(), dma, plic.source(VirtioMmio.plicSource(slot)), log)));
        slot++;
        // A second console (hvc0) for guests that want one; terminal input stays with the UART.
        virtio.add(board.add(new VirtioMmio(slot, new VirtioConsole(null, console), dma, plic.source(VirtioMmio.plicSource(slot)), log)));

        // Guest memory layout: kernel (and firmware) low, the device tree at the top, the initrd below it.
        for (KernelImage k : firmwareImage == null ? List.of(kernel) : List.of(firmwareImage, kernel)) load(k, ram);
        Board.Chosen chosen = Board.Chosen.bootargs(config.bootargs() == null ? "" : config.bootargs());
        long ramEnd = RAM_BASE + ramSize;
        byte[] dtb = board.deviceTreeBlob(chosen.withInitrd(0, 0));
        long dtbAddress = (ramEnd - dtb.length - 0x10000) & ~0xFFFFL;
        if (initrd != null) {
            long initrdStart = (dtbAddress - initrd.length - 0x1000) & ~0xFFFL;
            if (initrdStart < kernel.end()) {
                close();
                throw new BootException(config.initrd() + ": " + (initrd.length >> 10) + " KiB initrd does not fit between the kernel and the top of "
                        + config.memoryMiB() + " MiB of RAM");
            }
            MemorySegment.copy(MemorySegment.ofArray(initrd), 0, ram, initrdStart - RAM_BASE, initrd.length);
            dtb = board.deviceTreeBlob(chosen.withInitrd(initrdStart, initrdStart + initrd.length));
        }
        MemorySegment.copy(MemorySegment.ofArray(dtb), 0, ram, dtbAddress - RAM_BASE, dtb.length);

        BuiltinSbi sbi = config.firmware() == Firmware.BUILTIN ? new BuiltinSbi(this) : null;
        for (PrivilegedArchitecture arch : archs) {
            Hart h = arch.hart;
            ExecutionEngine engine = config.engine().apply(h);
            HartLoop loop = new HartLoop(arch, engine, () -> running);
            loops.add(loop);
            h.x[10] = h.hartId;
            h.x[11] = dtbAddress;
            if (sbi != null) {
                sbi.prepare(arch);
                arch.setPrivilege(Privilege.SUPERVISOR);
                h.pc = kernel.entry();
                loop.setStarted(h.hartId == 0); // secondary harts wait for HSM hart_start
            } else {
                h.pc = firmwareImage != null ? firmwareImage.entry() : kernel.entry();
            }
        }
        if (kernel.tohost() != 0) {
            htif = new Htif(bus, kernel.tohost(), kernel.fromhost(), console, this);
            loops.getFirst().setPoll(htif::poll);
        }
        if (input != null) uart.startReader(input);
    }

    private static boolean overlaps(KernelImage a, KernelImage b) {
        for (KernelImage.Piece p : a.pieces()) {
            for (KernelImage.Piece q : b.pieces()) {
                long pEnd = p.address() + p.length() + p.zeroes(), qEnd = q.address() + q.length() + q.zeroes();
                if (p.address() < qEnd && q.address() < pEnd) return true;
            }
        }
        return false;
    }

    private static byte[] readInitrd(MachineConfig config) throws BootException {
        byte[] data;
        try {
            data = Files.readAllBytes(config.initrd());
        } catch (IOException e) {
            throw new BootException(config.initrd() + ": cannot read (" + e.getMessage() + ")");
        }
        if (data.length == 0) throw new BootException(config.initrd() + ": empty initrd");
        if (!InitrdFormat.recognised(data)) {
            throw new BootException(config.initrd() + ": not an initramfs (neither a newc cpio archive nor gzip/xz/zstd/lz4/bzip2/lzma-compressed)");
        }
        return data;
    }

    private void load(KernelImage k, MemorySegment ram) {
        for (KernelImage.Piece p : k.pieces()) {
            long off = p.address() - RAM_BASE;
            MemorySegment.copy(MemorySegment.ofArray(p.data()), p.offset(), ram, off, p.length());
            ram.asSlice(off + p.length(), p.zeroes()).fill((byte) 0);
        }
    }

    /** Runs every hart on its own thread until the guest powers off; returns its exit code. */
    public int run() {
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (HartLoop loop : loops) {
            int id = loop.architecture().hart.hartId;
            Thread t = new Thread(() -> {
                try {
                    loop.run();
                } catch (Throwable e) {
                    log.println("dv: internal error on hart " + id + ": " + e);
                    e.printStackTrace(log);
                    powerOff(70);
                }
            }, "dv-hart-" + id);
            threads.add(t);
        }
        Thread ticker = Thread.ofPlatform().daemon().name("dv-tick").start(this::tick);
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                powerOff(130);
            }
        }
        ticker.interrupt();
        wallNanos = System.nanoTime() - t0;
        try {
            console.flush();
        } catch (IOException ignored) {
            // the terminal is gone
        }
        return exitCode;
    }

    /**
     * The ticker: asks every hart to leave translated code and look at its interrupts each
     * {@link #TICK_NANOS}. With HTIF it also looks at tohost every {@link #HTIF_WATCH_NANOS}:
     * HTIF is served between the first hart's slices, and a guest waiting for the host to take a
     * request spins in one region, so without this every console character would cost a tick.
     */
    private void tick() {
        HartLoop first = loops.getFirst();
        long nextTick = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (now - nextTick >= 0) {
                for (HartLoop loop : loops) loop.architecture().hart.exitRequest = 1;
                nextTick = now + TICK_NANOS;
            } else if (htif != null && htif.requestPending()) {
                first.architecture().hart.exitRequest = 1;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(htif == null ? TICK_NANOS : HTIF_WATCH_NANOS);
        }
    }

    public long wallNanos() {
        return wallNanos;
    }

    public long instructionsRetired() {
        long n = 0;
        for (HartLoop loop : loops) n += loop.architecture().hart.instret;
        return n;
    }

    public List<HartLoop> loops() {
        return loops;
    }

    public Board board() {
        return board;
    }

    // ---- PowerControl ----

    @Override
    public void powerOff(int code) {
        if (!running) return;
        exitCode = code;
        running = false;
        for (HartLoop loop : loops) loop.architecture().pins.kick();
    }

    @Override
    public void reset() {
        log.println("dv: the guest asked for a reset; stopping (reboot is not emulated)");
        powerOff(0);
    }

    @Override
    public void fault(String message) {
        log.println("dv: " + message);
        powerOff(FAULT_EXIT_CODE);
    }

    // ---- BuiltinSbi.Platform ----

    @Override
    public List<HartLoop> harts() {
        return loops;
    }

    @Override
    public SystemMemory memory(int hartId) {
        return memories.get(hartId);
    }

    @Override
    public OutputStream console() {
        return console;
    }

    @Override
    public int consoleRead() {
        return -1;
    }

    @Override
    public void close() {
        for (VirtioMmio v : virtio) v.device().close();
        memory.close();
    }
}
