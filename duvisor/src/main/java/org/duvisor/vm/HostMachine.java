package org.duvisor.vm;

import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.hext.DvExtension;
import org.duvisor.hext.HExtension;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.priv.PrivilegedArchitecture;
import org.duvisor.rv64.priv.SystemMemory;
import org.duvisor.rv64.priv.Timebase;

/**
 * The emulated host the VM planes run on: RAM at 0x8000_0000 and harts with the H extension and
 * DV-Ext. Its M-mode and HS-mode software is Java (the control plane), so nothing boots here; each
 * vCPU thread drives one hart.
 */
public final class HostMachine implements AutoCloseable {
    public static final long RAM_BASE = 0x8000_0000L;

    public final PhysicalBus bus;
    /** The host's PLIC with DV-Ext's VS contexts and vinterrupts register (dv-ext.md §7). */
    public final org.duvisor.board.Plic plic;
    public final Timebase timebase = new Timebase();
    private final HostMemory memory;
    private final List<HostHart> harts = new ArrayList<>();

    /** One hart with its privileged state, extensions and execution engine. */
    public record HostHart(Hart hart, PrivilegedArchitecture arch, HExtension h, DvExtension dv, SystemMemory memory, ExecutionEngine engine) {
    }

    public HostMachine(int hartCount, long ramBytes, java.util.function.Function<Hart, ExecutionEngine> engines) {
        memory = HostMemory.reserve(ramBytes);
        bus = new PhysicalBus(memory.segment(), RAM_BASE);
        DvExtension.VirtualIpis ipis = new DvExtension.VirtualIpis(hartCount);
        for (int i = 0; i < hartCount; i++) {
            Hart hart = new Hart(i, new SoftTlb(org.duvisor.machine.Machine.TLB_ENTRIES, memory.segment()));
            PrivilegedArchitecture arch = new PrivilegedArchitecture(hart, bus, timebase);
            SystemMemory sm = new SystemMemory(arch);
            hart.tlb.setSlowPath(sm);
            HExtension h = HExtension.install(arch, sm);
            DvExtension dv = DvExtension.install(h, ipis);
            // What M-mode firmware leaves behind: all memory open to S/U through PMP entry 0, and
            // Sstc's stimecmp for the host kernel's timer (menvcfg.STCE).
            arch.pmp.writeAddress(0, -1L);
            arch.pmp.writeConfig(0, 0x1F);
            arch.menvcfg |= PrivilegedArchitecture.STCE;
            hart.machineCounterEnable = -1;
            harts.add(new HostHart(hart, arch, h, dv, sm, engines.apply(hart)));
        }
        java.util.List<org.duvisor.rv64.priv.InterruptPins> pins = new ArrayList<>();
        for (HostHart hh : harts) pins.add(hh.arch().pins);
        plic = new org.duvisor.board.Plic(org.duvisor.board.Plic.VIRT_BASE, pins, true);
        bus.map(plic.base(), plic.size(), plic, plic.name());
    }

    public HostHart hart(int i) {
        return harts.get(i);
    }

    public int hartCount() {
        return harts.size();
    }

    @Override
    public void close() {
        memory.close();
    }
}
