package org.duvisor.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
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
        subcommands = {RunCommand.class, BootCommand.class, VmCommand.class, WorkloadsCommand.class, DemoCommand.class,
                AotTrainingCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /**
     * Runs the command line with picocli's own output (help, usage, {@code dv: ...} errors) on
     * {@code out} and {@code err}; returns the exit code. The guest program's stdio is always the
     * host's descriptors.
     */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        // Everything after the program is the guest's, options included: "dv run prog -v" passes -v on.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.setOut(new PrintWriter(out, true));
        PrintWriter errWriter = new PrintWriter(err, true);
        cl.setErr(errWriter);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError ue) {
                errWriter.println("dv: " + ue.getMessage());
                return ue.exitCode;
            }
            throw ex;
        });
        int code = cl.execute(args);
        cl.getOut().flush();
        errWriter.flush();
        return code;
    }
}
