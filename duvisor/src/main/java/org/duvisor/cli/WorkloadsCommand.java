package org.duvisor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.duvisor.workloads.Workload;
import org.duvisor.workloads.WorkloadBuildException;
import org.duvisor.workloads.WorkloadCatalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dv workloads list | build [NAME...] | path NAME}. The name {@code linux} stands for the
 * guest Linux image (kernel, busybox, initramfs) that {@code workloads/linux/build.sh} builds.
 */
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
            boolean linux = Files.isRegularFile(c.linuxDir().resolve("Image"))
                    && Files.isRegularFile(c.linuxDir().resolve("initramfs.cpio"));
            System.out.printf("%-16s %-5s %-9s %s%n", WorkloadCatalogue.LINUX, "linux", linux ? "built" : "not built",
                    "guest Linux 6.1 Image + busybox initramfs with the spec programs (needs workloads/linux/setup-linux.sh)");
        }
    }

    @Command(name = "build", description = "Builds the named workloads (all when none is named; 'linux' only when named);"
            + " rebuilds only what changed.")
    static final class Build implements Runnable {
        @Parameters(paramLabel = "NAME", arity = "0..*")
        List<String> names = List.of();

        @Override
        public void run() {
            WorkloadCatalogue c = catalogue();
            List<String> others = names.stream().filter(n -> !n.equals(WorkloadCatalogue.LINUX)).toList();
            boolean linux = others.size() != names.size();
            try {
                if (!linux || !others.isEmpty()) {
                    c.build(others.toArray(new String[0]));
                }
                if (linux) {
                    c.buildLinux();
                }
            } catch (WorkloadBuildException e) {
                throw new UserError(e.getMessage(), 1);
            }
        }
    }

    @Command(name = "path", description = "Prints the path of a workload's riscv64 binary ('linux': the directory"
            + " holding Image and initramfs.cpio).")
    static final class PathOf implements Runnable {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            WorkloadCatalogue c = catalogue();
            if (name.equals(WorkloadCatalogue.LINUX)) {
                System.out.println(c.linuxDir());
                return;
            }
            Workload w = c.find(name).orElseThrow(() -> new UserError("no workload named '" + name + "' (see: dv workloads list)", 2));
            System.out.println(c.binary(w));
        }
    }
}
