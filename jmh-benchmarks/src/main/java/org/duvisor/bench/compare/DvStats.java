package org.duvisor.bench.compare;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The emulator's own report on stderr: the line
 * {@code dv-stats: instructions=<N> seconds=<S> mips=<M> [key=value ...]}, possibly followed by
 * more {@code dv-stats:} lines of engine counters (e.g. {@code regions=.. compile-ms=..}).
 *
 * @param instructions   guest instructions retired
 * @param seconds        the emulator's own measure of its run time
 * @param mips           the emulator's own MIPS figure
 * @param peakMips       the best MIPS of any measuring interval, when reported ({@code peak-mips=})
 * @param warmup50       seconds until the run first reached 50 % of that peak ({@code warmup-50%=})
 * @param warmup90       the same for 90 % ({@code warmup-90%=})
 * @param warmupResolution the longest time between the emulator's samples ({@code warmup-resolution=}): the
 *                       warm-up times are known to within it
 * @param compileSeconds translation time, when reported ({@code compile-ms=}, milliseconds)
 * @param fields         every key=value pair of the instructions line, then of the other
 *                       {@code dv-stats:} lines (first occurrence of a key wins)
 */
public record DvStats(long instructions, double seconds, double mips, OptionalDouble peakMips, OptionalDouble warmup50,
                      OptionalDouble warmup90, OptionalDouble warmupResolution, OptionalDouble compileSeconds,
                      Map<String, String> fields) {
    public static final String PREFIX = "dv-stats:";

    /**
     * Parses the {@code dv-stats:} lines of {@code stderr}: the last one carrying
     * {@code instructions=} is the main line, the others contribute extra fields. Empty if no line
     * carries {@code instructions=}.
     */
    public static Optional<DvStats> find(String stderr) {
        Map<String, String> main = null;
        Map<String, String> extra = new LinkedHashMap<>();
        String mainLine = null;
        for (String line : stderr.split("\\R")) {
            String s = line.strip();
            if (!s.startsWith(PREFIX)) continue;
            Map<String, String> f = fields(s);
            if (f.containsKey("instructions")) {
                if (main != null) main.forEach(extra::putIfAbsent);
                main = f;
                mainLine = s;
            } else {
                f.forEach(extra::putIfAbsent);
            }
        }
        if (main == null) return Optional.empty();
        extra.forEach(main::putIfAbsent);
        return Optional.of(of(main, mainLine));
    }

    /**
     * Parses one main {@code dv-stats:} line. Throws {@link IllegalArgumentException} when the prefix or
     * one of {@code instructions}, {@code seconds}, {@code mips} is missing or malformed.
     */
    public static DvStats parseLine(String line) {
        return of(fields(line), line);
    }

    private static Map<String, String> fields(String line) {
        String s = line.strip();
        if (!s.startsWith(PREFIX)) throw new IllegalArgumentException("not a dv-stats line: " + line);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String tok : s.substring(PREFIX.length()).trim().split("\\s+")) {
            if (tok.isEmpty()) continue;
            int eq = tok.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad field '" + tok + "' in: " + line);
            fields.putIfAbsent(tok.substring(0, eq), tok.substring(eq + 1));
        }
        return fields;
    }

    private static DvStats of(Map<String, String> fields, String line) {
        long n = parseLong(fields, "instructions", line);
        double sec = parseDouble(fields, "seconds", line);
        double mips = parseDouble(fields, "mips", line);
        OptionalDouble compile = fields.containsKey("compile-ms")
                ? OptionalDouble.of(parseDouble(fields, "compile-ms", line) / 1000) : OptionalDouble.empty();
        return new DvStats(n, sec, mips, optional(fields, "peak-mips", line), optional(fields, "warmup-50%", line),
                optional(fields, "warmup-90%", line), optional(fields, "warmup-resolution", line), compile, Map.copyOf(fields));
    }

    private static OptionalDouble optional(Map<String, String> fields, String key, String line) {
        return fields.containsKey(key) ? OptionalDouble.of(parseDouble(fields, key, line)) : OptionalDouble.empty();
    }

    private static String require(Map<String, String> fields, String key, String line) {
        String v = fields.get(key);
        if (v == null) throw new IllegalArgumentException("dv-stats line has no " + key + "=: " + line);
        return v;
    }

    private static long parseLong(Map<String, String> fields, String key, String line) {
        String v = require(fields, key, line).replace("_", "");
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + key + "=" + v + " in: " + line);
        }
    }

    private static double parseDouble(Map<String, String> fields, String key, String line) {
        String v = require(fields, key, line);
        if (v.endsWith("s")) v = v.substring(0, v.length() - 1);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d) || d < 0) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + key + "=" + v + " in: " + line);
        }
    }
}
