package org.duvisor.rv64.fp;

/**
 * Accumulator of the RISC-V {@code fflags} exception bits (the low five bits of {@code fcsr}).
 *
 * <p>Every operation of {@link Binary32} and {@link Binary64} ORs the exceptions it raises into
 * {@link #bits}; the library never clears it. The bit values are the RISC-V encodings, so
 * {@code bits} can be OR-ed directly into a guest {@code fcsr}.
 */
public final class FloatFlags {
    /** Inexact. */
    public static final int NX = 1;
    /** Underflow (tiny after rounding and inexact). */
    public static final int UF = 2;
    /** Overflow (always raised together with {@link #NX}). */
    public static final int OF = 4;
    /** Division by zero. */
    public static final int DZ = 8;
    /** Invalid operation. */
    public static final int NV = 16;

    /** Accrued exception bits; OR-ed into, never cleared by the library. */
    public int bits;

    public FloatFlags() {
    }

    public FloatFlags(int bits) {
        this.bits = bits;
    }

    @Override
    public String toString() {
        return format(bits);
    }

    /** Renders a flag set as e.g. {@code "NV|NX"} (or {@code "-"} when empty); handy in test messages. */
    public static String format(int bits) {
        if (bits == 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        String[] names = {"NX", "UF", "OF", "DZ", "NV"};
        for (int i = 4; i >= 0; i--) {
            if ((bits & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(names[i]);
            }
        }
        if ((bits & ~31) != 0) {
            sb.append("|0x").append(Integer.toHexString(bits & ~31));
        }
        return sb.toString();
    }
}
