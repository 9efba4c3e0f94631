/**
 * Host memory backing guest RAM, the per-hart soft TLB (one entry set per mode) and its slow-path
 * interface, which may also hand out direct windows (ranges translated code may access without the
 * TLB) in an identity-mapped address space.
 */
package org.duvisor.dbt.memory;
