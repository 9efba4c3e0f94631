/**
 * Linux user-mode emulation: a static RISC-V executable runs as a process of the host. {@link
 * org.duvisor.rv64.linux.LinuxProcess} loads it ({@link org.duvisor.rv64.linux.ElfLoader}) into an
 * {@link org.duvisor.rv64.linux.AddressSpace} (64 GiB, guest address = window offset, per-page
 * permissions), builds the System V initial stack, and runs an execution engine, serving ECALLs
 * with the asm-generic system calls (forwarded to the host C library through the FFM API where
 * they touch files or time) and turning other traps into signals.
 */
package org.duvisor.rv64.linux;
