package org.duvisor.bench.exits;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.vm.GuestRun;
import org.duvisor.vm.VirtualMachine;
import org.duvisor.vm.VirtualMachine.InterruptConfig;
import org.duvisor.vm.VirtualMachine.Plane;
import org.duvisor.workloads.WorkloadCatalogue;

/**
 * The VM-plane exit microbenchmarks (workloads/guests/mb-*) as {@link PlaneComparison} and
 * {@link PlaneBench} run them: the guest, its vCPUs, the operations it reports, whether its path
 * depends on the interrupt configuration, and the paper's cycle figures (kvm-plane.md; 0: none).
 */
final class PlaneMicrobenchmarks {
    /**
     * @param benchmark  the {@link PlaneBench} method that runs it
     * @param interrupts whether vanilla and opt differ for it (timer, IPI and device interrupt paths)
     */
    record Micro(String guest, String name, String benchmark, int vcpus, long operations, boolean interrupts, long paperDuvisor,
                 long paperKvm) {
    }

    static final List<Micro> ALL = List.of(
            new Micro("mb-hypercall", "null hypercall", "nullHypercall", 1, 1_000_000, false, 214, 618),
            new Micro("mb-gstage", "G-stage page fault", "gstageFault", 1, 16_384, false, 694, 6344),
            new Micro("mb-mmio", "MMIO (user-space device)", "mmio", 1, 1_000_000, false, 494, 4758),
            new Micro("mb-vipi", "virtual IPI", "virtualIpi", 2, 100_000, true, 147, 4692),
            new Micro("mb-vext", "virtual external interrupt", "virtualExternalInterrupt", 1, 100_000, true, 184, 4084),
            new Micro("mb-timer", "timer interrupt", "timerInterrupt", 1, 10_000, true, 0, 0));

    private PlaneMicrobenchmarks() {
    }

    static Micro forBenchmark(String method) {
        for (Micro m : ALL) if (m.benchmark().equals(method)) return m;
        throw new IllegalArgumentException("no microbenchmark for " + method);
    }

    /** The directory of the built guests, after building what changed (make): a guest older than its source could hang a plane. */
    static Path guests() {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        c.build("guests");
        return c.workloadsDir().resolve("guests");
    }

    /** A fresh host with {@code m}'s guest loaded, the translator at its full-system default threshold (or the interpreter). */
    static GuestRun.Prepared prepare(Path guests, Micro m, Plane plane, InterruptConfig irq, boolean interp) throws Exception {
        return GuestRun.prepare(guests.resolve(m.guest() + ".elf"), VirtualMachine.Config.of(plane, 128L << 20, m.vcpus()).withInterrupts(irq),
                interp ? Interpreter::new : h -> new DbtEngine(h, new Interpreter(h)), new PrintStream(System.err, true));
    }

    /** The run did what the guest says it does: exit 0 and its full operation count. */
    static GuestRun check(GuestRun r, Micro m, Plane plane, InterruptConfig irq) {
        if (r.exitCode() != 0 || r.operations() != m.operations()) {
            throw new IllegalStateException(m.guest() + " on " + plane + "/" + irq + " failed (exit " + r.exitCode() + ", "
                    + r.operations() + " operations): " + r.console());
        }
        return r;
    }

    static String label(Plane plane, InterruptConfig irq) {
        return plane.name().toLowerCase() + "/" + irq.name().toLowerCase();
    }
}
