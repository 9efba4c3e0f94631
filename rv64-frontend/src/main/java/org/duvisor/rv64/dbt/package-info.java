/**
 * The translator: region formation, bytecode emission (guest registers in JVM locals, real
 * back-edges, inline TLB fast paths, and in user mode a direct-window test before the TLB's), the
 * two-tier engine with chaining, and lockstep checking.
 */
package org.duvisor.rv64.dbt;
