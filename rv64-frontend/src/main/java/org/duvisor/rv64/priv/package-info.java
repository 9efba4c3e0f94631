/**
 * The privileged architecture of a full-system hart (Privileged ISA chapters 3, 4, 7): machine and
 * supervisor CSRs, trap entry and interrupt selection, MRET/SRET/WFI/SFENCE.VMA, the Sv39/Sv48
 * walker, PMP, the memory system behind the soft TLB, the hart loop, and the hooks through which
 * the H extension (hext-delegation) changes these rules.
 */
package org.duvisor.rv64.priv;
