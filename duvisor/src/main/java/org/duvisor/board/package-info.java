/**
 * The machine's board, laid out like QEMU 7.2's {@code virt}: the devices on the physical bus (one
 * class each: {@link org.duvisor.board.Uart16550}, {@link org.duvisor.board.Aclint},
 * {@link org.duvisor.board.Plic}, {@link org.duvisor.board.TestFinisher}), the HTIF of bare-metal
 * test programs ({@link org.duvisor.board.Htif}), and {@link org.duvisor.board.Board}, which maps
 * the devices and generates the device tree from them.
 *
 * <p>Devices reach harts only through {@code InterruptPins} and each other only through
 * {@link org.duvisor.board.IrqLine}; machine-level effects (power off, reset) go through
 * {@link org.duvisor.board.PowerControl}.
 */
package org.duvisor.board;
