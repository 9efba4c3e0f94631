/**
 * The VM planes on an emulated host with H and DV-Ext: the control plane (the host kernel's part,
 * entered only at VM and vCPU set-up), DuVisor's user-level VM plane (G-stage MMU in its own
 * memory, exit dispatch in Java on the DV-Ext fast path), and the ledger both planes keep.
 */
package org.duvisor.vm;
