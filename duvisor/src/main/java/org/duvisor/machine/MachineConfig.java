package org.duvisor.machine;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Hart;

/**
 * Everything a machine is built from.
 *
 * @param kernel     a Linux {@code Image} or an ELF executable
 * @param initrd     an initramfs (cpio, possibly compressed), or null
 * @param firmwareImage OpenSBI's ELF when {@code firmware} is OPENSBI
 * @param disks      raw images for virtio-blk, in slot order
 */
public record MachineConfig(int harts, long memoryMiB, Firmware firmware, Path firmwareImage, Path kernel, Path initrd,
                            String bootargs, List<Disk> disks, Function<Hart, ExecutionEngine> engine, boolean hypervisor) {
    /** The default machine has the H extension, as QEMU's default CPU does. */
    public MachineConfig(int harts, long memoryMiB, Firmware firmware, Path firmwareImage, Path kernel, Path initrd,
                         String bootargs, List<Disk> disks, Function<Hart, ExecutionEngine> engine) {
        this(harts, memoryMiB, firmware, firmwareImage, kernel, initrd, bootargs, disks, engine, true);
    }

    public static final Path DEBIAN_OPENSBI = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf");

    public record Disk(Path image, boolean readOnly) {
        /** {@code FILE} or {@code FILE,ro}, as the command line takes a disk. */
        public static Disk parse(String option) {
            boolean ro = option.endsWith(",ro");
            return new Disk(Path.of(ro ? option.substring(0, option.length() - 3) : option), ro);
        }
    }
}
