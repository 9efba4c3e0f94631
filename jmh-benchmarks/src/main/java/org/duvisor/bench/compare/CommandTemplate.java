package org.duvisor.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A runner's command line, split like a POSIX shell splits words (whitespace, '...', "...",
 * backslash), with placeholders substituted per word:
 * {@code {bin}} the riscv64 binary, {@code {native}} its native x86 build, {@code {name}} the
 * workload name, {@code {cache}} the workloads cache directory, {@code {args}} the workload's
 * arguments (expands to zero or more words). When no word mentions {@code {bin}} or
 * {@code {native}}, the riscv64 binary is appended; when none mentions {@code {args}}, the
 * arguments are appended after it.
 */
public record CommandTemplate(String name, String text, List<String> words) {

    public static CommandTemplate parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("--runner wants NAME=COMMAND, got: " + spec);
        String name = spec.substring(0, eq).strip();
        List<String> words = split(spec.substring(eq + 1));
        if (words.isEmpty()) throw new IllegalArgumentException("runner " + name + " has an empty command");
        return new CommandTemplate(name, spec.substring(eq + 1).strip(), words);
    }

    public boolean usesNative() {
        return words.stream().anyMatch(w -> w.contains("{native}"));
    }

    /** The command for one workload; {@code vars} maps bin, native, name, cache to values. */
    public List<String> expand(Map<String, String> vars, List<String> args) {
        return expand(vars, Map.of(), args);
    }

    /** {@link #expand(Map, List)} with list placeholders as in {@link #fill}. */
    public List<String> expand(Map<String, String> vars, Map<String, List<String>> lists, List<String> args) {
        Map<String, List<String>> all = new java.util.HashMap<>(lists);
        all.put("args", args);
        List<String> out = fill(vars, all);
        boolean hasBinary = words.stream().anyMatch(w -> w.contains("{bin}") || w.contains("{native}"));
        boolean hasArgs = words.contains("{args}");
        if (!hasBinary) out.add(vars.get("bin"));
        if (!hasArgs) out.addAll(args);
        return out;
    }

    /**
     * The words with placeholders substituted and nothing appended: a word that is exactly
     * {@code {k}} for a key of {@code lists} becomes that list's words (zero or more); elsewhere
     * {@code {k}} is replaced by {@code vars.get(k)} inside the word.
     */
    public List<String> fill(Map<String, String> vars, Map<String, List<String>> lists) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.length() > 2 && w.startsWith("{") && w.endsWith("}") && lists.containsKey(w.substring(1, w.length() - 1))) {
                out.addAll(lists.get(w.substring(1, w.length() - 1)));
                continue;
            }
            String s = w;
            for (var e : vars.entrySet()) s = s.replace("{" + e.getKey() + "}", e.getValue());
            out.add(s);
        }
        return out;
    }

    /** Shell-like word splitting (no globbing, no variables). */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else cur.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) cur.append(s.charAt(++i));
                else cur.append(c);
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') quote = c;
                else if (c == '\\' && i + 1 < s.length()) cur.append(s.charAt(++i));
                else cur.append(c);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated quote in: " + s);
        if (inWord) out.add(cur.toString());
        return out;
    }
}
