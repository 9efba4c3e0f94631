package org.duvisor.board;

/**
 * What the machine does when the guest asks to stop or restart it (the test finisher, HTIF exit).
 * Called from hart threads; the machine decides how the harts wind down.
 */
public interface PowerControl {
    /** Exit code reported when a device meets a request it cannot serve ({@link #fault}). */
    int FAULT_EXIT_CODE = 255;

    /** The guest powered the machine off; {@code exitCode} 0 means success. */
    void powerOff(int exitCode);

    /** The guest asked for a system reset. */
    void reset();

    /**
     * A device met a guest request it does not support (an HTIF system call, say). The default stops
     * the machine with {@link #FAULT_EXIT_CODE}; a machine that can show {@code message} should.
     */
    default void fault(String message) {
        powerOff(FAULT_EXIT_CODE);
    }
}
