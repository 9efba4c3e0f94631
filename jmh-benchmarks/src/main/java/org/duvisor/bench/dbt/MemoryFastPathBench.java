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
 * Cost of guest loads and stores in translated code. Each invocation runs one region's loop of
 * {@link Programs#ACCESSES} 8-byte accesses (8 per iteration, each followed by an add) over
 * 256 KiB whose 64 pages stay in the soft TLB; scores are ns per access.
 *
 * <ul>
 *   <li>{@code none}: the accesses replaced by addi (same instruction count): the baseline.
 *   <li>{@code load}, {@code store}: aligned ld / sd: the inline tag compare and Unsafe access.
 *   <li>{@code loadMisaligned}, {@code storeMisaligned}: the base is odd, so every access fails the
 *       tag compare and calls the slow path (here the fixture's minimal one).
 * </ul>
 * Per-access cost over the loop = score - none.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class MemoryFastPathBench {
    public static class None extends GuestState {
        @Override
        Program program() {
            return Programs.memory("none", false);
        }
    }

    public static class Load extends GuestState {
        @Override
        Program program() {
            return Programs.memory("load", false);
        }
    }

    public static class Store extends GuestState {
        @Override
        Program program() {
            return Programs.memory("store", false);
        }
    }

    public static class LoadMisaligned extends GuestState {
        @Override
        Program program() {
            return Programs.memory("load", true);
        }
    }

    public static class StoreMisaligned extends GuestState {
        @Override
        Program program() {
            return Programs.memory("store", true);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Programs.ACCESSES)
    public long none(None s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.ACCESSES)
    public long load(Load s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.ACCESSES)
    public long store(Store s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.ACCESSES)
    public long loadMisaligned(LoadMisaligned s) {
        return s.guest.run();
    }

    @Benchmark
    @OperationsPerInvocation(Programs.ACCESSES)
    public long storeMisaligned(StoreMisaligned s) {
        return s.guest.run();
    }
}
