package org.duvisor.firmware;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.priv.HartLoop;
import org.duvisor.rv64.priv.InterruptPins;
import org.duvisor.rv64.priv.MachineTrapHandler;
import org.duvisor.rv64.priv.PrivilegedArchitecture;
import org.duvisor.rv64.priv.SystemMemory;

/**
 * M-mode firmware written in Java: the Supervisor Binary Interface v2.0 (base, TIME, IPI, RFENCE,
 * HSM, SRST, DBCN) and the legacy v0.1 calls, answered directly when S-mode executes ECALL, with no
 * M-mode instructions emulated. Exceptions S-mode did not delegate are forwarded to it as OpenSBI
 * forwards them. The timer uses Sstc's stimecmp, which this firmware enables (menvcfg.STCE).
 */
public final class BuiltinSbi implements MachineTrapHandler {
    private static final long BASE = Sbi.BASE, TIME = Sbi.TIME, IPI = Sbi.IPI, RFENCE = Sbi.RFENCE, HSM = Sbi.HSM, SRST = Sbi.SRST,
            DBCN = Sbi.DBCN;
    private static final long SUCCESS = Sbi.SUCCESS, NOT_SUPPORTED = Sbi.NOT_SUPPORTED, INVALID_PARAM = Sbi.INVALID_PARAM,
            INVALID_ADDRESS = Sbi.INVALID_ADDRESS, ALREADY_AVAILABLE = Sbi.ALREADY_AVAILABLE;

    /** What the firmware needs from the machine it runs in. */
    public interface Platform {
        List<HartLoop> harts();

        SystemMemory memory(int hartId);

        OutputStream console();

        /** Next console input byte, or -1 if none is waiting. */
        int consoleRead();

        void powerOff(int exitCode);

        void reset();
    }

    /** An implementation ID outside the registered range ("DV"). */
    static final long IMPLEMENTATION_ID = 0x4456;

    private final Platform platform;

    public BuiltinSbi(Platform platform) {
        this.platform = platform;
    }

    /**
     * Sets up one hart's M-mode state the way firmware leaves it for an S-mode kernel: traps and
     * interrupts S-mode handles itself delegated, counters and Sstc enabled, all memory open to S/U
     * through PMP entry 0.
     */
    public void prepare(PrivilegedArchitecture arch) {
        Hart h = arch.hart;
        arch.firmware = this;
        arch.medeleg = (1 << Cause.INSTRUCTION_MISALIGNED) | (1 << Cause.INSTRUCTION_ACCESS_FAULT)
                | (1 << Cause.ILLEGAL_INSTRUCTION) | (1 << Cause.BREAKPOINT) | (1 << Cause.LOAD_MISALIGNED)
                | (1 << Cause.LOAD_ACCESS_FAULT) | (1 << Cause.STORE_MISALIGNED) | (1 << Cause.STORE_ACCESS_FAULT)
                | (1 << Cause.ECALL_FROM_U) | (1 << Cause.INSTRUCTION_PAGE_FAULT) | (1 << Cause.LOAD_PAGE_FAULT)
                | (1 << Cause.STORE_PAGE_FAULT);
        if (arch.hypervisor != null) {
            // A hypervisor in S-mode (KVM) handles its guests' SBI calls, guest-page faults and
            // virtual-instruction exceptions itself.
            arch.medeleg |= (1 << Cause.ECALL_FROM_VS) | (1 << Cause.INSTRUCTION_GUEST_PAGE_FAULT) | (1 << Cause.LOAD_GUEST_PAGE_FAULT)
                    | (1 << Cause.VIRTUAL_INSTRUCTION) | (1 << Cause.STORE_GUEST_PAGE_FAULT);
        }
        arch.mideleg = PrivilegedArchitecture.DELEGABLE_INTERRUPTS;
        arch.menvcfg = PrivilegedArchitecture.STCE;
        h.machineCounterEnable = -1;
        // NAPOT over the whole physical address space, RWX (Privileged ISA 3.7.1).
        arch.pmp.writeAddress(0, -1L);
        arch.pmp.writeConfig(0, 0x1F);
        arch.flushTranslations();
    }

