package org.duvisor.firmware;

/**
 * Numbers of the RISC-V Supervisor Binary Interface 2.0 that every SBI implementation here uses:
 * extension IDs (chapters 4-12), error codes (§3.2) and the specification version.
 */
public final class Sbi {
    public static final long BASE = 0x10, TIME = 0x54494D45, IPI = 0x735049, RFENCE = 0x52464E43, HSM = 0x48534D,
            SRST = 0x53525354, DBCN = 0x4442434E;
    /** Legacy v0.1 extensions (chapter 5) used here: set_timer, console_putchar and shutdown. */
    public static final long LEGACY_SET_TIMER = 0, LEGACY_PUTCHAR = 1, LEGACY_SHUTDOWN = 8;
    public static final long SUCCESS = 0, FAILED = -1, NOT_SUPPORTED = -2, INVALID_PARAM = -3, INVALID_ADDRESS = -5,
            ALREADY_AVAILABLE = -6, ALREADY_STOPPED = -8;
    /** SBI specification v2.0: major 2 in bits 30:24, minor 0. */
    public static final long SPEC_VERSION = 2L << 24;

    private Sbi() {
    }
}
