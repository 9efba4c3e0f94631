package org.duvisor.dbt.bus;

/**
 * A device register window on the physical bus. Offsets are relative to the window's base; sizes
 * are 1, 2, 4 or 8 bytes, little-endian, and an access never crosses the end of the window (the bus
 * checks). Reads return the value zero-extended to 64 bits.
 *
 * <p>Accesses come from hart threads (several at once on an SMP machine); a device synchronises its
 * own state. A register that does not exist reads as zero and ignores writes unless the device's
 * specification says otherwise; a device never throws on guest input.
 */
public interface MmioDevice {
    long read(long offset, int size);

    void write(long offset, long value, int size);
}
