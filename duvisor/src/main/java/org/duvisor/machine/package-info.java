/** A full machine: board, harts, firmware choice, kernel/initrd/DTB placement and boot (dv boot). */
package org.duvisor.machine;
