package org.duvisor.bench.compare;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: first column left-aligned, the others right-aligned, two spaces apart. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public void add(List<String> row) {
        if (row.size() != header.size()) throw new IllegalArgumentException("row has " + row.size() + " cells, header " + header.size());
        rows.add(List.copyOf(row));
    }

    /** A line of dashes under the header, and before rows added after {@link #rule()}. */
    public void rule() {
        rows.add(null);
    }

    public String render() {
        int[] w = new int[header.size()];
        for (int c = 0; c < w.length; c++) w[c] = header.get(c).length();
        for (List<String> r : rows) {
            if (r == null) continue;
            for (int c = 0; c < w.length; c++) w[c] = Math.max(w[c], r.get(c).length());
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        StringBuilder dash = new StringBuilder();
        for (int c = 0; c < w.length; c++) dash.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        sb.append(dash).append('\n');
        for (List<String> r : rows) {
            if (r == null) sb.append(dash).append('\n');
            else line(sb, r, w);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < w.length; c++) {
            String s = cells.get(c);
            if (c > 0) l.append("  ");
            if (c == 0) l.append(s).append(" ".repeat(w[c] - s.length()));
            else l.append(" ".repeat(w[c] - s.length())).append(s);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    /** Formats a number with about four significant digits ("-" for NaN). */
    public static String num(double v) {
        if (Double.isNaN(v)) return "-";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(java.util.Locale.ROOT, "%.0f", v);
        if (a >= 100) return String.format(java.util.Locale.ROOT, "%.1f", v);
        if (a >= 10) return String.format(java.util.Locale.ROOT, "%.2f", v);
        if (a >= 1) return String.format(java.util.Locale.ROOT, "%.3f", v);
        if (a >= 0.01 || a == 0) return String.format(java.util.Locale.ROOT, "%.4f", v);
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
