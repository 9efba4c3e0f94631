package org.duvisor.cli;

/** A problem with what the user asked for: printed as one line, no stack trace. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }
}
