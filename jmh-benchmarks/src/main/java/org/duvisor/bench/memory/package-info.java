/** JMH comparison of guest-memory backings (MemorySegment, Agrona UnsafeBuffer, byte[] + VarHandle). */
package org.duvisor.bench.memory;
