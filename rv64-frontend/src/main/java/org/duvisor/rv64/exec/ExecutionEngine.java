package org.duvisor.rv64.exec;

/**
 * A way of executing guest code on one hart: the interpreter, the translator, or both in lockstep.
 * {@link #run} returns when a trap is pending in the hart (pc at the faulting instruction) or
 * after at least {@code budget} instructions have retired.
 */
public interface ExecutionEngine {
    long run(long budget);

    /** Forgets all decoded or translated code (the environment changed code memory). */
    void flushCode();

    /**
     * Forgets all translated code, even code whose guest bytes are unchanged: assumptions
     * compiled into it about the address space no longer hold (see
     * {@link org.duvisor.dbt.memory.MemorySlowPath#directWindow}). By default {@link #flushCode}.
     */
    default void discardTranslations() {
        flushCode();
    }

    /** Prints engine statistics (for --stats). */
    default void printStatistics(java.io.PrintStream out) {
    }
}
