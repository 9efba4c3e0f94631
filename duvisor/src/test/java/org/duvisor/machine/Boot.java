package org.duvisor.machine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Hart;

/** Boots a machine in-process with the console captured, and stops it if it runs too long. */
final class Boot {
    enum Tier {
        INTERP(Interpreter::new),
        DBT(h -> new DbtEngine(h, new Interpreter(h))),
        /** Translates every block from its second execution: the translator sees all the code. */
        DBT_EAGER(h -> new DbtEngine(h, new Interpreter(h), 2));

        final Function<Hart, ExecutionEngine> engine;

        Tier(Function<Hart, ExecutionEngine> engine) {
            this.engine = engine;
        }
    }

    record Result(int exitCode, String console, String log, boolean timedOut) {
    }

    private Firmware firmware = Firmware.BUILTIN;
    private Path kernel, initrd;
    private String bootargs = "";
    private int harts = 1;
    private long memoryMiB = 256;
    private Tier tier = Tier.DBT;
    private final List<MachineConfig.Disk> disks = new ArrayList<>();
    private long timeoutSeconds = 120;

    static Boot kernel(Path kernel) {
        Boot b = new Boot();
        b.kernel = kernel;
        return b;
    }

    Boot firmware(Firmware f) {
        firmware = f;
        return this;
    }

    Boot initrd(Path p) {
        initrd = p;
        return this;
    }

    Boot append(String args) {
        bootargs = args;
        return this;
    }

    Boot harts(int n) {
        harts = n;
        return this;
    }

    Boot memory(long mib) {
        memoryMiB = mib;
        return this;
    }

    Boot tier(Tier t) {
        tier = t;
        return this;
    }

    Boot disk(Path image, boolean readOnly) {
        disks.add(new MachineConfig.Disk(image, readOnly));
        return this;
    }

    Boot timeout(long seconds) {
        timeoutSeconds = seconds;
        return this;
    }

    MachineConfig config() {
        return new MachineConfig(harts, memoryMiB, firmware, MachineConfig.DEBIAN_OPENSBI, kernel, initrd, bootargs, disks, tier.engine);
    }

    Result run() throws BootException, InterruptedException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (Machine m = new Machine(config(), console, null, logStream)) {
            int[] code = {-1};
            Thread t = new Thread(() -> code[0] = m.run(), "test-machine");
            t.start();
            t.join(timeoutSeconds * 1000);
            boolean timedOut = t.isAlive();
            if (timedOut) {
                m.powerOff(124);
                t.join();
            }
            String text;
            synchronized (console) {
                text = console.toString(StandardCharsets.UTF_8);
            }
            return new Result(code[0], text, log.toString(StandardCharsets.UTF_8), timedOut);
        }
    }
}