    @Override
    public boolean handle(PrivilegedArchitecture arch, int cause, boolean interrupt, long trapValue) {
        Hart h = arch.hart;
        if (interrupt) return false; // M-level interrupts stay disabled under this firmware
        if (cause == Cause.ECALL_FROM_S) {
            call(arch);
            h.pc += 4;
            return true;
        }
        if (h.privilege < Privilege.MACHINE) {
            arch.redirectToSupervisor(cause, false, trapValue);
            return true;
        }
        return false;
    }

    private void call(PrivilegedArchitecture arch) {
        Hart h = arch.hart;
        long[] x = h.x;
        long eid = x[17], fid = x[16];
        long a0 = x[10], a1 = x[11], a2 = x[12];
        if (eid <= 8) {
            x[10] = legacy(arch, (int) eid, a0);
            return;
        }
        long error = SUCCESS, value = 0;
        if (eid == BASE) {
            switch ((int) fid) {
                case 0 -> value = Sbi.SPEC_VERSION;
                case 1 -> value = IMPLEMENTATION_ID;
                case 2 -> value = 1;
                case 3 -> value = supported(a0) ? 1 : 0;
                case 4, 5, 6 -> value = 0; // mvendorid, marchid, mimpid
                default -> error = NOT_SUPPORTED;
            }
        } else if (eid == TIME && fid == 0) {
            setTimer(arch, a0);
        } else if (eid == IPI && fid == 0) {
            error = forHarts(a0, a1, loop -> loop.architecture().pins.set(InterruptPins.SSIP, true));
        } else if (eid == RFENCE) {
            HartLoop self = platform.harts().get(h.hartId);
            int what = fid == 0 ? HartLoop.FENCE_I : HartLoop.FLUSH_TLB;
            if (fid > 6) {
                error = NOT_SUPPORTED;
            } else if (fid >= 3) {
                error = NOT_SUPPORTED; // the hypervisor fences need the H extension
            } else {
                error = forHarts(a0, a1, loop -> {
                    if (loop == self) {
                        if (what == HartLoop.FENCE_I) self.engine().flushCode();
                        else arch.flushTranslations();
                    } else {
                        loop.request(what, self);
                    }
                });
            }
        } else if (eid == HSM) {
            long[] result = hsm(arch, fid, a0, a1, a2);
            error = result[0];
            value = result[1];
        } else if (eid == SRST && fid == 0) {
            error = systemReset(a0, a1);
        } else if (eid == DBCN) {
            long[] result = debugConsole(fid, a0, a1, a2);
            error = result[0];
            value = result[1];
        } else {
            error = NOT_SUPPORTED;
        }
        x[10] = error;
        x[11] = value;
    }

    private static boolean supported(long eid) {
        return eid == BASE || eid == TIME || eid == IPI || eid == RFENCE || eid == HSM || eid == SRST || eid == DBCN
                || (eid >= 0 && eid <= 8);
    }

    private static void setTimer(PrivilegedArchitecture arch, long deadline) {
        arch.stimecmp = deadline;
        arch.hart.exitRequest = 1;
    }

    private interface HartAction {
        void apply(HartLoop loop);
    }

    /** Applies {@code action} to the harts in (hart_mask, hart_mask_base) (SBI 2.0 §3.2). */
    private long forHarts(long mask, long base, HartAction action) {
        List<HartLoop> harts = platform.harts();
        if (base == -1L) {
            for (HartLoop loop : harts) action.apply(loop);
            return SUCCESS;
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((mask >>> bit & 1) == 0) continue;
            long id = base + bit;
            if (id < 0 || id >= harts.size()) return INVALID_PARAM;
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((mask >>> bit & 1) != 0) action.apply(harts.get((int) (base + bit)));
        }
        return SUCCESS;
    }

