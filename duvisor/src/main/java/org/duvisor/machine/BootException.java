package org.duvisor.machine;

/** A kernel, firmware, initrd or disk image the machine refuses, with the reason in the message. */
public final class BootException extends Exception {
    public BootException(String message) {
        super(message);
    }
}
