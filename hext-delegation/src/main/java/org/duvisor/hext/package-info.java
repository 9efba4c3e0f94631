/**
 * The H extension (Privileged ISA, "Hypervisor Extension", version 1.0) and, on top of it, DV-Ext
 * ({@code ../shared/design/dv-ext.md}), plugged into a hart through
 * {@link org.duvisor.rv64.priv.HypervisorExtension} and the CSR table: V modes, the hypervisor and
 * VS CSRs with S-CSR redirection while V=1, trap routing, two-stage translation, HLV/HSV/HFENCE.
 *
 * <p>Where dv-ext.md leaves a choice open, this module decides it: the exit-less vIPI variant of §6
 * is selected per hart by vcpuid bit 63 (EL), set by the hypervisor that owns the hart; with it the
 * bitmap drives VSSIP instead of USIP, the guest's clearing of sip.SSIP consumes its bit, and VS may
 * post (set-only, to its own VM's ids) through vipi0..3 — {@link org.duvisor.hext.DvExtension#VCPUID_EXITLESS}
 * has the precise rules.
 */
package org.duvisor.hext;
