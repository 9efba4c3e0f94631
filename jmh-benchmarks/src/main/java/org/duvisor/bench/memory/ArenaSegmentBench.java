package org.duvisor.bench.memory;

import java.lang.foreign.Arena;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** (b) A segment from {@code Arena.ofShared().allocate}: same accessors, a closeable shared scope. */
public class ArenaSegmentBench extends SegmentBench {
    private Arena arena;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        ram = arena.allocate(SIZE, 4096);
        setUpTlb("Arena.ofShared segment");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
