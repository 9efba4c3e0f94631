package org.duvisor.dbt.cache;

import java.io.PrintStream;

/** Counters of the translator and dispatcher of one hart (one thread), printed by {@code --stats}. */
public final class DbtStatistics {
    public long regionsCompiled;
    public long guestInstructionsTranslated;
    public long bytecodeBytes;
    public long compileNanos;
    public long regionEntries;
    public long chainedExits;
    public long unchainedExits;
    /** Indirect exits whose target missed the exit site's cached targets (a code-cache lookup). */
    public long indirectExits;
    /** Indirect exits whose target was one of the exit site's cached targets (no lookup; see {@link Region#INDIRECT_WAYS}). */
    public long predictedIndirectExits;
    public long dispatcherLookups;
    public long invalidations;
    /** Whole-cache flushes (FENCE.I and the like). */
    public long flushes;
    public long interpretedInstructions;
    public long compileFailures;
    /** Loads and stores translated with a direct-window test before the TLB's (identity-mapped user mode). */
    public long directAccesses;
    /** Times all translated code was discarded because a direct window it relied on was revoked. */
    public long discards;
    /** Accesses that fell outside the direct window compiled in for them (they took the TLB path). */
    public long windowMisses;
    /** Regions translated again because their accesses kept missing their direct windows. */
    public long retranslations;

    /** Transitions that followed a cached successor (direct chains and predicted indirect exits). */
    public double chainedFraction() {
        long all = chainedExits + predictedIndirectExits + unchainedExits + indirectExits;
        return all == 0 ? 0 : (double) (chainedExits + predictedIndirectExits) / all;
    }

    public void print(PrintStream out, String prefix) {
        out.printf("%sregions=%d translated-insns=%d bytecode-bytes=%d compile-ms=%.1f compile-failures=%d direct-accesses=%d direct-misses=%d%n",
                prefix, regionsCompiled, guestInstructionsTranslated, bytecodeBytes, compileNanos / 1e6, compileFailures, directAccesses, windowMisses);
        out.printf("%sregion-entries=%d chained=%d indirect-predicted=%d unchained=%d indirect-missed=%d chained-fraction=%.3f lookups=%d invalidations=%d flushes=%d discards=%d retranslations=%d interpreted-insns=%d%n",
                prefix, regionEntries, chainedExits, predictedIndirectExits, unchainedExits, indirectExits, chainedFraction(),
                dispatcherLookups, invalidations, flushes, discards, retranslations, interpretedInstructions);
    }
}
