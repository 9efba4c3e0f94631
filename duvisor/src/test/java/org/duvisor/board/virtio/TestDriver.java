package org.duvisor.board.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.board.virtio.VirtioMmio.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.duvisor.board.IrqLine;
import org.duvisor.dbt.bus.PhysicalBus;

/**
 * The driver side of a virtio-mmio device, written from the specification for tests: it lays out
 * split virtqueues in a 1 MiB guest RAM at 0x8000_0000, performs the status handshake and submits
 * descriptor chains. RAM is surrounded by guard pages filled with a pattern so that tests can tell
 * whether the device wrote outside RAM.
 */
final class TestDriver implements AutoCloseable {
    static final long RAM_BASE = 0x8000_0000L;
    static final long RAM_SIZE = 1 << 20;
    static final int GUARD = 0x4000;
    static final byte GUARD_BYTE = (byte) 0xA5;
    /** Queue q: descriptor table at QUEUE_AREA + q*0x4000, available ring +0x1000, used ring +0x2000. */
    static final long QUEUE_AREA = RAM_BASE;
    static final long BUFFER_AREA = RAM_BASE + 0x20000;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A buffer of a chain: guest address, length, device-writable or not. */
    record Buf(long addr, int len, boolean writable) {
        static Buf in(long addr, int len) {
            return new Buf(addr, len, false);
        }

        static Buf out(long addr, int len) {
            return new Buf(addr, len, true);
        }
    }

    /** Records the interrupt line: its level and how often it went high. */
    static final class Irq implements IrqLine {
        volatile boolean level;
        volatile int raised;

        @Override
        public void set(boolean l) {
            if (l && !level) raised++;
            level = l;
        }
    }

    final Arena arena = Arena.ofShared();
    final MemorySegment whole = arena.allocate(RAM_SIZE + 2 * GUARD, 4096);
    final MemorySegment ram = whole.asSlice(GUARD, RAM_SIZE);
    final PhysicalBus bus = new PhysicalBus(ram, RAM_BASE);
    final Irq irq = new Irq();
    final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    final VirtioMmio mmio;
    final VirtioDevice device;

    private final int[] queueSize = new int[8];
    private final int[] nextDesc = new int[8];
    private final int[] availIdx = new int[8];
    private long nextBuffer = BUFFER_AREA;

    TestDriver(VirtioDevice device) {
        this(0, device);
    }

