/**
 * The H extension (Privileged ISA, "Hypervisor Extension", version 1.0) and, on top of it, DV-Ext
 * ({@code ../shared/design/dv-ext.md}), plugged into a hart through
 * {@link org.duvisor.rv64.priv.HypervisorExtension} and the CSR table: V modes, the hypervisor and
 * VS CSRs with S-CSR redirection while V=1, trap routing, two-stage translation, HLV/HSV/HFENCE.
 */
package org.duvisor.hext;
