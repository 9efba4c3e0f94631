package org.duvisor.bench.dbt;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of a region transition in the DBT dispatcher. Every score is ns per (would-be) transition:
 * each invocation runs a program of {@link Programs#TRANSITIONS} transitions to its ebreak.
 *
 * <ul>
 *   <li>{@code ringChained}: 8 far functions jumping (jal) round a ring: every transition is a
 *       direct exit followed through the cached successor ("chained").
 *   <li>{@code ringOneRegion}: the same ring within one region (JVM branches): the baseline.
 *   <li>{@code indirectMissed}: jalr through a 16-entry table to far stubs that jal back; every jalr
 *       exit misses the site's cached successor and looks the target up in the code cache (the
 *       path an unchained direct exit takes too: the engine has no switch to turn chaining off).
 *       Half the transitions are these misses, half are chained jal exits back.
 *   <li>{@code indirectPredicted}: the same with every entry the same stub: half predicted
 *       indirect exits, half chained.
 *   <li>{@code indirectOneRegion}: the same with the one stub near, in the region: the baseline.
 * </ul>
 * Derived: chained = ringChained - ringOneRegion; miss = 2 * (indirectMissed - indirectOneRegion) - chained.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class DispatchBench {
    public static class RingChained extends GuestState {
        @Override
        Program program() {
            return Programs.ring(true);
        }
    }

    public static class RingOneRegion extends GuestState {
        @Override
        Program program() {
            return Programs.ring(false);
        }
    }

    public static class IndirectMissed extends GuestState {
        @Override
        Program program() {
            return Programs.indirect("missed");
        }
    }

    public static class IndirectPredicted extends GuestState {
        @Override
        Program program() {
            return Programs.indirect("predicted");
        }
    }

    public static class IndirectOneRegion extends GuestState {
        @Override
        Program program() {
            return Programs.indirect("one-region");
        }
    }

    @Benchmark
    @OperationsPerInvocation(Programs.TRANSITIONS)
    public long ringChained(RingChained s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.TRANSITIONS)
    public long ringOneRegion(RingOneRegion s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.TRANSITIONS)
    public long indirectMissed(IndirectMissed s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.TRANSITIONS)
    public long indirectPredicted(IndirectPredicted s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.TRANSITIONS)
    public long indirectOneRegion(IndirectOneRegion s) {
        return s.guest.run();
    }
}
