package org.duvisor.board;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.priv.InterruptPins;

/** Interrupt pins of otherwise idle harts, for device tests. */
final class Harts {
    private Harts() {
    }

    static List<InterruptPins> pins(int count) {
        List<InterruptPins> pins = new ArrayList<>();
        for (int i = 0; i < count; i++) pins.add(new InterruptPins(new Hart(i, new SoftTlb(16, Arena.ofAuto().allocate(4096)))));
        return pins;
    }

    static boolean pending(InterruptPins pins, int bit) {
        return (pins.lines() >>> bit & 1) != 0;
    }
}
