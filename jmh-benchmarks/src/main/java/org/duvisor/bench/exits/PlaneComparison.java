package org.duvisor.bench.exits;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.duvisor.bench.exits.PlaneMicrobenchmarks.Micro;
import org.duvisor.vm.GuestRun;
import org.duvisor.vm.VirtualMachine.InterruptConfig;
import org.duvisor.vm.VirtualMachine.Plane;

/**
 * The paper's exit microbenchmarks on both planes, side by side in one run: each VM-plane guest
 * (workloads/guests/mb-*: 10^6 hypercalls, 16384 page faults, 10^6 MMIO reads, 10^5 IPIs, 10^5
 * device interrupts, 10^4 timer interrupts) is run on DuVisor and on the KVM baseline, alternating,
 * for N rounds (A B, B A, …) — the interrupt microbenchmarks once per interrupt configuration (vanilla: the
 * kernel plane's conventional paths and DuVisor's USI-exit vIPI; opt: the exit-less timer, vIPI
 * and vPLIC on both). Per row it prints the median nanoseconds per operation on each plane, their
 * ratio, the cycle-model estimate per operation (from the ledger, {@code org.duvisor.vm.CycleModel})
 * and the paper's cycle figures (kvm-plane.md; vanilla rows). Usage:
 * {@code PlaneComparison [--rounds N] [--interp] [--only mb-vipi,...]}.
 */
public final class PlaneComparison {
    private record Result(double nanosPerOp, double cyclesPerOp) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        boolean interp = false;
        Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--interp" -> interp = true;
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--help", "-h" -> {
                    System.out.println("usage: PlaneComparison [--rounds N] [--interp] [--only GUEST,...]\n"
                            + "Runs workloads/guests/mb-* on the DuVisor and KVM planes alternately (the interrupt ones in the vanilla\n"
                            + "and the opt configuration); prints median ns/op, ratios, cycle-model estimates and the paper's cycle\n"
                            + "figures. --interp: interpreter only (default: translator). --only: e.g. mb-vipi,mb-vext.");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        Path guests = PlaneMicrobenchmarks.guests();
        System.out.printf("%-26s %-7s %11s %11s %8s %12s %12s %8s %10s %10s%n", "microbenchmark", "irq", "duvisor ns", "kvm ns", "kvm/duv",
                "duvisor cyc*", "kvm cyc*", "kvm/duv", "paper duv", "paper kvm");
        for (Micro m : PlaneMicrobenchmarks.ALL) {
            if (only != null && !only.contains(m.guest())) continue;
            List<InterruptConfig> configs = m.interrupts() ? List.of(InterruptConfig.VANILLA, InterruptConfig.OPT) : List.of(InterruptConfig.VANILLA);
            for (InterruptConfig irq : configs) {
                double[] dNs = new double[rounds], kNs = new double[rounds];
                double dCyc = 0, kCyc = 0;
                for (int r = 0; r < rounds; r++) {
                    // A B, then B A: whichever runs first after another run pays for its clean-up
                    // (the last host's memory, garbage), which the G-stage benchmark feels most.
                    Result d, k;
                    if (r % 2 == 0) {
                        d = run(guests, m, Plane.DUVISOR, irq, interp);
                        k = run(guests, m, Plane.KVM, irq, interp);
                    } else {
                        k = run(guests, m, Plane.KVM, irq, interp);
                        d = run(guests, m, Plane.DUVISOR, irq, interp);
                    }
                    dNs[r] = d.nanosPerOp();
                    kNs[r] = k.nanosPerOp();
                    dCyc = d.cyclesPerOp();
                    kCyc = k.cyclesPerOp();
                }
                double dn = median(dNs), kn = median(kNs);
                boolean paper = irq == InterruptConfig.VANILLA && m.paperKvm() != 0;
                System.out.printf("%-26s %-7s %11.1f %11.1f %8.2f %12s %12s %8s %10s %10s%n", m.name(),
                        m.interrupts() ? irq.name().toLowerCase() : "-", dn, kn, kn / dn, cycles(dCyc), cycles(kCyc),
                        dCyc < 1 ? "-" : "%.2f".formatted(kCyc / dCyc), paper ? Long.toString(m.paperDuvisor()) : "-",
                        paper ? Long.toString(m.paperKvm()) : "-");
            }
        }
        System.out.println("* cycle model: org.duvisor.vm.CycleModel (instruction counts of each exit-path step; not fitted).");
        System.out.println("  ns/op: wall time of the whole guest run divided by its operation count (guest loop included, equal on both planes).");
        System.out.println("  irq vanilla: kernel plane host timer, SBI + host IPIs, VMM PLIC with MMIO claim/complete; DuVisor vIPI via USI exit.");
        System.out.println("  irq opt: exit-less virtual timer, vIPI (the guest posts itself) and vPLIC on both planes.");
    }

    /** Cycles per operation; below one (an exit-less path: only set-up exits, spread over the run) with two decimals. */
    static String cycles(double c) {
        return c < 1 ? "%.2f".formatted(c) : "%.0f".formatted(c);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static Result run(Path guests, Micro m, Plane plane, InterruptConfig irq, boolean interp) throws Exception {
        GuestRun r;
        try (GuestRun.Prepared p = PlaneMicrobenchmarks.prepare(guests, m, plane, irq, interp)) {
            r = PlaneMicrobenchmarks.check(p.run(), m, plane, irq);
        }
        long ops = r.operations();
        return new Result((double) r.nanos() / ops, (double) r.modelCycles() / ops);
    }

    private PlaneComparison() {
    }
}
