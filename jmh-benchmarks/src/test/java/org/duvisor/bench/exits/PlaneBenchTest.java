package org.duvisor.bench.exits;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.duvisor.bench.exits.PlaneMicrobenchmarks.Micro;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/** PlaneBench's scores are per guest operation: each benchmark divides by exactly the count its guest reports. */
class PlaneBenchTest {
    @Test
    void everyMicrobenchmarkHasOneBenchmarkDividingByItsOperationCount() {
        List<String> benchmarks = new ArrayList<>();
        for (Method m : PlaneBench.class.getMethods()) {
            if (!m.isAnnotationPresent(Benchmark.class)) continue;
            benchmarks.add(m.getName());
            Micro micro = PlaneMicrobenchmarks.forBenchmark(m.getName());
            assertThat((long) m.getAnnotation(OperationsPerInvocation.class).value()).as(m.getName()).isEqualTo(micro.operations());
            // The interrupt microbenchmarks take the interrupt configuration as a parameter, the others do not.
            assertThat(m.getParameterTypes()[0]).as(m.getName())
                    .isEqualTo(micro.interrupts() ? PlaneBench.VmWithInterrupts.class : PlaneBench.Vm.class);
        }
        assertThat(benchmarks).containsExactlyInAnyOrderElementsOf(PlaneMicrobenchmarks.ALL.stream().map(Micro::benchmark).toList());
    }
}
