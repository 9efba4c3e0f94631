package org.duvisor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dv} command line. */
@Command(name = "dv", mixinStandardHelpOptions = true, version = "dv 0.1.0",
        description = {
                "A RISC-V RV64GC machine emulator on the JVM, and DuVisor, a user-level hypervisor for it.",
                "",
                "Launcher-level commands (handled by ./dv before Java starts):",
                "  ./dv demo   install what is missing, build workloads and project, run the demo",
                "  ./dv test   the same setup, then the whole test suite",
        },
        subcommands = {RunCommand.class, WorkloadsCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError ue) {
                System.err.println("dv: " + ue.getMessage());
                return ue.exitCode;
            }
            throw ex;
        });
        System.exit(cl.execute(args));
    }
}
