/** Side-by-side runners against QEMU and native builds: user mode (SideBySide) and full system (SystemSideBySide). */
package org.duvisor.bench.compare;
