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
    public long indirectExits;
    public long dispatcherLookups;
    public long invalidations;
    public long interpretedInstructions;
    public long compileFailures;

    public double chainedFraction() {
        long all = chainedExits + unchainedExits + indirectExits;
        return all == 0 ? 0 : (double) chainedExits / all;
    }

    public void print(PrintStream out, String prefix) {
        out.printf("%sregions=%d translated-insns=%d bytecode-bytes=%d compile-ms=%.1f compile-failures=%d%n",
                prefix, regionsCompiled, guestInstructionsTranslated, bytecodeBytes, compileNanos / 1e6, compileFailures);
        out.printf("%sregion-entries=%d chained=%d unchained=%d indirect=%d chained-fraction=%.3f lookups=%d invalidations=%d interpreted-insns=%d%n",
                prefix, regionEntries, chainedExits, unchainedExits, indirectExits, chainedFraction(), dispatcherLookups,
                invalidations, interpretedInstructions);
    }
}
