package org.duvisor.vm;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.duvisor.board.IrqLine;
import org.duvisor.board.Plic;
import org.duvisor.board.Uart16550;
import org.duvisor.board.virtio.DmaMemory;
import org.duvisor.board.virtio.VirtioBlk;
import org.duvisor.board.virtio.VirtioDevice;
import org.duvisor.board.virtio.VirtioMmio;
import org.duvisor.board.virtio.VirtioRng;
import org.duvisor.dbt.bus.MmioDevice;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.machine.MachineConfig;

/**
 * The emulated devices of a VM, mapped into its guest-physical address space at the virt board's
 * addresses: the 16550 UART (output only; its interrupt is not wired), virtio-mmio slots 0..6 —
 * the disks in order, then an entropy source, and the rest empty (DeviceID 0, as QEMU answers) —
 * a doorbell in slot 7's window (the microbenchmarks' device: any write raises its interrupt, an
 * edge), and the guest's PLIC, the board's PLIC model with two contexts per vCPU (M = 2i, S = 2i+1).
 * Interrupt sources are numbered as on virt: slot i is source 1 + i, the doorbell 8.
 *
 * <p>The devices' DMA reaches only the VM's RAM, by guest-physical address ({@link DmaMemory} of the
 * VM's address space). Where their interrupts go is the plane's choice ({@link Interrupts}).
 */
final class GuestDevices implements AutoCloseable {
    static final long PLIC_BASE = Plic.VIRT_BASE, PLIC_SIZE = Plic.SIZE;
    /** Virtio slots a VM offers: the doorbell sits in the eighth. */
    static final int VIRTIO_SLOTS = 7;
    static final long DOORBELL_BASE = VirtioMmio.slotBase(VIRTIO_SLOTS), DOORBELL_SIZE = VirtioMmio.SLOT_SIZE;
    static final int DOORBELL_SOURCE = VirtioMmio.plicSource(VIRTIO_SLOTS);
    static final long CONTEXTS = 0x20_0000, CONTEXT_STRIDE = 0x1000;

    /** How a plane delivers the interrupt of guest source {@code source}. */
    @FunctionalInterface
    interface Interrupts {
        IrqLine line(int source, boolean edgeTriggered);
    }

    final List<VirtioMmio> virtio = new ArrayList<>();

    /**
     * Maps the devices into {@code space}. {@code plic} is the guest's PLIC model; {@code interrupts}
     * wires the devices' lines.
     *
     * @throws IllegalArgumentException when a disk image cannot be used (the message names it), or
     *                                  there are more disks than slots
     */
    GuestDevices(PhysicalBus space, Plic plic, Interrupts interrupts, List<MachineConfig.Disk> disks, OutputStream console,
                 PrintStream log) {
        if (disks.size() > VIRTIO_SLOTS - 1) {
            throw new IllegalArgumentException("a VM takes at most " + (VIRTIO_SLOTS - 1) + " disks (virtio slots 0.." + (VIRTIO_SLOTS - 2) + ")");
        }
        space.map(PLIC_BASE, PLIC_SIZE, plic, "plic");
        Uart16550 uart = new Uart16550(Uart16550.VIRT_BASE, Uart16550.VIRT_PLIC_SOURCE, IrqLine.NONE, console);
        space.map(uart.base(), uart.size(), uart, uart.name());
        space.map(DOORBELL_BASE, DOORBELL_SIZE, new Doorbell(interrupts.line(DOORBELL_SOURCE, true)), "doorbell");
        DmaMemory dma = DmaMemory.of(space);
        try {
            for (MachineConfig.Disk d : disks) attach(space, VirtioBlk.open(d.image(), d.readOnly()), dma, interrupts, log);
        } catch (IllegalArgumentException e) {
            close();
            throw e;
        }
        attach(space, new VirtioRng(), dma, interrupts, log);
        for (int slot = virtio.size(); slot < VIRTIO_SLOTS; slot++) {
            space.map(VirtioMmio.slotBase(slot), VirtioMmio.SLOT_SIZE, VirtioMmio.emptySlot(), "virtio-empty-" + slot);
        }
    }

    private void attach(PhysicalBus space, VirtioDevice device, DmaMemory dma, Interrupts interrupts,
                        PrintStream log) {
        int slot = virtio.size();
        VirtioMmio m = new VirtioMmio(slot, device, dma, interrupts.line(VirtioMmio.plicSource(slot), false), log);
        space.map(m.base(), m.size(), m, m.name());
        virtio.add(m);
    }

    /** The guest-physical claim/complete page of the guest's context for vCPU {@code vcpu} in S-mode (context 2i+1). */
    static long claimPage(int vcpu) {
        return PLIC_BASE + CONTEXTS + CONTEXT_STRIDE * (2L * vcpu + 1);
    }

    /** Closes the disks' image files. */
    @Override
    public void close() {
        for (VirtioMmio m : virtio) m.device().close();
    }

    /** A write rings: the device's interrupt line pulses (an edge). */
    static final class Doorbell implements MmioDevice {
        private final IrqLine line;

        Doorbell(IrqLine line) {
            this.line = line;
        }

        @Override
        public long read(long offset, int size) {
            return 0;
        }

        @Override
        public synchronized void write(long offset, long value, int size) {
            line.set(true);
            line.set(false);
        }
    }
}
