package org.duvisor.bench.memory;

import org.duvisor.dbt.memory.HostMemory;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** (a) The emulator's own backing: an anonymous mmap from {@link HostMemory#reserve} (global scope). */
public class MmapSegmentBench extends SegmentBench {
    private HostMemory host;

    @Setup(Level.Trial)
    public void setUp() {
        host = HostMemory.reserve(SIZE);
        ram = host.segment();
        setUpTlb("mmap HostMemory segment");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        host.close();
    }
}
