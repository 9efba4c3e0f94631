package org.duvisor.rv64.linux;

/** An executable that {@link ElfLoader} refuses; the message is a one-line reason. */
public final class BadElfException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadElfException(String reason) {
        super(reason);
    }
}
