/** The guest-physical address space: RAM and non-overlapping MMIO device windows. */
package org.duvisor.dbt.bus;
