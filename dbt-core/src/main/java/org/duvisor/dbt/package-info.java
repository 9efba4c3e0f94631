/**
 * The ISA-neutral engine: host memory that backs guest memory, the per-hart soft TLB, and (with the
 * translator) the code cache, region formation and dispatch. Nothing here knows RISC-V, privilege
 * levels or devices; the frontend plugs in through small interfaces such as
 * {@link org.duvisor.dbt.memory.MemorySlowPath}.
 */
package org.duvisor.dbt;
