package org.duvisor.bench.dbt;

/**
 * A benchmark guest program: its code and data, where it starts, the integer registers it starts
 * with, and the dispatcher exits one run should take (chained, unchained, indirect predicted,
 * indirect missed), which the benchmarks check at tear-down.
 */
record Program(String name, GuestAsm asm, long entry, long[] registers, long[] expectedPerRun) {
}
