package org.duvisor.board;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A National Semiconductor PC16550D UART ({@code ns16550a}), registers one byte apart as on QEMU's
 * {@code virt}. Transmission is instantaneous: a byte written to THR goes straight to the output
 * stream, so THR and the transmitter are always empty (LSR THRE and TEMT set). Received bytes wait in
 * a 16-byte FIFO (one byte when FIFOs are disabled) fed by {@link #receive} or a reader thread.
 *
 * <p>The interrupt output follows the datasheet's IIR priorities: receiver line status, received
 * data (or character timeout while the FIFO holds less than the trigger level; the timeout is taken
 * as already elapsed), THR empty, modem status. As on QEMU, MCR OUT2 does not gate the output.
 * Accesses wider than a byte act on the register at that offset. All methods are thread-safe.
 */
public final class Uart16550 implements BoardDevice {
    public static final long VIRT_BASE = 0x1000_0000, SIZE = 0x100;
    public static final int VIRT_PLIC_SOURCE = 10;
    public static final int CLOCK_HZ = 3_686_400;
    private static final int FIFO_SIZE = 16;

    // Register offsets (datasheet Table II).
    static final int RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
    // IER
    static final int IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04, IER_MS = 0x08;
    // IIR
    static final int IIR_NONE = 0x01, IIR_MS = 0x00, IIR_THRE = 0x02, IIR_RDA = 0x04, IIR_RLS = 0x06, IIR_TIMEOUT = 0x0C, IIR_FIFOS = 0xC0;
    // FCR
    static final int FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
    // LCR
    static final int LCR_DLAB = 0x80;
    // MCR
    static final int MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
    // LSR
    static final int LSR_DR = 0x01, LSR_OE = 0x02, LSR_ERRORS = 0x1E, LSR_THRE = 0x20, LSR_TEMT = 0x40;
    // MSR
    static final int MSR_DELTAS = 0x0F, MSR_TERI = 0x04, MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
    /** What the outside world drives on the modem inputs: a terminal that is present and ready. */
    private static final int EXTERNAL_MODEM_INPUTS = MSR_DCD | MSR_DSR | MSR_CTS;

    private final long base;
    private final int plicSource;
    private final IrqLine irq;
    private final OutputStream out;

    private final byte[] rx = new byte[FIFO_SIZE];
    private int rxHead, rxCount;
    private int ier, lcr, mcr, fcr, scr, dll, dlm;
    /** LSR error bits (overrun only: received bytes are never corrupted). */
    private int lineErrors;
    /** The THR-empty interrupt condition: set when THR empties or ETBEI is enabled, cleared by IIR read or THR write. */
    private boolean thrEmptyPending;
    private int modemInputs = EXTERNAL_MODEM_INPUTS, modemDeltas;
    private boolean irqLevel;

    public Uart16550(long base, int plicSource, IrqLine irq, OutputStream out) {
        this.base = base;
        this.plicSource = plicSource;
        this.irq = irq;
        this.out = out;
    }

    /** The UART of QEMU's {@code virt} board: at 0x1000_0000 on PLIC source 10. */
    public static Uart16550 virt(Plic plic, OutputStream out) {
        return new Uart16550(VIRT_BASE, VIRT_PLIC_SOURCE, plic.source(VIRT_PLIC_SOURCE), out);
    }

    @Override
    public String name() {
        return "uart0";
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public synchronized long read(long offset, int size) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        int value = switch ((int) offset) {
            case RBR_THR_DLL -> dlab ? dll : pop();
            case IER_DLM -> dlab ? dlm : ier;
            case IIR_FCR -> {
                int iir = iir();
                if ((iir & 0x0F) == IIR_THRE) thrEmptyPending = false;
                yield iir;
            }
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> {
                int lsr = lsr();
                lineErrors = 0;
                yield lsr;
            }
            case MSR -> {
                int msr = modemInputs | modemDeltas;
                modemDeltas = 0;
                yield msr;
            }
            case SCR -> scr;
            default -> 0;
        };
        updateIrq();
        return value;
    }

    @Override
    public synchronized void write(long offset, long value, int size) {
        int v = (int) value & 0xFF;
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch ((int) offset) {
            case RBR_THR_DLL -> {
                if (dlab) dll = v;
                else transmit(v);
            }
            case IER_DLM -> {
                if (dlab) {
                    dlm = v;
                } else {
                    if ((v & ~ier & IER_THRE) != 0) thrEmptyPending = true; // THR is always empty
                    ier = v & 0x0F;
                }
            }
            case IIR_FCR -> writeFcr(v);
            case LCR -> lcr = v;
            case MCR -> {
                mcr = v & 0x1F;
                setModemInputs((mcr & MCR_LOOP) != 0 ? loopedModemInputs() : EXTERNAL_MODEM_INPUTS);
            }
            case SCR -> scr = v;
            default -> { } // LSR and MSR writes are for factory testing only
        }
        updateIrq();
    }

    /**
     * A byte arriving on the serial input. Returns false if it was lost: the receiver FIFO was full
     * (overrun, LSR OE) or the UART is in loopback, where the serial input is disconnected.
     */
    public synchronized boolean receive(byte b) {
        if ((mcr & MCR_LOOP) != 0) return false;
        boolean kept = push(b);
        updateIrq();
        return kept;
    }

    /**
     * Starts a daemon thread that feeds bytes from {@code in} to the receiver until end of stream,
     * waiting while the FIFO is full instead of overrunning it (as hardware flow control would).
     */
    public Thread startReader(InputStream in) {
        Thread t = new Thread(() -> {
            try {
                for (int b; (b = in.read()) >= 0; ) receiveWhenRoom((byte) b);
            } catch (IOException | InterruptedException e) {
                // the input is gone; the guest simply receives nothing more
            }
        }, name() + "-input");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private synchronized void receiveWhenRoom(byte b) throws InterruptedException {
        while (rxCount >= capacity() && (mcr & MCR_LOOP) == 0) wait();
        receive(b);
    }

    private int capacity() {
        return (fcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1;
    }

    private boolean push(byte b) {
        if (rxCount >= capacity()) {
            lineErrors |= LSR_OE;
            return false;
        }
        rx[(rxHead + rxCount) % FIFO_SIZE] = b;
        rxCount++;
        return true;
    }

    private int pop() {
        if (rxCount == 0) return 0;
        int b = rx[rxHead] & 0xFF;
        rxHead = (rxHead + 1) % FIFO_SIZE;
        rxCount--;
        notifyAll();
        return b;
    }

    private void clearReceiver() {
        rxHead = 0;
        rxCount = 0;
        notifyAll();
    }

    private void transmit(int b) {
        if ((mcr & MCR_LOOP) != 0) {
            push((byte) b);
        } else {
            try {
                out.write(b);
                out.flush();
            } catch (IOException e) {
                // the console is gone; a real line would drop the byte as well
            }
        }
        thrEmptyPending = true; // transmitted at once: THR is empty again
    }

    /** FCR (datasheet "FIFO Control Register"): changing FCR0 clears both FIFOs; bits 1 and 2 self-clear. */
    private void writeFcr(int v) {
        if (((v ^ fcr) & FCR_ENABLE) != 0 || (v & FCR_CLEAR_RX) != 0) clearReceiver();
        fcr = (v & FCR_ENABLE) != 0 ? v & 0xC9 : 0;
    }

    private int triggerLevel() {
        return switch (fcr >>> 6) {
            case 0 -> 1;
            case 1 -> 4;
            case 2 -> 8;
            default -> 14;
        };
    }

    private int lsr() {
        return (rxCount > 0 ? LSR_DR : 0) | lineErrors | LSR_THRE | LSR_TEMT;
    }

    private int iir() {
        int id;
        if ((ier & IER_RLS) != 0 && (lineErrors & LSR_ERRORS) != 0) id = IIR_RLS;
        else if ((ier & IER_RDA) != 0 && rxCount > 0) id = (fcr & FCR_ENABLE) != 0 && rxCount < triggerLevel() ? IIR_TIMEOUT : IIR_RDA;
        else if ((ier & IER_THRE) != 0 && thrEmptyPending) id = IIR_THRE;
        else if ((ier & IER_MS) != 0 && modemDeltas != 0) id = IIR_MS;
        else id = IIR_NONE;
        return id | ((fcr & FCR_ENABLE) != 0 ? IIR_FIFOS : 0);
    }

    /** Loopback wiring (datasheet "Modem Control Register", bit 4): RTS→CTS, DTR→DSR, OUT1→RI, OUT2→DCD. */
    private int loopedModemInputs() {
        return ((mcr & MCR_RTS) != 0 ? MSR_CTS : 0) | ((mcr & MCR_DTR) != 0 ? MSR_DSR : 0)
                | ((mcr & MCR_OUT1) != 0 ? MSR_RI : 0) | ((mcr & MCR_OUT2) != 0 ? MSR_DCD : 0);
    }

    /** Delta bits record changes of CTS, DSR and DCD, and the trailing edge of RI (TERI). */
    private void setModemInputs(int inputs) {
        int changed = inputs ^ modemInputs;
        modemDeltas |= ((changed & (MSR_CTS | MSR_DSR | MSR_DCD)) >>> 4) | ((changed & modemInputs & MSR_RI) != 0 ? MSR_TERI : 0);
        modemInputs = inputs;
    }

    private void updateIrq() {
        boolean level = (iir() & IIR_NONE) == 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    @Override
    public void describe(DeviceTree tree, DeviceTree.Node soc) {
        soc.child("serial@" + Long.toHexString(base))
                .property("compatible", "ns16550a")
                .u64("reg", base, SIZE)
                .cells("clock-frequency", CLOCK_HZ)
                .cells("interrupts", plicSource)
                .cells("interrupt-parent", tree.phandle("plic"));
    }
}
