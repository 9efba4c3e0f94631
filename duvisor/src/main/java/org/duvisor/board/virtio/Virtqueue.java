package org.duvisor.board.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The device side of one split virtqueue (VIRTIO 1.2 §2.7): descriptor table, available ring
 * (driver area) and used ring (device area) in guest RAM.
 *
 * <p>Nothing the driver wrote is trusted: the three areas are checked against RAM when the queue
 * is enabled, every descriptor's buffer when its chain is walked, and chains may not loop, run
 * past the queue size, nest indirect tables or put readable buffers after writable ones. Any
 * violation is a {@link DriverError}; no guest value can make this class touch memory outside RAM.
 */
public final class Virtqueue {
    static final int DESC_F_NEXT = 1;
    static final int DESC_F_WRITE = 2;
    static final int DESC_F_INDIRECT = 4;
    static final int AVAIL_F_NO_INTERRUPT = 1;
    private static final int DESC_SIZE = 16;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DmaMemory memory;
    private final MemorySegment ram;
    private final int index;
    private final int maxSize;
    private final DescriptorChain chain;

    // Programmed by the driver through the transport.
    private int size;
    private long descAddr;
    private long driverAddr;
    private long deviceAddr;
    private boolean ready;

    // Valid while ready.
    private boolean indirectAllowed;
    private long descOffset;
    private long availOffset;
    private long usedOffset;
    private int nextAvail; // free-running, compared modulo 2^16 with avail->idx
    private int nextUsed;
    private boolean usedSinceNotification;

    Virtqueue(DmaMemory memory, int index, int maxSize) {
        this.memory = memory;
        this.ram = memory.ram();
        this.index = index;
        this.maxSize = maxSize;
        this.chain = new DescriptorChain(ram, maxSize);
    }

    public int index() {
        return index;
    }

    public int maxSize() {
        return maxSize;
    }

    /** QueueNum as the driver set it. */
    public int size() {
        return size;
    }

    public boolean ready() {
        return ready;
    }

    long descAddr() {
        return descAddr;
    }

    long driverAddr() {
        return driverAddr;
    }

    long deviceAddr() {
        return deviceAddr;
    }

    void setSize(int size) {
        this.size = size;
    }

    void setDescAddr(long addr) {
        descAddr = addr;
    }

    void setDriverAddr(long addr) {
        driverAddr = addr;
    }

    void setDeviceAddr(long addr) {
        deviceAddr = addr;
    }

    /** Back to the state after a device reset (§2.4): not ready, size = max, addresses 0. */
    void reset() {
        ready = false;
        size = maxSize;
        descAddr = driverAddr = deviceAddr = 0;
        usedSinceNotification = false;
    }

    /** QueueReady = 1: checks size and areas; the rings start at index 0. */
    void enable(boolean indirectDescriptors) {
        if (size == 0 || Integer.bitCount(size) != 1 || size > maxSize) {
            throw new DriverError("queue " + index + ": size " + size + " is not a power of two in [1, " + maxSize + "]");
        }
        descOffset = area("descriptor table", descAddr, (long) DESC_SIZE * size, 16);
        availOffset = area("available ring", driverAddr, 4 + 2L * size, 2);
        usedOffset = area("used ring", deviceAddr, 4 + 8L * size, 4);
        indirectAllowed = indirectDescriptors;
        nextAvail = 0;
        nextUsed = 0;
        usedSinceNotification = false;
        ready = true;
    }

    void disable() {
        ready = false;
    }

    private long area(String what, long addr, long bytes, int alignment) {
        long off = memory.offset(addr, bytes);
        if (off < 0) {
            throw new DriverError("queue " + index + ": " + what + " at 0x" + Long.toHexString(addr) + " (+" + bytes + " bytes) is outside RAM");
        }
        if ((addr & (alignment - 1)) != 0) {
            throw new DriverError("queue " + index + ": " + what + " at 0x" + Long.toHexString(addr) + " is not " + alignment + "-byte aligned");
        }
        return off;
    }

    /** True if the driver has made a buffer available that the device has not taken yet. */
    public boolean hasAvailable() {
        int availIdx = Short.toUnsignedInt(ram.get(U16, availOffset + 2));
        VarHandle.acquireFence(); // ring entries and descriptors are read after the index (§2.7.13)
        int pending = (availIdx - nextAvail) & 0xFFFF;
        if (pending > size) {
            throw new DriverError("queue " + index + ": available index jumped from " + (nextAvail & 0xFFFF) + " to " + availIdx
                    + ", more than the queue size " + size);
        }
        return pending != 0;
    }

