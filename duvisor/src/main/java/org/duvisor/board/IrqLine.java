package org.duvisor.board;

/** One level-triggered interrupt wire from a device to an interrupt controller (a PLIC source). */
@FunctionalInterface
public interface IrqLine {
    IrqLine NONE = level -> { };

    void set(boolean level);
}
