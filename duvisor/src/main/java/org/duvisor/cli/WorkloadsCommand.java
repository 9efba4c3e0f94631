package org.duvisor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.duvisor.workloads.Workload;
import org.duvisor.workloads.WorkloadBuildException;
import org.duvisor.workloads.WorkloadCatalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dv workloads list | build [NAME...] | path NAME}. */
@Command(name = "workloads", mixinStandardHelpOptions = true,
        description = "The guest programs this project builds from source (into ${DV_CACHE:-~/.cache/duvisor}).",
        subcommands = {WorkloadsCommand.ListWorkloads.class, WorkloadsCommand.Build.class, WorkloadsCommand.PathOf.class})
public final class WorkloadsCommand implements Runnable {
    @Override
    public void run() {
        new ListWorkloads().run();
    }

    static WorkloadCatalogue catalogue() {
        String root = System.getProperty("dv.root");
        return WorkloadCatalogue.load(root != null ? Path.of(root) : WorkloadCatalogue.findProjectRoot());
    }

    @Command(name = "list", description = "Lists every workload: name, kind, built or not, description.")
    static final class ListWorkloads implements Runnable {
        @Override
        public void run() {
            WorkloadCatalogue c = catalogue();
            for (Workload w : c.all()) {
                boolean built = Files.isRegularFile(c.binary(w));
                System.out.printf("%-16s %-5s %-9s %s%n", w.name(), w.kind(), built ? "built" : "not built", w.description());
            }
        }
    }

    @Command(name = "build", description = "Builds the named workloads (all when none is named); rebuilds only what changed.")
    static final class Build implements Runnable {
        @Parameters(paramLabel = "NAME", arity = "0..*")
        List<String> names = List.of();

        @Override
        public void run() {
            try {
                catalogue().build(names.toArray(new String[0]));
            } catch (WorkloadBuildException e) {
                throw new UserError(e.getMessage(), 1);
            }
        }
    }

    @Command(name = "path", description = "Prints the path of a workload's riscv64 binary.")
    static final class PathOf implements Runnable {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            WorkloadCatalogue c = catalogue();
            Workload w = c.find(name).orElseThrow(() -> new UserError("no workload named '" + name + "' (see: dv workloads list)", 2));
            System.out.println(c.binary(w));
        }
    }
}
