package org.duvisor.board.virtio;

import java.io.PrintStream;
import java.util.Objects;
import org.duvisor.board.BoardDevice;
import org.duvisor.board.DeviceTree;
import org.duvisor.board.IrqLine;
import org.duvisor.dbt.bus.MmioDevice;

/**
 * One virtio-mmio slot, version 2 (VIRTIO 1.2 §4.2.2): the register window, device status and
 * feature negotiation (§3.1.1), the split virtqueues of its {@link VirtioDevice}, and the
 * interrupt line. The queues reach the driver's buffers only through the {@link DmaMemory} the
 * slot is given (a machine's RAM, or a VM's guest-physical RAM). Slots follow QEMU's {@code virt} board: slot {@code i} at
 * {@code 0x1000_1000 + 0x1000·i}, PLIC source {@code 1 + i}.
 *
 * <p>A driver error (see {@link DriverError}) sets DEVICE_NEEDS_RESET, raises the configuration
 * change interrupt, prints one warning line and leaves every queue alone until the driver writes 0
 * to Status. The instance is its own lock: harts on several threads and the device's host-side
 * threads all go through it.
 */
public final class VirtioMmio implements BoardDevice {
    public static final long FIRST_SLOT_BASE = 0x1000_1000L;
    public static final long SLOT_SIZE = 0x1000;
    /** Slots on QEMU's virt board (PLIC sources 1..8). */
    public static final int SLOTS = 8;

    static final int MAGIC_VALUE = 0x7472_6976; // "virt"
    static final int VERSION = 2;
    static final int VENDOR_ID = 0x4456_0000; // "DV"

    // Register offsets (§4.2.2, table "MMIO Device Register Layout").
    static final int REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00C;
    static final int REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014;
    static final int REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024;
    static final int REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038;
    static final int REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050;
    static final int REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070;
    static final int REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084;
    static final int REG_QUEUE_DRIVER_LOW = 0x090, REG_QUEUE_DRIVER_HIGH = 0x094;
    static final int REG_QUEUE_DEVICE_LOW = 0x0A0, REG_QUEUE_DEVICE_HIGH = 0x0A4;
    static final int REG_SHM_SEL = 0x0AC, REG_SHM_LEN_LOW = 0x0B0, REG_SHM_LEN_HIGH = 0x0B4;
    static final int REG_SHM_BASE_LOW = 0x0B8, REG_SHM_BASE_HIGH = 0x0BC;
    static final int REG_CONFIG_GENERATION = 0x0FC, CONFIG = 0x100;

    // Device status bits (§2.1).
    public static final int STATUS_ACKNOWLEDGE = 1, STATUS_DRIVER = 2, STATUS_DRIVER_OK = 4, STATUS_FEATURES_OK = 8;
    public static final int STATUS_DEVICE_NEEDS_RESET = 0x40, STATUS_FAILED = 0x80;

    // InterruptStatus bits (§4.2.2).
    public static final int INTERRUPT_USED_BUFFER = 1, INTERRUPT_CONFIG_CHANGE = 2;

    // Transport feature bits (§6).
    public static final long F_INDIRECT_DESC = 1L << 28;
    public static final long F_EVENT_IDX = 1L << 29;
    public static final long F_VERSION_1 = 1L << 32;

    private final int slot;
    private final long base;
    private final VirtioDevice device;
    private final IrqLine irq;
    private final PrintStream log;
    private final Virtqueue[] queues;
    private final long offeredFeatures;

    private int status;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private long driverFeatures;
    private int queueSel;
    private int interruptStatus;
    private boolean irqLevel;
    private int configGeneration;
    private boolean broken;

    /** Slot {@code slot} with warnings going to {@code System.err}. */
    public VirtioMmio(int slot, VirtioDevice device, DmaMemory memory, IrqLine irq) {
        this(slot, device, memory, irq, System.err);
    }

