/**
 * The VM planes on an emulated host with H and DV-Ext: the control plane (the host kernel's part,
 * entered only at VM and vCPU set-up: memory, harts, vPLIC sources, delegation, vPMP), DuVisor's
 * user-level VM plane (G-stage MMU in its own memory, exit dispatch in Java on the DV-Ext fast
 * path), the KVM-structured baseline, the ledger both planes keep, and what a VM is made of: its
 * guest-physical address space with the board's devices (UART, PLIC model, virtio-mmio; their DMA
 * confined to the VM's RAM) and its interrupt wiring (host vPLIC posting on DuVisor, the VMM's PLIC
 * model on the kernel plane), in one of two interrupt configurations (vanilla, opt: the kernel
 * plane on DuVisor's exit-less timer, vIPI and vPLIC). Several VMs share a host, each on harts of
 * its own.
 */
package org.duvisor.vm;
