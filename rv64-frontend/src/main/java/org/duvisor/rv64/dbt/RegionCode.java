package org.duvisor.rv64.dbt;

import org.duvisor.rv64.hart.Hart;

/**
 * A compiled region. {@link #run} executes guest code from the region's entry until it leaves the
 * region, with the hart's pc, registers and instret up to date, and says how it left: an exit
 * slot (>= 0; direct exits and indirect exit sites each have one, the target is in the hart's pc),
 * or one of the negative reasons below. A region runs only on the hart it was made for: its
 * register files and TLB arrays are constants of the generated class.
 *
 * <p>An abstract class rather than an interface: the dispatcher's call is then a vtable call and
 * the cast from the code cache's erased type a fixed-depth supertype check, where an interface
 * costs an itable scan and a secondary-supers search per region transition (measured with perf on
 * spec-game, about a tenth of its time).
 */
public abstract class RegionCode {
    /** An instruction trapped; the trap is pending and pc is the faulting instruction. */
    public static final int EXIT_TRAP = -2;
    /** Reached an instruction the translator leaves to the interpreter; pc points at it. */
    public static final int EXIT_STOP = -3;

    protected RegionCode() {
    }

    public abstract int run(Hart hart);
}