    private long[] hsm(PrivilegedArchitecture arch, long fid, long a0, long a1, long a2) {
        List<HartLoop> harts = platform.harts();
        switch ((int) fid) {
            case 0 -> { // hart_start(hartid, start_addr, opaque)
                if (a0 < 0 || a0 >= harts.size()) return new long[]{INVALID_PARAM, 0};
                HartLoop target = harts.get((int) a0);
                if (target.isStarted()) return new long[]{ALREADY_AVAILABLE, 0};
                if (platform.memory(0) != null && arch.bus.ramOffset(a1, 2) < 0) return new long[]{INVALID_ADDRESS, 0};
                target.start(a1, a2);
                return new long[]{SUCCESS, 0};
            }
            case 1 -> { // hart_stop()
                HartLoop self = harts.get(arch.hart.hartId);
                self.setStarted(false);
                arch.hart.exitRequest = 1;
                return new long[]{SUCCESS, 0};
            }
            case 2 -> { // hart_get_status(hartid)
                if (a0 < 0 || a0 >= harts.size()) return new long[]{INVALID_PARAM, 0};
                return new long[]{SUCCESS, harts.get((int) a0).isStarted() ? 0 : 1};
            }
            case 3 -> { // hart_suspend(type, resume_addr, opaque): retentive suspend only
                if (a0 != 0) return new long[]{NOT_SUPPORTED, 0};
                arch.waitingForInterrupt = true;
                arch.hart.exitRequest = 1;
                return new long[]{SUCCESS, 0};
            }
            default -> {
                return new long[]{NOT_SUPPORTED, 0};
            }
        }
    }

    private long systemReset(long type, long reason) {
        switch ((int) type) {
            case 0 -> platform.powerOff(reason == 1 ? 1 : 0);
            case 1, 2 -> platform.reset();
            default -> {
                return INVALID_PARAM;
            }
        }
        return SUCCESS;
    }

    private long[] debugConsole(long fid, long a0, long a1, long a2) {
        switch ((int) fid) {
            case 0 -> { // console_write(num_bytes, base_addr_lo, base_addr_hi): physical addresses
                PhysicalBus bus = platform.harts().getFirst().architecture().bus;
                long off = bus.ramOffset(a1, a0);
                if (off < 0) return new long[]{INVALID_PARAM, 0};
                byte[] bytes = bus.ram().asSlice(off, a0).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                write(bytes);
                return new long[]{SUCCESS, a0};
            }
            case 1 -> { // console_read(num_bytes, base_addr_lo, base_addr_hi)
                PhysicalBus bus = platform.harts().getFirst().architecture().bus;
                long off = bus.ramOffset(a1, a0);
                if (off < 0) return new long[]{INVALID_PARAM, 0};
                int n = 0;
                for (int c; n < a0 && (c = platform.consoleRead()) >= 0; n++) {
                    bus.ram().set(java.lang.foreign.ValueLayout.JAVA_BYTE, off + n, (byte) c);
                }
                return new long[]{SUCCESS, n};
            }
            case 2 -> { // console_write_byte(byte)
                write(new byte[]{(byte) a0});
                return new long[]{SUCCESS, 0};
            }
            default -> {
                return new long[]{NOT_SUPPORTED, 0};
            }
        }
    }

    /** SBI v0.1 (SBI 2.0 chapter 5): the result is in a0 only. */
    private long legacy(PrivilegedArchitecture arch, int eid, long a0) {
        switch (eid) {
            case 0 -> setTimer(arch, a0);
            case 1 -> write(new byte[]{(byte) a0});
            case 2 -> {
                return platform.consoleRead();
            }
            case 3 -> arch.writeMipSoftware(0, 1L << InterruptPins.SSIP);
            case 4, 5, 6, 7 -> {
                // The hart mask is a virtual address in S-mode memory.
                long mask;
                if (a0 == 0) {
                    mask = -1L;
                } else {
                    byte[] m = new byte[8];
                    if (!platform.memory(arch.hart.hartId).readBytes(a0, m)) return INVALID_ADDRESS;
                    mask = java.nio.ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                }
                HartLoop self = platform.harts().get(arch.hart.hartId);
                return forHarts(mask, 0, loop -> {
                    if (eid == 4) {
                        loop.architecture().pins.set(InterruptPins.SSIP, true);
                    } else if (loop == self) {
                        if (eid == 5) self.engine().flushCode();
                        else arch.flushTranslations();
                    } else {
                        loop.request(eid == 5 ? HartLoop.FENCE_I : HartLoop.FLUSH_TLB, self);
                    }
                });
            }
            case 8 -> platform.powerOff(0);
            default -> {
                return NOT_SUPPORTED;
            }
        }
        return 0;
    }

    private void write(byte[] bytes) {
        try {
            OutputStream out = platform.console();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // The console went away (closed pipe): the guest cannot be told, so output is dropped.
        }
    }
}
