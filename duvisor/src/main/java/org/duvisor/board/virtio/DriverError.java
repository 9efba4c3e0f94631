package org.duvisor.board.virtio;

/**
 * The driver broke a requirement of the specification (a ring or buffer outside RAM, a descriptor
 * loop, a buffer in the wrong direction, a request too short to parse). The transport answers it by
 * entering DEVICE_NEEDS_RESET (VIRTIO 1.2 §2.1.2); the message names what was wrong and becomes the
 * single warning line of that episode.
 */
public final class DriverError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DriverError(String message) {
        super(message, null, false, false);
    }
}
