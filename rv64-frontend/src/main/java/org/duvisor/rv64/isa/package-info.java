/** The instruction set as data: the operation table, decoder (with RVC), instruction model and disassembler. */
package org.duvisor.rv64.isa;
