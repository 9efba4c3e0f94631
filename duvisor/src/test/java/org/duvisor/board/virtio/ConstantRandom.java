package org.duvisor.board.virtio;

import java.util.Arrays;
import java.util.Random;

/** A "random" source that fills every buffer with one byte value, so tests can recognise it. */
final class ConstantRandom extends Random {
    private static final long serialVersionUID = 1L;
    static final byte FILL = 0x5A;

    @Override
    public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, FILL);
    }
}
