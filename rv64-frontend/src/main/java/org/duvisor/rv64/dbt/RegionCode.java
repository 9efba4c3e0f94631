package org.duvisor.rv64.dbt;

import org.duvisor.rv64.hart.Hart;

/**
 * A compiled region. {@link #run} executes guest code from the region's entry until it leaves the
 * region, with the hart's pc, registers and instret up to date, and says how it left: an exit
 * slot (>= 0; direct exits and indirect exit sites each have one, the target is in the hart's pc),
 * or one of the negative reasons below.
 */
public interface RegionCode {    /** An instruction trapped; the trap is pending and pc is the faulting instruction. */
    int EXIT_TRAP = -2;
    /** Reached an instruction the translator leaves to the interpreter; pc points at it. */
    int EXIT_STOP = -3;

    int run(Hart hart);
}
