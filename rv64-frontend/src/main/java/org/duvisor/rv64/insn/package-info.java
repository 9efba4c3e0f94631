/**
 * Instruction families. Each class owns the semantics of one family: pure static functions of the
 * operation (shared by the interpreter and, through invokestatic or inline bytecode, by the
 * translator) and {@code execute}, which applies one decoded instruction to a hart and returns
 * the next pc. A trap leaves the hart's registers untouched, sets its trap flag and returns the
 * pc of the faulting instruction.
 */
package org.duvisor.rv64.insn;
