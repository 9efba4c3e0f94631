package org.duvisor.board;

import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.rv64.priv.Timebase;

/**
 * A machine's board: RAM and devices on one physical bus, and the device tree that describes them,
 * laid out like QEMU's {@code virt} so standard kernels find everything where they expect it. The
 * tree is generated from the device list, so the two cannot disagree.
 */
public final class Board {
    /**
     * What the CPU nodes say about the harts.
     *
     * @param isa     the {@code riscv,isa} string, e.g. {@code "rv64imafdch_zicsr_zifencei_zba_zbb_zbs_sstc"}
     * @param mmuType the {@code mmu-type}, e.g. {@code "riscv,sv48"}
     * @param model   the root {@code model} string
     */
    public record Config(int harts, String isa, String mmuType, String model) {
        public Config {
            if (harts < 1) throw new IllegalArgumentException("a board needs at least one hart");
        }
    }

    /** What the loader passes to the kernel in {@code /chosen}; an initrd is present when end > start. */
    public record Chosen(String bootargs, long initrdStart, long initrdEnd) {
        public static Chosen bootargs(String bootargs) {
            return new Chosen(bootargs, 0, 0);
        }

        public Chosen withInitrd(long start, long end) {
            return new Chosen(bootargs, start, end);
        }

        public boolean hasInitrd() {
            return initrdEnd > initrdStart;
        }
    }

    private final PhysicalBus bus;
    private final Config config;
    private final List<BoardDevice> devices = new ArrayList<>();

    public Board(PhysicalBus bus, Config config) {
        this.bus = bus;
        this.config = config;
    }

    public PhysicalBus bus() {
        return bus;
    }

    public Config config() {
        return config;
    }

    public List<BoardDevice> devices() {
        return List.copyOf(devices);
    }

    /** Maps {@code device}'s window on the bus (overlaps are configuration errors) and lists it for the device tree. */
    public <D extends BoardDevice> D add(D device) {
        bus.map(device.base(), device.size(), device, device.name());
        devices.add(device);
        return device;
    }

    public byte[] deviceTreeBlob(Chosen chosen) {
        return deviceTree(chosen).toBlob();
    }

    /** The whole device tree (Devicetree Specification v0.4, chapter 3 "Device Node Requirements"). */
    public DeviceTree deviceTree(Chosen chosen) {
        DeviceTree tree = new DeviceTree();
        DeviceTree.Node root = tree.root()
                .cells("#address-cells", 2)
                .cells("#size-cells", 2)
                .property("compatible", "riscv-virtio")
                .property("model", config.model());
        describeChosen(root.child("chosen"), chosen);
        root.child("memory@" + Long.toHexString(bus.ramBase()))
                .property("device_type", "memory")
                .u64("reg", bus.ramBase(), bus.ramSize());
        describeCpus(tree, root.child("cpus"));
        DeviceTree.Node soc = root.child("soc")
                .cells("#address-cells", 2)
                .cells("#size-cells", 2)
                .property("compatible", "simple-bus")
                .property("ranges");
        for (BoardDevice d : devices) d.describe(tree, soc);
        for (BoardDevice d : devices) d.describeRoot(tree, root);
        return tree;
    }

    private void describeChosen(DeviceTree.Node node, Chosen chosen) {
        node.property("bootargs", chosen.bootargs());
        for (BoardDevice d : devices) {
            if (d instanceof Uart16550 uart) {
                node.property("stdout-path", "/soc/serial@" + Long.toHexString(uart.base()));
                break;
            }
        }
        if (chosen.hasInitrd()) {
            node.u64("linux,initrd-start", chosen.initrdStart()).u64("linux,initrd-end", chosen.initrdEnd());
        }
    }

    /** RISC-V CPU bindings: one {@code cpu@i} per hart with its local interrupt controller. */
    private void describeCpus(DeviceTree tree, DeviceTree.Node cpus) {
        cpus.cells("#address-cells", 1)
                .cells("#size-cells", 0)
                .cells("timebase-frequency", Timebase.FREQUENCY_HZ);
        for (int i = 0; i < config.harts(); i++) {
            DeviceTree.Node cpu = cpus.child("cpu@" + i)
                    .cells("phandle", tree.phandle("cpu" + i))
                    .property("device_type", "cpu")
                    .cells("reg", i)
                    .property("status", "okay")
                    .property("compatible", "riscv")
                    .property("riscv,isa", config.isa())
                    .property("mmu-type", config.mmuType());
            // #address-cells 0: an interrupt provider without it draws dtc's interrupt_provider warning.
            cpu.child("interrupt-controller")
                    .cells("#address-cells", 0)
                    .cells("#interrupt-cells", 1)
                    .property("interrupt-controller")
                    .property("compatible", "riscv,cpu-intc")
                    .cells("phandle", tree.phandle("cpu" + i + "-intc"));
        }
        DeviceTree.Node cluster = cpus.child("cpu-map").child("cluster0");
        for (int i = 0; i < config.harts(); i++) cluster.child("core" + i).cells("cpu", tree.phandle("cpu" + i));
    }
}
