package org.duvisor.rv64.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of disjoint, coalesced half-open address ranges [start, end): which parts of the guest
 * address space are mapped at all, for placing new mappings and walking existing ones.
 */
final class PageRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    void add(long start, long end) {
        if (start >= end) return;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
            ranges.remove(before.getKey());
        }
        while (true) {
            Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
            if (next == null || next.getKey() > end) break;
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
    }

    void remove(long start, long end) {
        if (start >= end) return;
        Map.Entry<Long, Long> before = ranges.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            ranges.put(before.getKey(), start);
            if (before.getValue() > end) {
                ranges.put(end, before.getValue());
                return;
            }
        }
        while (true) {
            Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
            if (next == null || next.getKey() >= end) break;
            ranges.remove(next.getKey());
            if (next.getValue() > end) {
                ranges.put(end, next.getValue());
                break;
            }
        }
    }

    /** Whether no part of [start, end) is in the set. */
    boolean isFree(long start, long end) {
        Map.Entry<Long, Long> before = ranges.lowerEntry(end);
        return before == null || before.getValue() <= start;
    }

    /** Whether all of [start, end) is in the set. */
    boolean covers(long start, long end) {
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        return e != null && e.getValue() >= end;
    }

    /** The parts of [start, end) that are in the set, as {start, end} pairs in address order. */
    List<long[]> intersect(long start, long end) {
        List<long[]> out = new ArrayList<>();
        Map.Entry<Long, Long> e = ranges.lowerEntry(start);
        if (e != null && e.getValue() > start) out.add(new long[] {start, Math.min(end, e.getValue())});
        for (Map.Entry<Long, Long> n : ranges.subMap(start, true, end, false).entrySet()) {
            out.add(new long[] {n.getKey(), Math.min(end, n.getValue())});
        }
        return out;
    }

    /**
     * The highest start address of a free range of {@code length} bytes inside [low, high), or -1.
     */
    long findFreeTopDown(long length, long low, long high) {
        long end = high;
        for (Map.Entry<Long, Long> e : ranges.headMap(high, false).descendingMap().entrySet()) {
            long rs = e.getKey(), re = e.getValue();
            if (re < end && end - Math.max(re, low) >= length) return end - length;
            end = Math.min(end, rs);
            if (end - low < length) return -1;
        }
        return end - low >= length ? end - length : -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        ranges.forEach((s, e) -> sb.append(String.format("[%#x, %#x) ", s, e)));
        return sb.toString().trim();
    }
}
