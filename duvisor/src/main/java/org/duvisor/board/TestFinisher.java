package org.duvisor.board;

/**
 * SiFive test finisher ({@code sifive,test0}), the syscon through which a guest powers the machine
 * off or resets it, as on QEMU's {@code virt}. A write to offset 0 carries a status in bits 15:0 and,
 * for a failure, the exit code in bits 31:16. Linux reaches it through the {@code syscon-poweroff}
 * and {@code syscon-reboot} nodes this device adds to the root.
 */
public final class TestFinisher implements BoardDevice {
    public static final long VIRT_BASE = 0x10_0000, SIZE = 0x1000;
    public static final int FAIL = 0x3333, PASS = 0x5555, RESET = 0x7777;

    private final long base;
    private final PowerControl power;

    public TestFinisher(long base, PowerControl power) {
        this.base = base;
        this.power = power;
    }

    @Override
    public String name() {
        return "test-finisher";
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public long read(long offset, int size) {
        return 0;
    }

    /** Any status other than the three commands is ignored, as on QEMU. Accesses narrower than 16 bits cannot carry one. */
    @Override
    public void write(long offset, long value, int size) {
        if (offset != 0 || size < 2) return;
        int word = (int) value;
        switch (word & 0xFFFF) {
            case PASS -> power.powerOff(0);
            case FAIL -> power.powerOff(word >>> 16);
            case RESET -> power.reset();
            default -> { }
        }
    }

    @Override
    public void describe(DeviceTree tree, DeviceTree.Node soc) {
        soc.child("test@" + Long.toHexString(base))
                .property("compatible", "sifive,test1", "sifive,test0", "syscon")
                .u64("reg", base, SIZE)
                .cells("phandle", tree.phandle("test"));
    }

    @Override
    public void describeRoot(DeviceTree tree, DeviceTree.Node root) {
        syscon(tree, root.child("poweroff"), "syscon-poweroff", PASS);
        syscon(tree, root.child("reboot"), "syscon-reboot", RESET);
    }

    private static void syscon(DeviceTree tree, DeviceTree.Node node, String compatible, int value) {
        node.property("compatible", compatible)
                .cells("regmap", tree.phandle("test"))
                .cells("offset", 0)
                .cells("value", value);
    }
}
