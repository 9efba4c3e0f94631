package org.duvisor.board.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Block device (VIRTIO 1.2 §5.2, device ID 2) backed by a raw image file, read-write or read-only.
 * Requests: T_IN, T_OUT, T_FLUSH and T_GET_ID; other types are answered UNSUPP. A request beyond
 * the capacity, a write to a read-only device or a host I/O error is answered IOERR; a request too
 * short to carry its header and status byte is a driver error.
 */
public final class VirtioBlk implements VirtioDevice {
    static final int DEVICE_ID = 2;
    static final int SECTOR_SIZE = 512;
    static final int QUEUE_SIZE = 256;
    /** Data segments per request: a chain also holds the header and the status byte. */
    static final int SEG_MAX = QUEUE_SIZE - 2;

    // Feature bits (§5.2.3).
    static final long F_SEG_MAX = 1L << 2;
    static final long F_RO = 1L << 5;
    static final long F_BLK_SIZE = 1L << 6;
    static final long F_FLUSH = 1L << 9;

    // Request types and status values (§5.2.6).
    static final int T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8;
    static final byte S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;
    static final int HEADER_SIZE = 16;
    static final int ID_BYTES = 20;

    // Configuration layout (§5.2.4): capacity le64 @0, size_max le32 @8, seg_max le32 @12,
    // geometry @16, blk_size le32 @20.
    static final int CONFIG_SIZE = 24;

    private final FileChannel file;
    private final boolean readOnly;
    private final long capacity;
    private final byte[] id;
    private final byte[] config = new byte[CONFIG_SIZE];
    private final byte[] header = new byte[HEADER_SIZE];
    private final byte[] status = new byte[1];

    private VirtioBlk(FileChannel file, boolean readOnly, long sizeBytes, String id) {
        this.file = file;
        this.readOnly = readOnly;
        this.capacity = sizeBytes / SECTOR_SIZE;
        this.id = Arrays.copyOf(id.getBytes(StandardCharsets.US_ASCII), ID_BYTES); // NUL-padded when shorter
        ByteBuffer c = ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(0, capacity).putInt(12, SEG_MAX).putInt(20, SECTOR_SIZE);
    }

    /**
     * Opens a raw disk image. Refuses, with a message naming the file, anything that is not an
     * existing regular file whose size is a non-zero multiple of 512 bytes, or that cannot be
     * opened in the requested mode.
     *
     * @throws IllegalArgumentException with that message
     */
    public static VirtioBlk open(Path image, boolean readOnly) {
        String what = "disk image " + image;
        if (!Files.exists(image)) throw new IllegalArgumentException(what + ": no such file");
        if (!Files.isRegularFile(image)) throw new IllegalArgumentException(what + ": not a regular file");
        FileChannel ch;
        try {
            ch = readOnly ? FileChannel.open(image, StandardOpenOption.READ)
                    : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(what + ": cannot open " + (readOnly ? "for reading" : "for reading and writing") + " (" + e + ")");
        }
        try {
            long size = ch.size();
            if (size == 0) throw new IllegalArgumentException(what + ": is empty");
            if (size % SECTOR_SIZE != 0) {
                throw new IllegalArgumentException(what + ": size " + size + " bytes is not a multiple of " + SECTOR_SIZE);
            }
            String name = String.valueOf(image.getFileName());
            return new VirtioBlk(ch, readOnly, size, name.replaceAll("[^\\x20-\\x7e]", "?"));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalArgumentException(what + ": cannot read its size (" + e + ")");
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to report than the original problem
        }
    }

    /** Capacity in 512-byte sectors. */
    public long capacity() {
        return capacity;
    }

    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public String name() {
        return "virtio-blk";
    }

    @Override
    public long features() {
        return F_SEG_MAX | F_BLK_SIZE | F_FLUSH | (readOnly ? F_RO : 0);
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueMaxSize(int queue) {
        return QUEUE_SIZE;
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    @Override
    public long readConfig(int offset, int size) {
        return VirtioDevice.readLittleEndian(config, offset, size);
    }

    @Override
    public void process(int queue, Virtqueue vq) {
        for (DescriptorChain c; (c = vq.pop()) != null; ) {
            if (c.readableBytes() < HEADER_SIZE) {
                throw new DriverError("request " + c.head() + ": device-readable part is " + c.readableBytes() + " bytes, shorter than the 16-byte header");
            }
            if (c.writableBytes() < 1) throw new DriverError("request " + c.head() + ": no device-writable status byte");
            c.read(0, header, 0, HEADER_SIZE);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int type = h.getInt(0);
            long sector = h.getLong(8);
            long written = serve(c, type, sector);
            vq.pushUsed(c, written);
        }
    }

    /** Serves one request, writes its status byte, and returns the bytes written into the chain. */
    private long serve(DescriptorChain c, int type, long sector) {
        long statusAt = c.writableBytes() - 1;
        byte result;
        long data = 0;
        switch (type) {
            case T_IN -> {
                long len = statusAt;
                result = inRange(sector, len) ? transfer(c, sector, len, true) : S_IOERR;
                if (result == S_OK) data = len;
            }
            case T_OUT -> {
                long len = c.readableBytes() - HEADER_SIZE;
                // §5.2.6.2: a write to a read-only device fails with IOERR and writes nothing.
                result = readOnly || !inRange(sector, len) ? S_IOERR : transfer(c, sector, len, false);
            }
            case T_FLUSH -> result = flush();
            case T_GET_ID -> {
                if (statusAt < ID_BYTES) {
                    result = S_IOERR;
                } else {
                    c.write(0, id, 0, ID_BYTES);
                    data = ID_BYTES;
                    result = S_OK;
                }
            }
            default -> result = S_UNSUPP;
        }
        status[0] = result;
        c.write(statusAt, status, 0, 1);
        return data + 1;
    }

    /** Whole sectors, all of them within the capacity. */
    private boolean inRange(long sector, long len) {
        if (len % SECTOR_SIZE != 0) return false;
        long sectors = len / SECTOR_SIZE;
        return Long.compareUnsigned(sector, capacity) <= 0 && sectors <= capacity - sector;
    }

    private byte flush() {
        if (readOnly) return S_OK;
        try {
            file.force(false);
            return S_OK;
        } catch (IOException e) {
            return S_IOERR;
        }
    }

    /** Moves {@code len} bytes between the image at {@code sector} and the chain's data buffers. */
    private byte transfer(DescriptorChain c, long sector, long len, boolean toGuest) {
        long filePos = sector * SECTOR_SIZE;
        long skip = toGuest ? 0 : HEADER_SIZE; // the data follows the header in the readable part
        long left = len;
        int segments = toGuest ? c.writableCount() : c.readableCount();
        try {
            for (int i = 0; i < segments && left > 0; i++) {
                MemorySegment s = toGuest ? c.writable(i) : c.readable(i);
                if (skip >= s.byteSize()) {
                    skip -= s.byteSize();
                    continue;
                }
                long n = Math.min(s.byteSize() - skip, left);
                for (long done = 0; done < n; ) {
                    int chunk = (int) Math.min(n - done, 1 << 20);
                    ByteBuffer b = s.asSlice(skip + done, chunk).asByteBuffer();
                    while (b.hasRemaining()) {
                        int r = toGuest ? file.read(b, filePos) : file.write(b, filePos);
                        if (r < 0) return S_IOERR; // the image shrank under us
                        filePos += r;
                    }
                    done += chunk;
                }
                left -= n;
                skip = 0;
            }
            return S_OK;
        } catch (IOException e) {
            return S_IOERR;
        }
    }

    @Override
    public void close() {
        closeQuietly(file);
    }
}
