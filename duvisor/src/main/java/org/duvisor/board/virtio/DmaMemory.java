package org.duvisor.board.virtio;

import java.lang.foreign.MemorySegment;
import org.duvisor.dbt.bus.PhysicalBus;

/**
 * The memory a virtio device reaches by DMA: the driver's addresses, checked and turned into
 * offsets of one RAM segment. On a machine that is the board's RAM ({@link #of}); for a VM it is
 * the VM's own RAM under its guest-physical addresses, so no guest value can name anything else.
 */
public interface DmaMemory {
    /** The RAM the offsets of {@link #offset} index. */
    MemorySegment ram();

    /** The offset in {@link #ram()} of {@code [addr, addr + size)}, or -1 unless that whole range is RAM the device may reach. */
    long offset(long addr, long size);

    /** The RAM of a physical bus, at the bus's addresses. */
    static DmaMemory of(PhysicalBus bus) {
        return new DmaMemory() {
            @Override
            public MemorySegment ram() {
                return bus.ram();
            }

            @Override
            public long offset(long addr, long size) {
                return bus.ramOffset(addr, size);
            }
        };
    }
}
