/** VM-exit costs: the DV-Ext fast path against an HS trap vector (JMH), and the exit microbenchmarks on both planes. */
package org.duvisor.bench.exits;
