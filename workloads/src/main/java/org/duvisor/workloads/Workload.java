package org.duvisor.workloads;

import java.util.List;
import java.util.Objects;

/**
 * One guest program.
 *
 * @param name        unique name, e.g. {@code spec-sort} or {@code isa-alu}
 * @param kind        {@link #SPEC} or {@link #ISA}
 * @param binary      RISC-V binary path relative to the cache workloads directory,
 *                    e.g. {@code riscv64/spec-sort}
 * @param testArgs    arguments for the small size (run by the test suite)
 * @param refArgs     arguments for the reference (benchmark) size
 * @param description free text
 */
public record Workload(String name, String kind, String binary, List<String> testArgs,
                       List<String> refArgs, String description) {

    /** Kind of the SPEC-like benchmark programs. */
    public static final String SPEC = "spec";
    /** Kind of the instruction-test programs. */
    public static final String ISA = "isa";

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(binary, "binary");
        testArgs = List.copyOf(testArgs);
        refArgs = List.copyOf(refArgs);
        description = description == null ? "" : description;
        if (!kind.equals(SPEC) && !kind.equals(ISA)) {
            throw new IllegalArgumentException("workload " + name + ": unknown kind '" + kind + "'");
        }
    }

    /** True for SPEC-like programs (which also have a native build). */
    public boolean isSpec() {
        return kind.equals(SPEC);
    }

    /** True for instruction-test programs. */
    public boolean isIsa() {
        return kind.equals(ISA);
    }
}
