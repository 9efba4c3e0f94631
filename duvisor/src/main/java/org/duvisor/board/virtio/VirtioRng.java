package org.duvisor.board.virtio;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Random;

/**
 * Entropy device (VIRTIO 1.2 §5.4, device ID 4): one request queue whose device-writable buffers
 * are filled from a {@link SecureRandom}. No features, no configuration space.
 */
public final class VirtioRng implements VirtioDevice {
    static final int DEVICE_ID = 4;
    static final int QUEUE_SIZE = 64;
    /** Bytes filled per buffer at most; §5.4.6.1 lets the device write fewer than offered. */
    static final int MAX_FILL = 64 * 1024;

    private final Random source;
    private final byte[] scratch = new byte[4096];

    public VirtioRng() {
        this(new SecureRandom());
    }

    /** With another source of bytes (tests). */
    public VirtioRng(Random source) {
        this.source = Objects.requireNonNull(source);
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public String name() {
        return "virtio-rng";
    }

    @Override
    public long features() {
        return 0;
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
        return 0;
    }

    @Override
    public long readConfig(int offset, int size) {
        return 0;
    }

    @Override
    public void process(int queue, Virtqueue vq) {
        for (DescriptorChain c; (c = vq.pop()) != null; ) {
            if (c.readableCount() != 0) throw new DriverError("requestq buffer " + c.head() + " has device-readable descriptors");
            long want = Math.min(c.writableBytes(), MAX_FILL);
            long done = 0;
            while (done < want) {
                int n = (int) Math.min(scratch.length, want - done);
                source.nextBytes(scratch);
                c.write(done, scratch, 0, n);
                done += n;
            }
            vq.pushUsed(c, done);
        }
    }
}
