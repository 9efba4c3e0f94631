package org.duvisor.board;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import org.duvisor.dbt.bus.PhysicalBus;

/**
 * The host-target interface of bare-metal test programs (Spike / riscv-fesvr convention): two
 * 64-bit words in guest RAM, {@code tohost} and {@code fromhost}, found through the program's ELF
 * symbols. A request in tohost holds a device (bits 63:56), a command (55:48) and a payload (47:0);
 * the host takes it by clearing tohost and answers, when the device answers, through fromhost once
 * the guest has cleared that.
 *
 * <p>Served: device 0 command 0 with payload bit 0 set (exit with code payload >> 1), the system
 * calls {@code write} (64, to fd 1 or 2) and {@code exit} (93) passed through a {@code magic_mem}
 * block, and device 1 command 1 (console putchar, answered with {@code 0x100 | char}). Anything else
 * is reported through {@link PowerControl#fault}. Not an MMIO device: the hart loop calls
 * {@link #poll} between blocks, on the hart's thread.
 */
public final class Htif {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long PAYLOAD_MASK = (1L << 48) - 1;
    static final int SYS_WRITE = 64, SYS_EXIT = 93;
    /** Size of a system-call block: the call number, then up to seven arguments. */
    private static final long MAGIC_MEM_SIZE = 8 * 8;

    private final PhysicalBus bus;
    private final MemorySegment ram;
    private final long tohost, fromhost;
    private final OutputStream console;
    private final PowerControl power;
    /** Answers waiting for the guest to clear fromhost. */
    private final ArrayDeque<Long> answers = new ArrayDeque<>();
    private boolean stopped;

    /**
     * @param tohostAddress   guest-physical address of the {@code tohost} symbol
     * @param fromhostAddress guest-physical address of the {@code fromhost} symbol
     * @throws IllegalArgumentException if either word is not entirely in RAM
     */
    public Htif(PhysicalBus bus, long tohostAddress, long fromhostAddress, OutputStream console, PowerControl power) {
        this.bus = bus;
        this.ram = bus.ram();
        this.tohost = ramWord(bus, "tohost", tohostAddress);
        this.fromhost = ramWord(bus, "fromhost", fromhostAddress);
        this.console = console;
        this.power = power;
    }

    private static long ramWord(PhysicalBus bus, String symbol, long address) {
        long off = bus.ramOffset(address, 8);
        if (off < 0) throw new IllegalArgumentException(symbol + " at 0x" + Long.toHexString(address) + " is not in RAM");
        return off;
    }

    /**
     * Whether tohost holds a request (read from any thread, as a hint): a guest waiting for the
     * host to take one spins in translated code, which leaves it only when asked to.
     */
    public boolean requestPending() {
        return !stopped && ram.get(WORD, tohost) != 0;
    }

    /** Serves the pending request, if any, and delivers a queued answer if fromhost is free. */
    public void poll() {
        if (stopped) return;
        long request = ram.get(WORD, tohost);
        if (request != 0) {
            ram.set(WORD, tohost, 0);
            serve((int) (request >>> 56), (int) (request >>> 48) & 0xFF, request & PAYLOAD_MASK);
        }
        if (!answers.isEmpty() && ram.get(WORD, fromhost) == 0) ram.set(WORD, fromhost, answers.poll());
    }

    private void serve(int device, int command, long payload) {
        if (device == 0 && command == 0) {
            if ((payload & 1) != 0) stop((int) (payload >>> 1));
            else systemCall(payload);
        } else if (device == 1 && command == 1) {
            write((byte) payload);
            answer(device, command, 0x100 | (payload & 0xFF));
        } else {
            fault("HTIF request device " + device + " command " + command + " (payload 0x" + Long.toHexString(payload) + ") is not supported");
        }
    }

    /** A system call whose number and arguments sit in a {@code magic_mem} block at {@code address}. */
    private void systemCall(long address) {
        long block = bus.ramOffset(address, MAGIC_MEM_SIZE);
        if (block < 0) {
            fault("HTIF system call block at 0x" + Long.toHexString(address) + " is not in RAM");
            return;
        }
        long number = ram.get(WORD, block);
        long a0 = ram.get(WORD, block + 8), a1 = ram.get(WORD, block + 16), a2 = ram.get(WORD, block + 24);
        if (number == SYS_EXIT) {
            stop((int) a0);
        } else if (number == SYS_WRITE && (a0 == 1 || a0 == 2)) {
            long buffer = bus.ramOffset(a1, a2);
            if (buffer < 0) {
                fault("HTIF write of " + a2 + " bytes at 0x" + Long.toHexString(a1) + " is outside RAM");
                return;
            }
            for (long i = 0; i < a2; i++) write(ram.get(ValueLayout.JAVA_BYTE, buffer + i));
            ram.set(WORD, block, a2);
            answer(0, 0, 1);
        } else {
            fault("HTIF system call " + number + " (a0=" + a0 + ") is not supported");
        }
    }

    private void write(byte b) {
        try {
            console.write(b);
            console.flush();
        } catch (IOException e) {
            // the console is gone; the program goes on without output
        }
    }

    private void answer(int device, int command, long payload) {
        answers.add((long) device << 56 | (long) command << 48 | payload);
    }

    private void stop(int exitCode) {
        stopped = true;
        power.powerOff(exitCode);
    }

    private void fault(String message) {
        stopped = true;
        power.fault(message);
    }
}
