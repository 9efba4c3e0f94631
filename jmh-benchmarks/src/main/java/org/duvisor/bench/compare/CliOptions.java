package org.duvisor.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The command-line shape the runners here share: {@code --name value} or {@code --name=value},
 * {@code -h}/{@code --help} for the usage text, nothing positional.
 */
final class CliOptions {
    private CliOptions() {}

    /** One option and its value. */
    record Option(String name, String value) {}

    /** Throws {@link IllegalArgumentException} ("help" for -h/--help) on anything else. */
    static List<Option> read(String[] argv) {
        List<Option> out = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("-h") || a.equals("--help")) throw new IllegalArgumentException("help");
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a);
            if (v == null) {
                if (i + 1 >= argv.length) throw new IllegalArgumentException(a + " needs a value");
                v = argv[++i];
            }
            out.add(new Option(a, v));
        }
        return out;
    }

    static int positive(String opt, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(opt + " needs a positive integer, got " + v);
    }

    static String size(String v) {
        if (!v.equals("test") && !v.equals("ref")) throw new IllegalArgumentException("--size test|ref");
        return v;
    }
}
