/** JMH benchmarks of the translator: dispatch, chaining, memory fast paths. */
package org.duvisor.bench.dbt;
