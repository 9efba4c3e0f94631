package org.duvisor.rv64.dbt;

import org.duvisor.dbt.cache.DbtStatistics;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;

/**
 * A test machine: {@code size} bytes of RAM identity-mapped at address 0 with every permission,
 * faulting (load/store/fetch access fault) outside. Just enough to run code snippets.
 * Translated loads test the RAM as their direct window before the TLB (see {@link #directWindow}).
 */
final class FlatMemory implements MemorySlowPath, AutoCloseable {
    final HostMemory host;
    final SoftTlb tlb;
    final long size;
    Hart hart;

    FlatMemory(long size) {
        this.size = size;
        this.host = HostMemory.reserve(size);
        this.tlb = new SoftTlb(256, host.segment());
        tlb.requireIdentityMapping(); // as a user-mode process's: the translator's user-mode code paths
        tlb.setSlowPath(this);
    }

    /** What {@link #run} left: the hart, and the translator's statistics (null when interpreted). */
    record Run(Hart hart, DbtStatistics stats) {
        /** Instructions that ran in translated code. */
        long translated() {
            return stats == null ? 0 : hart.instret - stats.interpretedInstructions;
        }
    }

    /**
     * Writes code at base and runs it from registers initial, up to a million instructions, in
     * the interpreter or with the translator (a block is hot after 3 executions).
     */
    Run run(long base, byte[] code, long[] initial, boolean translate) {
        write(base, code);
        Hart h = newHart();
        h.pc = base;
        System.arraycopy(initial, 0, h.x, 0, 32);
        Interpreter interpreter = new Interpreter(h);
        DbtEngine dbt = translate ? new DbtEngine(h, interpreter, 3) : null;
        (dbt != null ? dbt : interpreter).run(1_000_000);
        return new Run(h, dbt == null ? null : dbt.statistics());
    }

    Hart newHart() {
        hart = new Hart(0, tlb);
        hart.privilege = Privilege.USER;
        return hart;
    }

    private boolean inside(long a, int n) {
        return a >= 0 && a + n <= size && a + n > a;
    }

    @Override
    public long load(long a, int n) {
        if (!inside(a, n)) {
            hart.raise(Cause.LOAD_ACCESS_FAULT, a);
            return 0;
        }
        tlb.install(a, a & SoftTlb.PAGE_MASK, true, true, true);
        long v = 0;
        for (int k = n - 1; k >= 0; k--) v = (v << 8) | (host.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, a + k) & 0xFF);
        return v;
    }

    @Override
    public void store(long a, long v, int n) {
        if (!inside(a, n)) {
            hart.raise(Cause.STORE_ACCESS_FAULT, a);
            return;
        }
        tlb.noteStore(a, n);
        tlb.install(a, a & SoftTlb.PAGE_MASK, true, true, true);
        for (int k = 0; k < n; k++) host.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, a + k, (byte) (v >>> (8 * k)));
    }

    @Override
    public int fetch16(long a) {
        if (!inside(a, 2)) {
            hart.raise(Cause.INSTRUCTION_ACCESS_FAULT, a);
            return 0;
        }
        tlb.install(a, a & SoftTlb.PAGE_MASK, true, true, true);
        return host.segment().get(SoftTlb.SHORT, a) & 0xFFFF;
    }

    @Override
    public long atomicOffset(long a, int n) {
        if (!inside(a, n)) {
            hart.raise(Cause.STORE_ACCESS_FAULT, a);
            return -1;
        }
        return a;
    }

    /**
     * Loads may go straight to any RAM byte (translated code tests the whole RAM as its direct
     * window); stores get no window, since any page may come to hold translated code.
     */
    @Override
    public long[] directWindow(long a, boolean store) {
        return store || !inside(a, 1) ? null : new long[]{0, size};
    }

    void write(long a, byte[] bytes) {
        for (int k = 0; k < bytes.length; k++) host.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, a + k, bytes[k]);
    }

    @Override
    public void close() {
        host.close();
    }
}
