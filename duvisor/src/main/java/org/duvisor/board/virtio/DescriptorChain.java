package org.duvisor.board.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One available buffer as the device sees it (VIRTIO 1.2 §2.7.5): the device-readable descriptors
 * followed by the device-writable ones, each already checked to lie in RAM. Seen as two byte
 * streams, since a driver may split a request anywhere (§2.6.4, "message framing").
 *
 * <p>The queue reuses one instance: it is valid until the next {@link Virtqueue#pop}.
 */
public final class DescriptorChain {
    private final MemorySegment ram;
    private final long[] offset;
    private final long[] length;
    private int head;
    private int count;
    private int readableCount;
    private long readableBytes;
    private long writableBytes;

    DescriptorChain(MemorySegment ram, int capacity) {
        this.ram = ram;
        this.offset = new long[capacity];
        this.length = new long[capacity];
    }

    void clear(int headIndex) {
        head = headIndex;
        count = readableCount = 0;
        readableBytes = writableBytes = 0;
    }

    /** Appends a descriptor whose range {@code [ramOffset, ramOffset+len)} the queue has checked. */
    void add(long ramOffset, long len, boolean writable) {
        if (!writable && count > readableCount) {
            throw new DriverError("descriptor chain " + head + ": device-readable descriptor after a device-writable one");
        }
        offset[count] = ramOffset;
        length[count] = len;
        count++;
        if (writable) {
            writableBytes += len;
        } else {
            readableCount++;
            readableBytes += len;
        }
    }

    /** The descriptor index of the chain's head, as it goes into the used ring. */
    public int head() {
        return head;
    }

    public int readableCount() {
        return readableCount;
    }

    public int writableCount() {
        return count - readableCount;
    }

    public long readableBytes() {
        return readableBytes;
    }

    public long writableBytes() {
        return writableBytes;
    }

    /** The {@code i}-th device-readable buffer. */
    public MemorySegment readable(int i) {
        return ram.asSlice(offset[i], length[i]);
    }

    /** The {@code i}-th device-writable buffer. */
    public MemorySegment writable(int i) {
        return ram.asSlice(offset[readableCount + i], length[readableCount + i]);
    }

    /** Copies up to {@code len} bytes from position {@code pos} of the readable stream; returns the count. */
    public int read(long pos, byte[] dst, int dstOffset, int len) {
        return copy(0, readableCount, pos, dst, dstOffset, len, false);
    }

    /** Copies up to {@code len} bytes to position {@code pos} of the writable stream; returns the count. */
    public int write(long pos, byte[] src, int srcOffset, int len) {
        return copy(readableCount, count, pos, src, srcOffset, len, true);
    }

    private int copy(int from, int to, long pos, byte[] array, int arrayOffset, int len, boolean toGuest) {
        int done = 0;
        long skip = pos;
        for (int i = from; i < to && done < len; i++) {
            if (skip >= length[i]) {
                skip -= length[i];
                continue;
            }
            int n = (int) Math.min(length[i] - skip, len - done);
            long at = offset[i] + skip;
            if (toGuest) {
                MemorySegment.copy(array, arrayOffset + done, ram, ValueLayout.JAVA_BYTE, at, n);
            } else {
                MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, at, array, arrayOffset + done, n);
            }
            done += n;
            skip = 0;
        }
        return done;
    }
}
