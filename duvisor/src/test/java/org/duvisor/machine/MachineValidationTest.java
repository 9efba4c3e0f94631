package org.duvisor.machine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad kernels, initrds and disks are refused before anything runs, each with its reason. */
class MachineValidationTest {
    @TempDir
    Path dir;

    /** A minimal RISC-V Linux Image header (Documentation/riscv/boot-image-header.rst): text_offset 2 MiB. */
    private Path image(long imageSize) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(8, 0x200000).putLong(16, imageSize).putLong(48, 0x5643534952L).putInt(56, 0x05435352);
        Path p = dir.resolve("Image");
        Files.write(p, b.array());
        return p;
    }

    private static Boot boot(Path kernel) {
        return Boot.kernel(kernel).memory(64).tier(Boot.Tier.INTERP).timeout(10);
    }

    @Test
    void aFileThatIsNeitherElfNorImageIsRefused() throws Exception {
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[4096]);
        assertThatThrownBy(() -> boot(junk).run()).isInstanceOf(BootException.class)
                .hasMessageContaining("neither an ELF file nor a RISC-V Linux Image");
    }

    @Test
    void anImageLargerThanRamIsRefused() throws Exception {
        Path big = image(1L << 30);
        assertThatThrownBy(() -> boot(big).run()).isInstanceOf(BootException.class).hasMessageContaining("does not fit");
    }

    @Test
    void aLinuxImageNeedsFirmware() throws Exception {
        Path img = image(0);
        assertThatThrownBy(() -> boot(img).firmware(Firmware.NONE).run()).isInstanceOf(BootException.class)
                .hasMessageContaining("needs firmware");
    }

    @Test
    void anInitrdThatIsNotAnInitramfsIsRefused() throws Exception {
        Path img = image(0);
        Path initrd = dir.resolve("initrd");
        Files.writeString(initrd, "this is not a cpio archive");
        assertThatThrownBy(() -> boot(img).initrd(initrd).run()).isInstanceOf(BootException.class)
                .hasMessageContaining("not an initramfs");
    }

    @Test
    void anInitrdTooLargeForRamIsRefused() throws Exception {
        Path img = image(0);
        Path initrd = dir.resolve("initrd");
        byte[] cpio = new byte[80 << 20];
        System.arraycopy("070701".getBytes(), 0, cpio, 0, 6);
        Files.write(initrd, cpio);
        assertThatThrownBy(() -> boot(img).initrd(initrd).run()).isInstanceOf(BootException.class)
                .hasMessageContaining("does not fit");
    }

    @Test
    void aDiskWhoseSizeIsNotWholeSectorsIsRefused() throws Exception {
        Path img = image(0);
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[1000]);
        assertThatThrownBy(() -> boot(img).disk(disk, false).run()).isInstanceOf(BootException.class)
                .hasMessageContaining("512");
    }

    @Test
    void aMissingDiskIsRefused() throws Exception {
        Path img = image(0);
        assertThatThrownBy(() -> boot(img).disk(dir.resolve("absent.img"), true).run()).isInstanceOf(BootException.class)
                .hasMessageContaining("absent.img");
    }
}
