package org.duvisor.vm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.duvisor.dbt.bus.PhysicalBus;

/**
 * A VM's G-stage page tables in Sv39x4 form (Privileged ISA 8.5.1), built by the hypervisor in its
 * own frames (never in guest memory) and filled lazily, one 4 KiB page per guest-page fault.
 */
public final class GuestStageMmu {
    private static final ValueLayout.OfLong PTE = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;
    /** Sv39x4: guest-physical addresses are 41 bits. */
    public static final long GPA_LIMIT = 1L << 41;

    private final PhysicalBus bus;
    private final MemorySegment ram;
    private final long root;
    private final TableFrames frames;
    private final int vmid;

    /** Where the MMU gets zeroed 4 KiB frames for its tables. */
    @FunctionalInterface
    public interface TableFrames {
        long allocate();
    }

    /** {@code root} is a zeroed, 16 KiB aligned four-frame area. */
    public GuestStageMmu(PhysicalBus bus, long root, int vmid, TableFrames frames) {
        if ((root & 0x3FFF) != 0) throw new IllegalArgumentException("Sv39x4 root must be 16 KiB aligned");
        this.bus = bus;
        this.ram = bus.ram();
        this.root = root;
        this.frames = frames;
        this.vmid = vmid;
    }

    /** The hgatp/hugatp value: MODE Sv39x4, VMID, root PPN (8.2.10). */
    public long gatp() {
        return (8L << 60) | ((long) vmid << 44) | (root >>> 12);
    }

    /** Maps the 4 KiB guest page of {@code gpa} to host frame {@code hostPage}, read/write/execute. */
    public void map(long gpa, long hostPage) {
        long table = root;
        for (int level = 2; level > 0; level--) {
            long index = (gpa >>> (12 + 9 * level)) & (level == 2 ? 0x7FF : 0x1FF);
            long entry = table + index * 8;
            long pte = read(entry);
            if ((pte & V) == 0) {
                long next = frames.allocate();
                ram.asSlice(offset(next), 4096).fill((byte) 0);
                pte = ((next >>> 12) << 10) | V;
                write(entry, pte);
            }
            table = (pte >>> 10) << 12;
        }
        long leaf = table + ((gpa >>> 12) & 0x1FF) * 8;
        // Leaves need U=1 (G-stage accesses are checked as U-mode); A and D preset so no later fault.
        write(leaf, ((hostPage >>> 12) << 10) | V | R | W | X | U | A | D);
    }

    private long offset(long pa) {
        long off = bus.ramOffset(pa, 8);
        if (off < 0) throw new IllegalStateException("G-stage table frame 0x" + Long.toHexString(pa) + " is not host RAM");
        return off;
    }

    private long read(long pa) {
        return ram.get(PTE, offset(pa));
    }

    private void write(long pa, long value) {
        ram.set(PTE, offset(pa), value);
    }
}