    TestDriver(int slot, VirtioDevice device) {
        whole.fill(GUARD_BYTE);
        ram.fill((byte) 0);
        this.device = device;
        this.mmio = new VirtioMmio(slot, device, DmaMemory.of(bus), irq, new PrintStream(warnings, true, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        device.close();
        arena.close();
    }

    // --- registers ---

    int reg(int offset) {
        return (int) mmio.read(offset, 4);
    }

    void reg(int offset, int value) {
        mmio.write(offset, Integer.toUnsignedLong(value), 4);
    }

    int status() {
        return reg(REG_STATUS);
    }

    long deviceFeatures() {
        reg(REG_DEVICE_FEATURES_SEL, 0);
        long lo = Integer.toUnsignedLong(reg(REG_DEVICE_FEATURES));
        reg(REG_DEVICE_FEATURES_SEL, 1);
        return lo | (Integer.toUnsignedLong(reg(REG_DEVICE_FEATURES)) << 32);
    }

    /** §3.1.1 steps 1–6: reset, ACKNOWLEDGE, DRIVER, write features, set FEATURES_OK; returns Status read back. */
    int negotiate(long features) {
        reg(REG_STATUS, 0);
        reg(REG_STATUS, STATUS_ACKNOWLEDGE);
        reg(REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        reg(REG_DRIVER_FEATURES_SEL, 0);
        reg(REG_DRIVER_FEATURES, (int) features);
        reg(REG_DRIVER_FEATURES_SEL, 1);
        reg(REG_DRIVER_FEATURES, (int) (features >>> 32));
        reg(REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        return status();
    }

    /** The whole handshake with queues of {@code size} entries (or their maximum if smaller). */
    void start(long features, int size) {
        assertThat(negotiate(features) & STATUS_FEATURES_OK).as("FEATURES_OK accepted").isNotZero();
        for (int q = 0; q < device.queueCount(); q++) setUpQueue(q, size);
        reg(REG_STATUS, status() | STATUS_DRIVER_OK);
    }

    void start() {
        start(F_VERSION_1, 16);
    }

    void setUpQueue(int q, int size) {
        reg(REG_QUEUE_SEL, q);
        int n = Math.min(size, reg(REG_QUEUE_NUM_MAX));
        queueSize[q] = n;
        nextDesc[q] = 0;
        availIdx[q] = 0;
        ram.asSlice(descAddr(q) - RAM_BASE, 0x3000).fill((byte) 0);
        reg(REG_QUEUE_NUM, n);
        setQueueAddresses(q, descAddr(q), availAddr(q), usedAddr(q));
        reg(REG_QUEUE_READY, 1);
    }

    void setQueueAddresses(int q, long desc, long avail, long used) {
        reg(REG_QUEUE_SEL, q);
        reg(REG_QUEUE_DESC_LOW, (int) desc);
        reg(REG_QUEUE_DESC_HIGH, (int) (desc >>> 32));
        reg(REG_QUEUE_DRIVER_LOW, (int) avail);
        reg(REG_QUEUE_DRIVER_HIGH, (int) (avail >>> 32));
        reg(REG_QUEUE_DEVICE_LOW, (int) used);
        reg(REG_QUEUE_DEVICE_HIGH, (int) (used >>> 32));
    }

    static long descAddr(int q) {
        return QUEUE_AREA + 0x4000L * q;
    }

    static long availAddr(int q) {
        return descAddr(q) + 0x1000;
    }

    static long usedAddr(int q) {
        return descAddr(q) + 0x2000;
    }

    // --- buffers and chains ---

    /** A fresh 16-byte-aligned guest buffer, zeroed. */
    long alloc(int len) {
        long a = nextBuffer;
        nextBuffer = (nextBuffer + len + 15) & ~15L;
        assertThat(nextBuffer).isLessThanOrEqualTo(RAM_BASE + RAM_SIZE);
        ram.asSlice(a - RAM_BASE, len).fill((byte) 0);
        return a;
    }

    long alloc(byte[] contents) {
        long a = alloc(contents.length);
        put(a, contents);
        return a;
    }

    /** Writes one raw descriptor. */
    void descriptor(int q, int index, long addr, int len, int flags, int next) {
        long d = descAddr(q) - RAM_BASE + 16L * index;
        ram.set(U64, d, addr);
        ram.set(U32, d + 8, len);
        ram.set(U16, d + 12, (short) flags);
        ram.set(U16, d + 14, (short) next);
    }

    /** Lays {@code bufs} out as a chain in free descriptors and makes it available; returns the head. */
    int post(int q, Buf... bufs) {
        int n = queueSize[q];
        int head = nextDesc[q];
        for (int i = 0; i < bufs.length; i++) {
            int index = (head + i) % n;
            boolean last = i == bufs.length - 1;
            descriptor(q, index, bufs[i].addr(), bufs[i].len(),
                    (bufs[i].writable() ? Virtqueue.DESC_F_WRITE : 0) | (last ? 0 : Virtqueue.DESC_F_NEXT), (index + 1) % n);
        }
        nextDesc[q] = (head + bufs.length) % n;
        publish(q, head);
        return head;
    }

    /** Puts {@code head} in the available ring and increments avail->idx (after a release fence). */
    void publish(int q, int head) {
        long avail = availAddr(q) - RAM_BASE;
        ram.set(U16, avail + 4 + 2L * (availIdx[q] % queueSize[q]), (short) head);
        availIdx[q] = (availIdx[q] + 1) & 0xFFFF;
        VarHandle.releaseFence();
        ram.set(U16, avail + 2, (short) availIdx[q]);
    }

    void setAvailIdx(int q, int idx) {
        availIdx[q] = idx & 0xFFFF;
        ram.set(U16, availAddr(q) - RAM_BASE + 2, (short) idx);
    }

    void setAvailFlags(int q, int flags) {
        ram.set(U16, availAddr(q) - RAM_BASE, (short) flags);
    }

    void notify(int q) {
        reg(REG_QUEUE_NOTIFY, q);
    }

    int submit(int q, Buf... bufs) {
        int head = post(q, bufs);
        notify(q);
        return head;
    }

    int usedIdx(int q) {
        return Short.toUnsignedInt(ram.get(U16, usedAddr(q) - RAM_BASE + 2));
    }

    int usedId(int q, int i) {
        return ram.get(U32, usedAddr(q) - RAM_BASE + 4 + 8L * (i % queueSize[q]));
    }

    int usedLen(int q, int i) {
        return ram.get(U32, usedAddr(q) - RAM_BASE + 8 + 8L * (i % queueSize[q]));
    }

    // --- memory ---

    byte[] bytes(long addr, int len) {
        return ram.asSlice(addr - RAM_BASE, len).toArray(ValueLayout.JAVA_BYTE);
    }

    void put(long addr, byte[] data) {
        MemorySegment.copy(data, 0, ram, ValueLayout.JAVA_BYTE, addr - RAM_BASE, data.length);
    }

    byte byteAt(long addr) {
        return ram.get(ValueLayout.JAVA_BYTE, addr - RAM_BASE);
    }

    /** True if no byte of the guard areas around RAM changed. */
    boolean guardsIntact() {
        for (long i = 0; i < GUARD; i++) {
            if (whole.get(ValueLayout.JAVA_BYTE, i) != GUARD_BYTE) return false;
            if (whole.get(ValueLayout.JAVA_BYTE, GUARD + RAM_SIZE + i) != GUARD_BYTE) return false;
        }
        return true;
    }

    String warnings() {
        return warnings.toString(StandardCharsets.UTF_8);
    }

    boolean needsReset() {
        return (status() & STATUS_DEVICE_NEEDS_RESET) != 0;
    }
}
