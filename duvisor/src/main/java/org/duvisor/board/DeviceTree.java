package org.duvisor.board;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device tree under construction and its flattened form (Devicetree Specification v0.4, chapter 5
 * "Flattened Devicetree (DTB) Format", version 17). Nodes keep insertion order, which becomes the
 * order in the blob.
 */
public final class DeviceTree {
    private static final int MAGIC = 0xD00D_FEED;
    private static final int BEGIN_NODE = 1, END_NODE = 2, PROP = 3, END = 9;
    private static final int HEADER_SIZE = 40;

    private final Node root = new Node("");
    private int nextPhandle = 1;

    public Node root() {
        return root;
    }

    private final Map<String, Integer> labels = new LinkedHashMap<>();

    /** A fresh phandle value, unique in this tree. */
    public int allocatePhandle() {
        return nextPhandle++;
    }

    /**
     * The phandle known by {@code label} ("plic", "cpu0-intc"), allocated on first use, so a node can
     * refer to another before or after that node is described.
     */
    public int phandle(String label) {
        return labels.computeIfAbsent(label, l -> allocatePhandle());
    }

    /** One node: a name with optional unit address ("uart@10000000"), properties and children. */
    public static final class Node {
        private final String name;
        private final Map<String, byte[]> properties = new LinkedHashMap<>();
        private final List<Node> children = new ArrayList<>();

        private Node(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public List<Node> children() {
            return List.copyOf(children);
        }

        /** The raw value of a property, or null. */
        public byte[] value(String property) {
            return properties.get(property);
        }

        /** The child called {@code nameWithUnitAddress}, created if absent. */
        public Node child(String nameWithUnitAddress) {
            for (Node c : children) if (c.name.equals(nameWithUnitAddress)) return c;
            Node c = new Node(nameWithUnitAddress);
            children.add(c);
            return c;
        }

        /** An empty (boolean) property such as {@code interrupt-controller}. */
        public Node property(String name) {
            return bytes(name, new byte[0]);
        }

        /** A string, or a string list when several are given (each NUL-terminated). */
        public Node property(String name, String... strings) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String s : strings) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            return bytes(name, out.toByteArray());
        }

        /** Big-endian 32-bit cells; each value must fit in 32 bits (unsigned). */
        public Node cells(String name, long... cells) {
            ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
            for (long c : cells) {
                if (c >>> 32 != 0) throw new IllegalArgumentException(name + ": cell 0x" + Long.toHexString(c) + " exceeds 32 bits");
                b.putInt((int) c);
            }
            return bytes(name, b.array());
        }

        /**
         * 64-bit values, each as two big-endian cells (high, low): {@code reg} under a parent with
         * {@code #address-cells = #size-cells = 2}, or {@code linux,initrd-start}.
         */
        public Node u64(String name, long... values) {
            ByteBuffer b = ByteBuffer.allocate(8 * values.length);
            for (long v : values) b.putLong(v);
            return bytes(name, b.array());
        }

        public Node bytes(String name, byte[] value) {
            properties.put(name, value.clone());
            return this;
        }
    }

    /** The tree as a DTB blob, with an empty memory-reservation map. */
    public byte[] toBlob() {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        Map<String, Integer> stringOffsets = new LinkedHashMap<>();
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        writeNode(root, struct, strings, stringOffsets);
        writeInt(struct, END);

        int reserveOffset = HEADER_SIZE;
        int reserveSize = 16; // one terminating (0, 0) entry
        int structOffset = reserveOffset + reserveSize;
        int structSize = struct.size();
        int stringsOffset = structOffset + structSize;
        int total = stringsOffset + strings.size();
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(MAGIC).putInt(total).putInt(structOffset).putInt(stringsOffset).putInt(reserveOffset)
                .putInt(17).putInt(16).putInt(0).putInt(strings.size()).putInt(structSize);
        b.putLong(0).putLong(0);
        b.put(struct.toByteArray());
        b.put(strings.toByteArray());
        return b.array();
    }

    private static void writeNode(Node n, ByteArrayOutputStream out, ByteArrayOutputStream strings, Map<String, Integer> offsets) {
        writeInt(out, BEGIN_NODE);
        writePadded(out, (n.name + "\0").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> p : n.properties.entrySet()) {
            Integer off = offsets.get(p.getKey());
            if (off == null) {
                off = strings.size();
                offsets.put(p.getKey(), off);
                strings.writeBytes((p.getKey() + "\0").getBytes(StandardCharsets.UTF_8));
            }
            writeInt(out, PROP);
            writeInt(out, p.getValue().length);
            writeInt(out, off);
            writePadded(out, p.getValue());
        }
        for (Node c : n.children) writeNode(c, out, strings, offsets);
        writeInt(out, END_NODE);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writePadded(ByteArrayOutputStream out, byte[] data) {
        out.writeBytes(data);
        for (int pad = (4 - data.length % 4) % 4; pad > 0; pad--) out.write(0);
    }
}
