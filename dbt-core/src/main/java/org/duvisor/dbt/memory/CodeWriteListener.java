package org.duvisor.dbt.memory;

/** Told when guest code writes to a RAM page that holds translated code (self-modifying code). */
public interface CodeWriteListener {
    void codeWritten(long ramPage);
}