    /** Takes the next available chain, or returns null if there is none. */
    public DescriptorChain pop() {
        if (!hasAvailable()) return null;
        int head = Short.toUnsignedInt(ram.get(U16, availOffset + 4 + 2L * (nextAvail & (size - 1))));
        nextAvail = (nextAvail + 1) & 0xFFFF;
        walk(head);
        return chain;
    }

    private void walk(int head) {
        if (head >= size) {
            throw new DriverError("queue " + index + ": available ring names descriptor " + head + ", beyond the queue size " + size);
        }
        chain.clear(head);
        long table = descOffset;
        int tableSize = size;
        boolean inIndirect = false;
        int i = head;
        // Each step adds a descriptor or enters the (single) indirect table, so a chain of at most
        // `size` descriptors (§2.7.5.3.1: a chain is never longer than the queue) needs size+1 steps.
        for (int steps = 0; ; steps++) {
            if (steps > size || chain.readableCount() + chain.writableCount() == size) {
                throw new DriverError("queue " + index + ": descriptor chain from " + head + " is longer than the queue size " + size + " (a loop?)");
            }
            long d = table + (long) DESC_SIZE * i;
            long addr = ram.get(U64, d);
            long len = Integer.toUnsignedLong(ram.get(U32, d + 8));
            int flags = Short.toUnsignedInt(ram.get(U16, d + 12));
            int next = Short.toUnsignedInt(ram.get(U16, d + 14));
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!indirectAllowed) throw new DriverError("queue " + index + ": indirect descriptor " + i + " but VIRTIO_RING_F_INDIRECT_DESC was not negotiated");
                if (inIndirect) throw new DriverError("queue " + index + ": indirect descriptor inside an indirect table");
                if ((flags & DESC_F_NEXT) != 0) throw new DriverError("queue " + index + ": indirect descriptor " + i + " also has NEXT set");
                if (len == 0 || len % DESC_SIZE != 0 || len / DESC_SIZE > size) {
                    throw new DriverError("queue " + index + ": indirect table of " + len + " bytes (must be a non-zero multiple of 16, at most the queue size in entries)");
                }
                long off = memory.offset(addr, len);
                if (off < 0) throw new DriverError("queue " + index + ": indirect table at 0x" + Long.toHexString(addr) + " (+" + len + " bytes) is outside RAM");
                table = off;
                tableSize = (int) (len / DESC_SIZE);
                inIndirect = true;
                i = 0;
                continue;
            }
            long off = memory.offset(addr, len);
            if (off < 0) {
                throw new DriverError("queue " + index + ": descriptor " + i + " buffer at 0x" + Long.toHexString(addr) + " (+" + len + " bytes) is outside RAM");
            }
            chain.add(off, len, (flags & DESC_F_WRITE) != 0);
            if ((flags & DESC_F_NEXT) == 0) return;
            if (next >= tableSize) {
                throw new DriverError("queue " + index + ": descriptor " + i + " links to " + next + ", beyond its table of " + tableSize);
            }
            i = next;
        }
    }

    /**
     * Returns {@code chain} to the driver with {@code written} bytes written into its writable part
     * (§2.7.8). The entry is written before the index, and the index with release semantics.
     */
    public void pushUsed(DescriptorChain c, long written) {
        long e = usedOffset + 4 + 8L * (nextUsed & (size - 1));
        ram.set(U32, e, c.head());
        ram.set(U32, e + 4, (int) Math.min(written, 0xFFFF_FFFFL));
        nextUsed = (nextUsed + 1) & 0xFFFF;
        VarHandle.releaseFence();
        ram.set(U16, usedOffset + 2, (short) nextUsed);
        usedSinceNotification = true;
    }

    /**
     * Whether a used-buffer notification is due: something was used since the last call and the
     * driver has not set VIRTQ_AVAIL_F_NO_INTERRUPT (§2.7.7; EVENT_IDX is not offered).
     */
    boolean takeNotification() {
        if (!usedSinceNotification) return false;
        usedSinceNotification = false;
        VarHandle.fullFence(); // the used index must be visible before the flag is sampled
        return (ram.get(U16, availOffset) & AVAIL_F_NO_INTERRUPT) == 0;
    }
}
