package org.duvisor.bench.dbt;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One guest machine running one program, translated once at trial set-up and re-run from its
 * entry by each benchmark invocation. At tear-down it prints the dispatcher counters per run and
 * warns if the exits were not the ones the benchmark claims to measure.
 *
 * <p>Before the first machine of a JVM is built, a program with {@link Programs#TARGETS}+1
 * regions runs through another engine, so that the dispatcher's {@code RegionCode.run} call site
 * has a megamorphic profile as in a real workload (with only one or two region classes C2 would
 * inline them into the dispatch loop, which no real program gets).
 */
@State(Scope.Thread)
public abstract class GuestState {
    private static boolean polluted;

    FlatGuest guest;

    abstract Program program();

    static synchronized void polluteDispatchProfile() {
        if (polluted) return;
        polluted = true;
        try (FlatGuest g = new FlatGuest(Programs.indirect("missed"))) {
            for (int k = 0; k < 40; k++) g.run();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        polluteDispatchProfile();
        guest = new FlatGuest(program());
        guest.warmUp(10);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        guest.report();
        guest.close();
    }
}
