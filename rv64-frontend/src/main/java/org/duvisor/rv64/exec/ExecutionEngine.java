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

    /** Prints engine statistics (for --stats). */
    default void printStatistics(java.io.PrintStream out) {
    }
}
