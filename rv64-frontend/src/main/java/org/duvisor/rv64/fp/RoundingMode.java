package org.duvisor.rv64.fp;

/**
 * RISC-V static rounding-mode encodings (the {@code rm} instruction field / {@code frm}).
 *
 * <p>The library accepts only the five values below; resolving {@code DYN} (7) against {@code frm}
 * and trapping on the reserved encodings (5, 6, and an invalid {@code frm}) is the caller's job.
 * Any other value is treated like {@link #RNE}.
 */
public final class RoundingMode {
    /** Round to nearest, ties to even. */
    public static final int RNE = 0;
    /** Round towards zero. */
    public static final int RTZ = 1;
    /** Round down (towards negative infinity). */
    public static final int RDN = 2;
    /** Round up (towards positive infinity). */
    public static final int RUP = 3;
    /** Round to nearest, ties to max magnitude (away from zero). */
    public static final int RMM = 4;

    /** The rm encoding that selects frm (the caller resolves it). */
    public static final int DYN = 7;

    private RoundingMode() {
    }

    /** Whether {@code rm} names one of the five rounding modes. */
    public static boolean isValid(int rm) {
        return rm >= RNE && rm <= RMM;
    }

    /** Mnemonic of a rounding mode, for diagnostics. */
    public static String name(int rm) {
        return switch (rm) {
            case RNE -> "RNE";
            case RTZ -> "RTZ";
            case RDN -> "RDN";
            case RUP -> "RUP";
            case RMM -> "RMM";
            default -> "rm" + rm;
        };
    }
}
