/**
 * Guest workloads for the emulator: the catalogue of SPEC-like benchmark
 * programs ({@code workloads/spec/}) and instruction-test programs
 * ({@code workloads/isa/}), and access to their binaries.
 *
 * <p>Binaries are built outside the source tree by {@code workloads/build.sh}
 * into {@code ${DV_CACHE:-~/.cache/duvisor}/workloads/}, with RISC-V binaries
 * under {@code riscv64/} and host builds of the spec programs under
 * {@code native/}. {@link org.duvisor.workloads.WorkloadCatalogue} reads
 * {@code workloads/catalogue.tsv} (spec programs) and scans
 * {@code workloads/isa/*.c} and {@code *.S} (instruction tests).
 */
package org.duvisor.workloads;
