package org.duvisor.bench.compare;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest's console as the host saw it: every stdout line with the time it arrived (seconds since
 * just before the process was started), the time the process exited, its exit status and stderr.
 * The guest's markers ({@code workloads/linux/init}: {@code DV-INIT}, {@code DV-RUN <name> ...},
 * {@code DV-RESULT <name> <status>}, {@code DV-DONE <failures>}) are found anywhere in a line,
 * since kernel messages on the same console may run into them.
 *
 * @param exit 124 when the run timed out, 127 when it could not start
 */
public record ConsoleLog(List<Line> lines, double exitSeconds, int exit, String stderr) {

    /** One console line (without its line terminator) and when the host read it. */
    public record Line(double seconds, String text) {}

    /** One program's run inside the guest: from its DV-RUN line to its DV-RESULT line. */
    public record Span(String name, double seconds, int status) {}

    private static final Pattern RUN = Pattern.compile("(?:^|\\s)DV-RUN (\\S+)");
    private static final Pattern RESULT = Pattern.compile("(?:^|\\s)DV-RESULT (\\S+) (-?\\d+)");
    private static final Pattern DONE = Pattern.compile("(?:^|\\s)DV-DONE (\\d+)");

    public ConsoleLog {
        lines = List.copyOf(lines);
    }

    /** When the first line holding {@code marker} as a word arrived. */
    public OptionalDouble firstTime(String marker) {
        Pattern p = Pattern.compile("(?:^|\\s)" + Pattern.quote(marker) + "(?:\\s|$)");
        for (Line l : lines) {
            if (p.matcher(l.text()).find()) return OptionalDouble.of(l.seconds());
        }
        return OptionalDouble.empty();
    }

    /** The programs that printed both their DV-RUN and their DV-RESULT line, in order. */
    public List<Span> spans() {
        Map<String, Double> started = new HashMap<>();
        List<Span> out = new ArrayList<>();
        for (Line l : lines) {
            Matcher r = RESULT.matcher(l.text());
            if (r.find()) {
                Double t0 = started.remove(r.group(1));
                if (t0 != null) out.add(new Span(r.group(1), l.seconds() - t0, Integer.parseInt(r.group(2))));
                continue;
            }
            Matcher s = RUN.matcher(l.text());
            if (s.find()) started.put(s.group(1), l.seconds());
        }
        return out;
    }

    /** The failure count of the DV-DONE line, if the guest got that far. */
    public OptionalInt done() {
        for (Line l : lines) {
            Matcher m = DONE.matcher(l.text());
            if (m.find()) return OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        return OptionalInt.empty();
    }

    /** The last {@code n} console lines, for failure reports. */
    public String tail(int n) {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines.subList(Math.max(0, lines.size() - n), lines.size())) sb.append(l.text()).append('\n');
        return sb.toString();
    }

    /**
     * Runs {@code cmd} with stdin from /dev/null and stderr to {@code stderrFile}, reading stdout
     * line by line on a thread so that each line is timestamped when it arrives (not when the run
     * ends). On timeout the process and its descendants are killed.
     */
    public static ConsoleLog run(List<String> cmd, Path stderrFile, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(stderrFile.toFile());
        List<Line> lines = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ConsoleLog(List.of(), 0, 127, "cannot start: " + e.getMessage());
        }
        Thread reader = Thread.ofPlatform().name("console-reader").daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(new Line((System.nanoTime() - t0) / 1e9, l));
            } catch (IOException e) {
                // the pipe closed under us (killed on timeout): keep what arrived
            }
        });
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        double exitSeconds = (System.nanoTime() - t0) / 1e9;
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        reader.join(TimeUnit.SECONDS.toMillis(10)); // the last lines; a grandchild holding the pipe must not hang us
        String stderr = Files.readString(stderrFile, StandardCharsets.ISO_8859_1);
        List<Line> seen;
        synchronized (lines) {
            seen = List.copyOf(lines);
        }
        if (!done) return new ConsoleLog(seen, exitSeconds, 124, stderr + "\n(timed out after " + timeoutSeconds + " s)");
        return new ConsoleLog(seen, exitSeconds, p.exitValue(), stderr);
    }
}
