package org.duvisor.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.duvisor.machine.BootException;
import org.duvisor.machine.Firmware;
import org.duvisor.machine.Machine;
import org.duvisor.machine.MachineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dv boot}: a full machine booting a Linux Image or a bare-metal ELF, like qemu-system-riscv64 -machine virt. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {
                "Boots a RISC-V Linux Image or a bare-metal ELF on an RV64GC machine laid",
                "out like QEMU's virt board (RAM at 0x80000000, UART 16550, ACLINT, PLIC,",
                "sifive test finisher, virtio-mmio rng, console and disks), with the H",
                "extension and DV-Ext. The guest console is this terminal (raw mode when",
                "interactive); the exit code is the guest's power-off or test-finisher",
                "code. Bad kernel, initrd or disk images are refused with exit code 2."})
public final class BootCommand implements Callable<Integer> {
    @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "Linux Image, or an ELF executable (bare-metal programs).")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "initramfs (newc cpio, optionally compressed).")
    Path initrd;

    @Option(names = "--append", paramLabel = "ARGS", defaultValue = "console=ttyS0 earlycon=sbi", description = "Kernel command line (default: ${DEFAULT-VALUE}).")
    String append;

    @Option(names = "--smp", defaultValue = "1", paramLabel = "N", description = "Number of harts, 1-8 (default: ${DEFAULT-VALUE}).")
    int smp;

    @Option(names = "--mem", defaultValue = "256", paramLabel = "MiB", description = "RAM size in MiB (default: ${DEFAULT-VALUE}).")
    long mem;

    @Option(names = "--bios", defaultValue = "builtin", paramLabel = "KIND",
            description = "builtin: Java SBI firmware, kernel starts in S-mode (default); opensbi: Debian's OpenSBI fw_jump in M-mode; none: start the ELF in M-mode.")
    String bios;

    @Option(names = "--firmware", paramLabel = "FILE", description = "OpenSBI image for --bios opensbi (default: " + "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf).")
    Path firmware = MachineConfig.DEBIAN_OPENSBI;

    @Option(names = "--disk", paramLabel = "FILE[,ro]", description = "Raw disk image as virtio-blk (repeatable; ',ro' for read-only).")
    List<String> disks = new ArrayList<>();

    @Option(names = "--mode", defaultValue = "dbt", description = "interp: interpreter only; dbt: translate hot code (default).")
    String mode;

    @Option(names = "--no-hext", description = "Build the harts without the H extension and DV-Ext (both on by default; QEMU's default CPU has H).")
    boolean noHext;

    @Option(names = "--stats", description = "Print retired instructions, wall time and MIPS to stderr at power-off.")
    boolean stats;

    @Override
    public Integer call() {
        EngineMode engine = RunCommand.parseMode(mode);
        if (engine == EngineMode.LOCKSTEP) throw new UserError("--mode lockstep is not available for full-system machines yet", 2);
        Firmware fw = switch (bios) {
            case "builtin" -> Firmware.BUILTIN;
            case "opensbi" -> Firmware.OPENSBI;
            case "none" -> Firmware.NONE;
            default -> throw new UserError("unknown --bios '" + bios + "' (builtin, opensbi or none)", 2);
        };
        List<MachineConfig.Disk> diskList = new ArrayList<>();
        for (String d : disks) diskList.add(MachineConfig.Disk.parse(d));
        MachineConfig config = new MachineConfig(smp, mem, fw, firmware, kernel, initrd, append, diskList, engine.factory(), !noHext);
        OutputStream console = new FileOutputStream(FileDescriptor.out);
        boolean interactive = System.console() != null && TerminalMode.isTerminal();
        try (Machine machine = new Machine(config, console, System.in, System.err)) {
            int code;
            try (TerminalMode raw = interactive ? TerminalMode.raw() : TerminalMode.unchanged()) {
                code = machine.run();
            }
            if (stats) {
                double seconds = machine.wallNanos() / 1e9;
                System.err.printf("dv-stats: instructions=%d seconds=%.6f mips=%.1f harts=%d%n", machine.instructionsRetired(), seconds,
                        seconds > 0 ? machine.instructionsRetired() / seconds / 1e6 : 0, smp);
                for (var loop : machine.loops()) {
                    System.err.printf("dv-stats: hart %d: instructions=%d%n", loop.architecture().hart.hartId, loop.architecture().hart.instret);
                    loop.engine().printStatistics(System.err);
                }
            }
            return code;
        } catch (BootException e) {
            throw new UserError(e.getMessage(), 2);
        }
    }
}