    public VirtioMmio(int slot, VirtioDevice device, DmaMemory memory, IrqLine irq, PrintStream log) {
        if (slot < 0 || slot >= SLOTS) throw new IllegalArgumentException("virtio-mmio slot " + slot + " is not in [0, " + SLOTS + ")");
        this.slot = slot;
        this.base = slotBase(slot);
        this.device = Objects.requireNonNull(device, "device");
        this.irq = Objects.requireNonNull(irq, "irq");
        this.log = Objects.requireNonNull(log, "log");
        this.queues = new Virtqueue[device.queueCount()];
        for (int q = 0; q < queues.length; q++) {
            int max = device.queueMaxSize(q);
            if (max <= 0 || max > 32768 || Integer.bitCount(max) != 1) {
                throw new IllegalArgumentException(device.name() + ": queue " + q + " maximum size " + max + " is not a power of two ≤ 32768");
            }
            queues[q] = new Virtqueue(memory, q, max);
            queues[q].reset();
        }
        this.offeredFeatures = (device.features() & 0xFF_FFFFL) | F_VERSION_1 | F_INDIRECT_DESC;
        device.attach(new Host());
    }

    /**
     * What an unused slot answers on QEMU's virt board: the magic value, version 2 and DeviceID 0, a
     * placeholder drivers skip (VIRTIO 1.2 §4.2.3.1.1); writes are ignored.
     */
    public static MmioDevice emptySlot() {
        return new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                if (size != 4) return 0;
                return offset == REG_MAGIC ? MAGIC_VALUE : offset == REG_VERSION ? VERSION : 0;
            }

