package org.duvisor.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.duvisor.machine.Firmware;
import org.duvisor.machine.Machine;
import org.duvisor.machine.MachineConfig;
import picocli.CommandLine.Command;

/**
 * {@code dv aot-training}: the training run from which the launcher makes {@code dv boot}'s
 * ahead-of-time cache (JEPs 483/515: the classes loaded and linked, and the methods' profiles): the
 * guest Linux booted to power-off with {@code dv.run=hello}, its console discarded. (The cache of
 * the other commands is trained on a user-mode program, {@code dv run}.)
 */
@Command(name = "aot-training", hidden = true,
        description = "The launcher's training run for dv boot's ahead-of-time cache: boots the guest Linux quietly.")
public final class AotTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path linux = WorkloadsCommand.catalogue().linuxDir();
        Path kernel = linux.resolve("Image"), initrd = linux.resolve("initramfs.cpio");
        if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            throw new UserError("the guest Linux is not built (./dv workloads build linux)", 2);
        }
        MachineConfig config = new MachineConfig(1, 256, Firmware.BUILTIN, MachineConfig.DEBIAN_OPENSBI, kernel, initrd,
                "console=ttyS0 dv.run=hello", List.of(), EngineMode.DBT.factory());
        try (Machine machine = new Machine(config, OutputStream.nullOutputStream(), InputStream.nullInputStream(),
                new PrintStream(OutputStream.nullOutputStream()))) {
            return machine.run();
        }
    }
}
