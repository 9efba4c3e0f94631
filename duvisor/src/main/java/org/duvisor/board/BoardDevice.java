package org.duvisor.board;

import org.duvisor.dbt.bus.MmioDevice;

/**
 * A device of the board: an MMIO window at a fixed guest-physical address that also describes
 * itself in the flattened device tree. A board is a list of these; its device tree is generated
 * from the list, so the two cannot disagree.
 */
public interface BoardDevice extends MmioDevice {
    /** Short name for messages and statistics ("uart0", "virtio-blk@10001000"). */
    String name();

    long base();

    long size();

    /** Adds this device's node(s) under {@code soc} (phandles for interrupt controllers come from {@code tree}). */
    void describe(DeviceTree tree, DeviceTree.Node soc);

    /**
     * Adds nodes this device needs outside {@code /soc}, such as the {@code /poweroff} node that refers
     * to a syscon. Called after every device has described itself under {@code /soc}.
     */
    default void describeRoot(DeviceTree tree, DeviceTree.Node root) {
    }
}