            @Override
            public void write(long offset, long value, int size) {
            }
        };
    }

    public static long slotBase(int slot) {
        return FIRST_SLOT_BASE + SLOT_SIZE * slot;
    }

    /** The PLIC source a slot's interrupt is wired to. */
    public static int plicSource(int slot) {
        return 1 + slot;
    }

    public int slot() {
        return slot;
    }

    public VirtioDevice device() {
        return device;
    }

    @Override
    public String name() {
        return device.name() + "@" + Long.toHexString(base);
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return SLOT_SIZE;
    }

    /** {@code virtio_mmio@…} as QEMU's virt board writes it; {@code soc} has two address and size cells. */
    @Override
    public void describe(DeviceTree tree, DeviceTree.Node soc) {
        soc.child("virtio_mmio@" + Long.toHexString(base))
                .property("compatible", "virtio,mmio")
                .cells("reg", base >>> 32, base & 0xFFFF_FFFFL, 0, SLOT_SIZE)
                .cells("interrupts", plicSource(slot))
                .cells("interrupt-parent", tree.phandle("plic"));
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset >= CONFIG) {
            long at = offset - CONFIG;
            if (at + size > device.configSize()) return 0;
            return device.readConfig((int) at, size);
        }
        // §4.2.2.2: the driver uses only 32-bit aligned accesses below the configuration space.
        if (size != 4 || (offset & 3) != 0) return 0;
        return Integer.toUnsignedLong(readRegister((int) offset));
    }

    private int readRegister(int offset) {
        Virtqueue q = selectedQueue();
        return switch (offset) {
            case REG_MAGIC -> MAGIC_VALUE;
            case REG_VERSION -> VERSION;
            case REG_DEVICE_ID -> device.deviceId();
            case REG_VENDOR_ID -> VENDOR_ID;
            case REG_DEVICE_FEATURES -> deviceFeaturesSel < 2 ? (int) (offeredFeatures >>> (32 * deviceFeaturesSel)) : 0;
            case REG_QUEUE_NUM_MAX -> q == null ? 0 : q.maxSize();
            case REG_QUEUE_NUM -> q == null ? 0 : q.size();
            case REG_QUEUE_READY -> q != null && q.ready() ? 1 : 0;
            case REG_INTERRUPT_STATUS -> interruptStatus;
            case REG_STATUS -> status;
            case REG_QUEUE_DESC_LOW -> q == null ? 0 : (int) q.descAddr();
            case REG_QUEUE_DESC_HIGH -> q == null ? 0 : (int) (q.descAddr() >>> 32);
            case REG_QUEUE_DRIVER_LOW -> q == null ? 0 : (int) q.driverAddr();
            case REG_QUEUE_DRIVER_HIGH -> q == null ? 0 : (int) (q.driverAddr() >>> 32);
            case REG_QUEUE_DEVICE_LOW -> q == null ? 0 : (int) q.deviceAddr();
            case REG_QUEUE_DEVICE_HIGH -> q == null ? 0 : (int) (q.deviceAddr() >>> 32);
            // No shared memory regions: a length of -1 says the selected one does not exist.
            case REG_SHM_LEN_LOW, REG_SHM_LEN_HIGH, REG_SHM_BASE_LOW, REG_SHM_BASE_HIGH -> -1;
            case REG_CONFIG_GENERATION -> configGeneration;
            default -> 0;
        };
    }

    @Override
    public synchronized void write(long offset, long value, int size) {
        if (offset >= CONFIG) {
            long at = offset - CONFIG;
            if (at + size <= device.configSize()) guarded(() -> device.writeConfig((int) at, value, size));
            return;
        }
        if (size != 4 || (offset & 3) != 0) return;
        writeRegister((int) offset, (int) value);
    }

    private void writeRegister(int offset, int value) {
        Virtqueue q = selectedQueue();
        switch (offset) {
            case REG_DEVICE_FEATURES_SEL -> deviceFeaturesSel = value;
            case REG_DRIVER_FEATURES_SEL -> driverFeaturesSel = value;
            case REG_DRIVER_FEATURES -> {
                // §3.1.1: features are fixed once FEATURES_OK is set.
                if ((status & STATUS_FEATURES_OK) == 0 && (driverFeaturesSel == 0 || driverFeaturesSel == 1)) {
                    int shift = 32 * driverFeaturesSel;
                    driverFeatures = (driverFeatures & ~(0xFFFF_FFFFL << shift)) | (Integer.toUnsignedLong(value) << shift);
                }
            }
            case REG_QUEUE_SEL -> queueSel = value;
            case REG_QUEUE_NUM -> {
                if (q != null && !q.ready()) q.setSize(value);
            }
            case REG_QUEUE_READY -> {
                if (q != null) setQueueReady(q, (value & 1) != 0);
            }
            case REG_QUEUE_DESC_LOW -> {
                if (q != null && !q.ready()) q.setDescAddr(low(q.descAddr(), value));
            }
            case REG_QUEUE_DESC_HIGH -> {
                if (q != null && !q.ready()) q.setDescAddr(high(q.descAddr(), value));
            }
            case REG_QUEUE_DRIVER_LOW -> {
                if (q != null && !q.ready()) q.setDriverAddr(low(q.driverAddr(), value));
            }
            case REG_QUEUE_DRIVER_HIGH -> {
                if (q != null && !q.ready()) q.setDriverAddr(high(q.driverAddr(), value));
            }
            case REG_QUEUE_DEVICE_LOW -> {
                if (q != null && !q.ready()) q.setDeviceAddr(low(q.deviceAddr(), value));
            }
            case REG_QUEUE_DEVICE_HIGH -> {
                if (q != null && !q.ready()) q.setDeviceAddr(high(q.deviceAddr(), value));
            }
            case REG_QUEUE_NOTIFY -> {
                if (value >= 0 && value < queues.length) service(value);
            }
            case REG_INTERRUPT_ACK -> {
                interruptStatus &= ~value;
                updateIrq();
            }
            case REG_STATUS -> writeStatus(value & 0xFF);
            default -> { }
        }
    }

    private static long low(long old, int value) {
        return (old & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(value);
    }

    private static long high(long old, int value) {
        return (old & 0xFFFF_FFFFL) | ((long) value << 32);
    }

    private Virtqueue selectedQueue() {
        return queueSel >= 0 && queueSel < queues.length ? queues[queueSel] : null;
    }

    private void setQueueReady(Virtqueue q, boolean ready) {
        if (!ready) {
            q.disable();
            return;
        }
        if (q.ready() || broken) return;
        try {
            q.enable((driverFeatures & F_INDIRECT_DESC) != 0);
        } catch (DriverError e) {
            fail(e.getMessage());
            return;
        }
        if ((status & STATUS_DRIVER_OK) != 0) service(q.index());
    }

    private void writeStatus(int value) {
        if (value == 0) {
            reset();
            return;
        }
        int next = value | (status & STATUS_DEVICE_NEEDS_RESET);
        if ((next & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0 && !featuresAcceptable()) {
            next &= ~STATUS_FEATURES_OK; // §3.1.1 step 6: the driver re-reads Status and sees the refusal
        }
        boolean driverOkNow = (next & STATUS_DRIVER_OK) != 0 && (status & STATUS_DRIVER_OK) == 0;
        status = next;
        if (driverOkNow) {
            // Buffers made available before DRIVER_OK were not consumed (§3.1.1); serve them now.
            for (int q = 0; q < queues.length; q++) service(q);
        }
    }

    /** Only offered bits, and VIRTIO_F_VERSION_1: this transport has no legacy interface. */
    private boolean featuresAcceptable() {
        return (driverFeatures & ~offeredFeatures) == 0 && (driverFeatures & F_VERSION_1) != 0;
    }

    /** Writing 0 to Status (§4.2.2.1): device and queues back to their initial state. */
    private void reset() {
        status = 0;
        deviceFeaturesSel = driverFeaturesSel = 0;
        driverFeatures = 0;
        queueSel = 0;
        for (Virtqueue q : queues) q.reset();
        interruptStatus = 0;
        broken = false;
        updateIrq();
        guarded(device::reset);
    }

    /** The driver's negotiated features (valid once FEATURES_OK is set). */
    public synchronized long driverFeatures() {
        return driverFeatures;
    }

    private void service(int queue) {
        Virtqueue q = queues[queue];
        if (broken || (status & STATUS_DRIVER_OK) == 0 || !q.ready()) return;
        guarded(() -> device.process(queue, q));
        if (q.ready() && q.takeNotification()) raise(INTERRUPT_USED_BUFFER);
    }

    /** Runs device code; whatever the guest did, no exception leaves the device. */
    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (DriverError e) {
            fail(e.getMessage());
        } catch (RuntimeException e) {
            fail("internal error while serving the driver: " + e);
        }
    }

    private void fail(String why) {
        if (broken) return;
        broken = true;
        status |= STATUS_DEVICE_NEEDS_RESET;
        log.println("warning: " + name() + ": " + why + "; device needs reset");
        // §2.1.2: with DRIVER_OK set, DEVICE_NEEDS_RESET comes with a configuration change notification.
        if ((status & STATUS_DRIVER_OK) != 0) raise(INTERRUPT_CONFIG_CHANGE);
    }

    private void raise(int bits) {
        interruptStatus |= bits;
        updateIrq();
    }

    private void updateIrq() {
        boolean level = interruptStatus != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    /** The device's view of this transport. */
    private final class Host implements VirtioDevice.Host {
        @Override
        public void requestService(int queue) {
            synchronized (VirtioMmio.this) {
                if (queue >= 0 && queue < queues.length) service(queue);
            }
        }

        @Override
        public void configChanged() {
            synchronized (VirtioMmio.this) {
                configGeneration++;
                if ((status & STATUS_DRIVER_OK) != 0) raise(INTERRUPT_CONFIG_CHANGE);
            }
        }
    }
}
