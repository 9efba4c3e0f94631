/** Host memory backing guest RAM, the per-hart soft TLB (one entry set per mode) and its slow-path interface. */
package org.duvisor.dbt.memory;
