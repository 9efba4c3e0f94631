/** JMH benchmarks of the exact IEEE floating-point paths. */
package org.duvisor.bench.fp;
