/** A hart's architectural state and its CSR table: registers, pc, privilege, V, traps recorded, not thrown. */
package org.duvisor.rv64.hart;
