package org.duvisor.board.virtio;

/**
 * One device type behind a virtio transport: what the driver negotiates with (device id,
 * device-specific feature bits, configuration space, queues) and what happens when a queue has
 * work. The transport owns status, feature negotiation, the rings and interrupts, and calls every
 * method here with its lock held, so a device needs no locking for queue work.
 */
public interface VirtioDevice {
    /** Device ID (VIRTIO 1.2 §5: 2 block, 3 console, 4 entropy). */
    int deviceId();

    /** Short name for messages ("virtio-blk"). */
    String name();

    /**
     * Device-specific feature bits (0..23, §6). The transport adds the transport bits it supports
     * (VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC).
     */
    long features();

    int queueCount();

    /** QueueNumMax of {@code queue}: a power of two, at most 32768 (§2.7). */
    int queueMaxSize(int queue);

    /** Bytes of device configuration space (at offset 0x100 of the mmio window). */
    int configSize();

    /** A little-endian read of {@code size} bytes at {@code offset}, which lies inside the space. */
    long readConfig(int offset, int size);

    /** A driver write to configuration space; most fields are read-only and ignore it. */
    default void writeConfig(int offset, long value, int size) {
    }

    /**
     * Serves {@code queue}: takes available chains, completes them with
     * {@link Virtqueue#pushUsed} and returns. Called when the driver notifies the queue, when the
     * driver sets DRIVER_OK, and when the device asks through {@link Host#requestService}. A
     * device may leave chains available (the console's receive queue waits for input).
     *
     * @throws DriverError when the driver's buffers break the specification
     */
    void process(int queue, Virtqueue vq);

    /** Forgets per-driver state (a device reset, §2.4); queue state is the transport's. */
    default void reset() {
    }

    /** Called once by the transport that owns this device. */
    default void attach(Host host) {
    }

    /** Releases host resources (files, threads); the machine is shutting down. */
    default void close() {
    }

    /** The transport as seen by its device, for work that starts on the host side. */
    interface Host {
        /** Runs {@link #process} for {@code queue} under the transport lock, if the queue is live. */
        void requestService(int queue);

        /** The configuration space changed: bump ConfigGeneration and notify the driver (§2.5). */
        void configChanged();
    }

    /** A little-endian read from a configuration image, zero beyond its end. */
    static long readLittleEndian(byte[] config, int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            int at = offset + i;
            v = (v << 8) | (at >= 0 && at < config.length ? config[at] & 0xFF : 0);
        }
        return v;
    }
}
