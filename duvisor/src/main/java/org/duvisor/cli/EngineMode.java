package org.duvisor.cli;

import java.util.function.Function;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Hart;

/** How guest code is executed: {@code --mode interp|dbt|lockstep}. */
public enum EngineMode {
    /** The reference interpreter only. */
    INTERP,
    /** Interpreter for cold code, translated regions for hot code. */
    DBT,
    /** Translated regions, each execution checked against the interpreter. */
    LOCKSTEP;

    public Function<Hart, ExecutionEngine> factory() {
        return switch (this) {
            case INTERP -> Interpreter::new;
            case DBT -> h -> new DbtEngine(h, new Interpreter(h));
            case LOCKSTEP -> h -> {
                DbtEngine e = new DbtEngine(h, new Interpreter(h));
                e.enableLockstep();
                return e;
            };
        };
    }
}
