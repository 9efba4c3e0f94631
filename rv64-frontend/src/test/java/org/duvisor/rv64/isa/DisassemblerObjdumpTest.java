package org.duvisor.rv64.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks {@link Decoder} and {@link Disassembler} against GNU objdump: for every instruction objdump
 * disassembles, the decoder must yield the operation objdump names with {@code -M no-aliases}, and
 * the disassembler must print exactly objdump's default (alias) text. Sources: generated assembly
 * covering every {@link Op}, every 16-bit parcel, random and near-miss 32-bit words, explicit
 * illegal encodings, and the workload binaries in the cache if any were built.
 *
 * <p>Skips (JUnit assumption) only when {@code riscv64-linux-gnu-objdump} is not installed.
 */
class DisassemblerObjdumpTest {
    private static final String OBJDUMP = "riscv64-linux-gnu-objdump";
    private static final String MARCH = "rv64gc_zba_zbb_zbs_zihintpause";
    /** GCC 12's -march cannot name H ("h" is read as a multi-letter prefix); binutils 2.40's assembler can. */
    private static final String AS_MARCH = "rv64gch_zba_zbb_zbs_zihintpause";

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireObjdump() {
        boolean ok;
        try {
            Process p = new ProcessBuilder(OBJDUMP, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, OBJDUMP + " is not installed: skipping the objdump comparison tests");
    }

    // ---------------------------------------------------------------- tests

    @Test
    void generatedAssemblyCoversEveryOpAndMatchesObjdump() throws Exception {
        List<String> src = AsmGenerator.generate(0x5EED);
        List<Line> lines = disassemble(assemble(src, "gen"));
        long instructions = src.stream().filter(s -> !s.startsWith(".")).count();
        assertEquals(instructions, lines.size(), "objdump shows every generated instruction");
        Result r = new Result("generated assembly");
        Set<Op> seen = EnumSet.noneOf(Op.class);
        for (Line l : lines) {
            Insn insn = Decoder.decode(l.word);
            if (insn == null) {
                r.fail(l, "decoder rejects an instruction the assembler produced");
                continue;
            }
            seen.add(insn.op);
            r.compare(l);
        }
        Set<Op> missing = EnumSet.complementOf(EnumSet.copyOf(seen));
        missing.removeIf(op -> op.extension.equals("Xdvext")); // no assembler syntax; see DvextDisassemblyTest
        assertTrue(missing.isEmpty(), "generated assembly does not cover " + missing);
        long compressed = lines.stream().filter(l -> l.length == 2).count();
        assertTrue(compressed > 3000, "too few compressed instructions: " + compressed);
        r.report(25_000);
    }

    /** GNU as records privileged spec 1.11 unless told otherwise, and objdump then uses 1.11's CSR names. */
    @Test
    void csrNamesUnderPrivSpec111() throws Exception {
        List<String> src = new ArrayList<>(List.of(".text", ".option norvc"));
        for (int csr = 0; csr < 4096; csr++) src.add("csrrs x10, 0x" + Integer.toHexString(csr) + ", x11");
        for (int csr = 0; csr < 4096; csr += 5) src.add("csrrwi x0, 0x" + Integer.toHexString(csr) + ", 7");
        Result r = new Result("CSR names, priv spec 1.11");
        r.spec = Disassembler.PrivSpec.V1_11;
        for (Line l : disassemble(assemble(src, "csr111", "1.11"))) r.compare(l);
        r.report(4096);
    }

    @Test
    void everySixteenBitParcelMatchesObjdump() throws Exception {
        List<String> src = new ArrayList<>(List.of(".text", ".option rvc"));
        for (int h = 0; h < 0x10000; h++) if ((h & 3) != 3) src.add(".insn 2, 0x" + Integer.toHexString(h));
        Result r = new Result("16-bit parcels");
        for (Line l : disassemble(assemble(src, "rvc"))) r.compare(l);
        r.report(49_152);
    }

    @Test
    void randomAndNearMissWordsMatchObjdump() throws Exception {
        Random rnd = new Random(20240611L);
        Op[] ops = Op.values();
        List<String> src = new ArrayList<>(List.of(".text", ".option norvc"));
        int n = 0;
        while (n < 120_000) {
            int w;
            switch (n % 3) {
                case 0 -> w = rnd.nextInt();
                case 1 -> { // a valid encoding with random operands
                    Op op = ops[rnd.nextInt(ops.length)];
                    w = op.match | (rnd.nextInt() & ~op.mask);
                }
                default -> { // a near miss: one or two opcode bits flipped
                    Op op = ops[rnd.nextInt(ops.length)];
                    w = op.match | (rnd.nextInt() & ~op.mask);
                    w ^= 1 << rnd.nextInt(32);
                    if (rnd.nextBoolean()) w ^= 1 << rnd.nextInt(32);
                }
            }
            w |= 3;
            if ((w & 0x1C) == 0x1C) continue; // 48-bit and longer encodings
            src.add(".insn 4, 0x" + Integer.toHexString(w));
            n++;
        }
        Result r = new Result("random 32-bit words");
        for (Line l : disassemble(assemble(src, "rand"))) r.compare(l);
        r.report(120_000);
    }

    /** Reserved and illegal encodings: the decoder rejects them, and objdump agrees (or is documented not to). */
    @Test
    void illegalEncodings() throws Exception {
        Map<Integer, String> words = new LinkedHashMap<>();
        words.put(0x0000, "c.unimp: all-zero parcel (objdump: unimp)");
        words.put(0x0010, "c.addi4spn with zero immediate");
        words.put(0x001C, "c.addi4spn with zero immediate");
        words.put(0x6081, "c.lui ra with zero immediate");
        words.put(0x6001, "c.lui zero with zero immediate");
        words.put(0x6101, "c.addi16sp with zero immediate (objdump: add sp,sp,0)");
        words.put(0x8000, "quadrant 0, funct3 = 4");
        words.put(0x9FFC, "quadrant 0, funct3 = 4");
        words.put(0x2001, "c.addiw with rd = 0");
        words.put(0x307D, "c.addiw with rd = 0");
        words.put(0x8002, "c.jr x0");
        words.put(0x4002, "c.lwsp with rd = 0");
        words.put(0x6002, "c.ldsp with rd = 0");
        words.put(0x9C41, "c.subw/c.addw reserved funct2 = 2");
        words.put(0x9C61, "c.subw/c.addw reserved funct2 = 3");
        for (int rm : new int[] {5, 6}) {
            words.put(0x00C58553 | rm << 12, "fadd.s with rm = " + rm + " (objdump: ...,unknown)");
            words.put(0x0AC58553 | rm << 12, "fsub.d with rm = " + rm);
            words.put(0x6AC58543 | rm << 12, "fmadd.d with rm = " + rm);
            words.put(0xC0058553 | rm << 12, "fcvt.w.s with rm = " + rm);
            words.put(0x58058553 | rm << 12, "fsqrt.s with rm = " + rm);
            words.put(0xD2058553 | rm << 12, "fcvt.d.w with rm = " + rm);
        }
        words.put(0x60359513, "clz-group unary with rs2 = 3 (undefined)");
        words.put(0x60659513, "clz-group unary with rs2 = 6 (undefined)");
        words.put(0x6035951B, "clzw-group unary with rs2 = 3 (undefined)");
        words.put(0x0815C53B, "zext.h with rs2 != 0");
        words.put(0x5815F553, "fsqrt.s with rs2 != 0");
        words.put(0xE0159553, "fclass.s with rs2 != 0");
        words.put(0xE0158553, "fmv.x.w with rs2 != 0");
        words.put(0xF2158553, "fmv.d.x with rs2 != 0");
        words.put(0xC0458553, "fcvt with rs2 = 4");
        words.put(0x40058553, "fcvt.s.s (rs2 = 0 under fcvt.s.d)");
        words.put(0x6B905513, "rev8 with a different shamt");
        words.put(0x28605513, "orc.b with a different shamt");
        words.put(0x1015A52F, "lr.w with rs2 != 0");
        words.put(0x1035B52F, "lr.d with rs2 != 0");
        words.put(0x0205951B, "slliw with shamt[5] = 1");
        words.put(0x0205D51B, "srliw with shamt[5] = 1");
        words.put(0x4205D51B, "sraiw with shamt[5] = 1");
        words.put(0x6205D51B, "roriw with shamt[5] = 1");
        words.put(0x8005D513, "srli with imm[11] set");
        words.put(0x12B00573, "sfence.vma with rd != 0");
        words.put(0x00000573, "ecall with rd != 0");
        words.put(0x00100573, "ebreak with rd != 0");
        // 0x00200073, the removed uret, is DV-Ext's huret (dv-ext.md §4): decoded, illegal without DV-Ext.
        words.put(0x10200173, "sret with rd != 0");
        words.put(0x00002067, "jalr with funct3 = 2");
        words.put(0x00007003, "load with funct3 = 7");
        words.put(0x00004023, "store with funct3 = 4");
        words.put(0x00002063, "branch with funct3 = 2");
        words.put(0x00004073, "system with funct3 = 4");
        words.put(0x0000303B, "op-32 funct3 = 3");
        words.put(0x0000400F, "misc-mem funct3 = 4");
        words.put(0x0000402F, "amo with funct3 = 4");
        words.put(0x3000202F, "amo with funct5 = 6");
        words.put(0x00004007, "fp load with funct3 = 4");
        words.put(0x04000053, "op-fp with fmt = H (no Zfh)");
        words.put(0x0000000B, "custom-0");
        words.put(0x0000006B, "reserved major opcode");

        List<String> src = new ArrayList<>(List.of(".text"));
        for (int w : words.keySet()) {
            boolean c = (w & 3) != 3;
            src.add(c ? ".option rvc" : ".option norvc");
            src.add(".insn " + (c ? 2 : 4) + ", 0x" + Integer.toHexString(c ? w & 0xFFFF : w));
        }
        List<Line> lines = disassemble(assemble(src, "illegal"));
        assertEquals(words.size(), lines.size(), "objdump line count");
        Result r = new Result("illegal encodings");
        int i = 0;
        for (Map.Entry<Integer, String> e : words.entrySet()) {
            Line l = lines.get(i++);
            assertEquals(e.getKey() & (l.length == 2 ? 0xFFFF : -1), l.word, "word order");
            assertNull(Decoder.decode(e.getKey()), () -> e.getValue() + ": decoder accepts "
                    + Integer.toHexString(e.getKey()) + " as " + Decoder.decode(e.getKey()));
            r.compare(l);
        }
        r.report(words.size());
        // The decoder is stricter than objdump exactly for rm = 5/6, c.addi16sp 0 and the all-zero parcel.
        assertEquals("fadd.s\tfa0,fa1,fa2,unknown", Disassembler.format(0x00C5D553, 0));
        assertEquals("add\tsp,sp,0", Disassembler.format(0x6101, 0));
        assertEquals("unimp", Disassembler.format(0x0000, 0));
    }

    /** Decodes that the spec requires but binutils 2.40 rejects: they decode, and print as objdump does. */
    @Test
    void reservedFieldsTheSpecSaysToIgnore() {
        assertEquals(Op.FENCE, Decoder.decode(0x0FF5000F).op, "fence with rs1 != 0 (reserved, ignored)");
        assertEquals(Op.FENCE, Decoder.decode(0x0FF0050F).op, "fence with rd != 0 (reserved, ignored)");
        assertEquals(Op.FENCE, Decoder.decode(0x9FF0000F).op, "fence with a reserved fm (treated as fm = 0)");
        assertEquals(Op.FENCE_I, Decoder.decode(0x0010100F).op, "fence.i with imm != 0 (reserved, ignored)");
        assertEquals(Op.FCVT_D_W, Decoder.decode(0xD2059553).op, "fcvt.d.w with rm = rtz");
        assertEquals(".4byte\t0xfff0050f", Disassembler.format(0x0FF0050F | 0xF0000000, 0));
        assertEquals(".4byte\t0x10100f", Disassembler.format(0x0010100F, 0));
        assertEquals(".4byte\t0xd2059553", Disassembler.format(0xD2059553, 0));
        assertNotNull(Decoder.decode(0x0100000F));
        assertEquals("pause", Disassembler.format(0x0100000F, 0));
    }

    @Test
    void workloadBinariesMatchObjdump() throws Exception {
        String cache = System.getenv("DV_CACHE");
        Path dir = (cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "duvisor"))
                .resolve("workloads").resolve("riscv64");
        List<Path> bins = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isRegularFile).filter(DisassemblerObjdumpTest::isElf).sorted().forEach(bins::add);
            }
        }
        Assumptions.assumeFalse(bins.isEmpty(), "no workload binaries in " + dir + " yet");
        // objdump dominates the run time: disassemble the binaries in parallel.
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Result>> results = new ArrayList<>();
        try {
            for (Path bin : bins) {
                results.add(pool.submit(() -> {
                    Result r = new Result(bin.getFileName().toString());
                    r.workload = true;
                    r.spec = privSpecOf(bin);
                    for (Line l : disassemble(withoutSymbols(bin), "--section=.text")) r.compare(l);
                    return r;
                }));
            }
            long total = 0;
            List<String> failed = new ArrayList<>();
            for (Future<Result> f : results) {
                Result r = f.get();
                total += r.checked;
                try {
                    r.report(1000);
                } catch (AssertionError e) {
                    failed.add(e.getMessage());
                }
            }
            System.out.println("[DisassemblerObjdumpTest] workloads: " + bins.size() + " binaries, " + total + " instructions");
            if (!failed.isEmpty()) fail(String.join("\n", failed));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- comparison

    /** Maps objdump's {@code -M no-aliases} compressed mnemonics to the operation they expand to. */
    private static final Map<String, Op> RVC = new HashMap<>();
    private static final Map<String, Op> BY_MNEMONIC = new HashMap<>();

    static {
        for (Op op : Op.values()) BY_MNEMONIC.put(op.mnemonic, op);
        Object[] t = {
            "c.addi4spn", Op.ADDI, "c.fld", Op.FLD, "c.lw", Op.LW, "c.ld", Op.LD, "c.fsd", Op.FSD, "c.sw", Op.SW,
            "c.sd", Op.SD, "c.nop", Op.ADDI, "c.addi", Op.ADDI, "c.addiw", Op.ADDIW, "c.li", Op.ADDI,
            "c.addi16sp", Op.ADDI, "c.lui", Op.LUI, "c.srli", Op.SRLI, "c.srli64", Op.SRLI, "c.srai", Op.SRAI,
            "c.srai64", Op.SRAI, "c.andi", Op.ANDI, "c.sub", Op.SUB, "c.xor", Op.XOR, "c.or", Op.OR, "c.and", Op.AND,
            "c.subw", Op.SUBW, "c.addw", Op.ADDW, "c.j", Op.JAL, "c.beqz", Op.BEQ, "c.bnez", Op.BNE,
            "c.slli", Op.SLLI, "c.slli64", Op.SLLI, "c.fldsp", Op.FLD, "c.lwsp", Op.LW, "c.ldsp", Op.LD,
            "c.jr", Op.JALR, "c.mv", Op.ADD, "c.ebreak", Op.EBREAK, "c.jalr", Op.JALR, "c.add", Op.ADD,
            "c.fsdsp", Op.FSD, "c.swsp", Op.SW, "c.sdsp", Op.SD,
        };
        for (int i = 0; i < t.length; i += 2) RVC.put((String) t[i], (Op) t[i + 1]);
        BY_MNEMONIC.put("unimp", Op.CSRRW); // csrrw zero,cycle,zero
    }

    /** The operation objdump's no-alias mnemonic stands for, or null if it is none of {@link Op}. */
    static Op opOf(String noAliasMnemonic, int length) {
        if (length == 2) return RVC.get(noAliasMnemonic);
        String m = noAliasMnemonic.replaceFirst("\\.(aq|rl|aqrl)$", "");
        return BY_MNEMONIC.get(m);
    }

    /** Whether objdump 2.40 rejects an encoding the spec defines (reserved fields to ignore, or an rm it wrongly requires to be 0). */
    static boolean objdumpStricter(Insn insn) {
        return switch (insn.op) {
            case FENCE -> (insn.bits & 0xF00F8F80) != 0;
            case FENCE_I -> insn.bits != 0x0000100F;
            case FCVT_D_W, FCVT_D_WU, FCVT_D_S -> ((insn.bits >>> 12) & 7) != 0;
            default -> false;
        };
    }

    /** Whether objdump knows an encoding the decoder rightly rejects as reserved. */
    static boolean objdumpLaxer(Line l) {
        if (l.length == 2) return l.word == 0x0000 || l.word == 0x6101;
        int rm = (l.word >>> 12) & 7, major = l.word & 0x7F;
        boolean fp = major == 0x53 || major == 0x43 || major == 0x47 || major == 0x4B || major == 0x4F;
        return fp && (rm == 5 || rm == 6) && l.text.endsWith(",unknown");
    }

    private static final Set<String> EXT_NOT_IN_WORKLOAD_ARCH = Set.of("Zba", "Zbb", "Zbs", "Zihintpause");

    final class Result {
        final String what;
        boolean workload;
        Disassembler.PrivSpec spec = Disassembler.PrivSpec.V1_12;
        int checked;
        int compared;
        int failures;
        final List<String> messages = new ArrayList<>();
        final Map<String, Integer> notes = new TreeMap<>();

        Result(String what) {
            this.what = what;
        }

        void note(String s) {
            notes.merge(s, 1, Integer::sum);
        }

        void fail(Line l, String msg) {
            failures++;
            if (messages.size() < 40) {
                messages.add(String.format("  %x: %s  objdump=\"%s\" (no-aliases \"%s\"): %s",
                        l.addr, hexWord(l), l.text, l.noAlias, msg));
            }
        }

        /** Full comparison of one objdump line against the decoder and the disassembler. */
        void compare(Line l) {
            checked++;
            Insn insn = Decoder.decode(l.word);
            boolean objdumpUnknown = l.text.startsWith(".4byte") || l.text.startsWith(".2byte");
            if (insn == null) {
                if (objdumpUnknown) {
                    note("illegal (both agree)");
                } else if (objdumpLaxer(l)) {
                    note("reserved, decoder rejects, objdump prints: " + l.noAliasMnemonic());
                } else if (opOf(l.noAliasMnemonic(), l.length) == null && l.length == 4) {
                    note("outside Op's extensions: " + l.noAliasMnemonic());
                    return; // not an instruction of this ISA: nothing to compare
                } else {
                    fail(l, "decoder returns null");
                    return;
                }
            } else if (objdumpUnknown) {
                if (objdumpStricter(insn)) {
                    note("spec-defined, objdump 2.40 rejects: " + insn.op.mnemonic);
                } else if (insn.op.extension.equals("Xdvext")) {
                    note("DV-Ext (custom, dv-ext.md), unknown to objdump: " + insn.op.mnemonic);
                    return; // DvextDisassemblyTest checks these against dv-ext.md
                } else if (workload && EXT_NOT_IN_WORKLOAD_ARCH.contains(insn.op.extension)) {
                    note("extension not in the binary's arch attribute: " + insn.op.mnemonic);
                    return;
                } else {
                    fail(l, "decoder accepts a word objdump does not know: " + insn);
                    return;
                }
            } else if (objdumpLaxer(l)) {
                fail(l, "decoder accepts a reserved encoding: " + insn);
                return;
            } else if (workload && insn.op == Op.PAUSE && l.text.equals("fence\tw,unknown")) {
                note("extension not in the binary's arch attribute: pause");
                return;
            } else {
                check(l, insn);
                return;
            }
            compareText(l);
        }

        /** Decoder op against no-alias mnemonic, then disassembler text against objdump's. */
        void check(Line l, Insn insn) {
            if (insn.op.extension.equals("Xdvext")) {
                note("DV-Ext reuses an encoding objdump names otherwise: " + l.text + " is " + insn.op.mnemonic);
                return; // huret is the removed uret's word (dv-ext.md §4)
            }
            if (l.length != insn.length) {
                fail(l, "length " + insn.length);
                return;
            }
            Op expected = opOf(l.noAliasMnemonic(), l.length);
            if (expected != insn.op) {
                fail(l, "decoder gives " + insn.op + ", objdump means " + expected);
                return;
            }
            compareText(l);
        }

        void compareText(Line l) {
            compared++;
            String mine = Disassembler.format(l.word, l.addr, spec);
            if (!mine.equals(l.text)) fail(l, "disassembler prints \"" + mine + "\"");
        }

        void report(int atLeast) {
            System.out.println("[DisassemblerObjdumpTest] " + what + ": " + checked + " instructions, "
                    + compared + " compared, " + failures + " failures" + (notes.isEmpty() ? "" : ", " + notes));
            if (failures > 0) org.junit.jupiter.api.Assertions.fail(what + ": " + failures + " mismatches against objdump (first " + messages.size() + "):\n"
                    + String.join("\n", messages));
            assertTrue(checked >= atLeast, what + ": only " + checked + " instructions checked, expected " + atLeast);
        }
    }

    // ---------------------------------------------------------------- objdump plumbing

    record Line(long addr, int word, int length, String text, String noAlias) {
        String noAliasMnemonic() {
            int tab = noAlias.indexOf('\t');
            return tab < 0 ? noAlias : noAlias.substring(0, tab);
        }
    }

    private static String hexWord(Line l) {
        return String.format(l.length == 2 ? "%04x" : "%08x", l.word);
    }

    private static boolean isElf(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    private Path assemble(List<String> source, String name) throws IOException, InterruptedException {
        return assemble(source, name, "1.12");
    }

    /** Assembles with gcc (or, without gcc, with binutils' as), recording privileged spec {@code privSpec}. */
    private Path assemble(List<String> source, String name, String privSpec) throws IOException, InterruptedException {
        Path s = tmp.resolve(name + ".s"), o = tmp.resolve(name + ".o");
        Files.write(s, source);
        String gcc = "riscv64-linux-gnu-gcc";
        List<String> cmd = onPath(gcc)
                ? List.of(gcc, "-c", "-march=" + MARCH, "-mabi=lp64d", "-Wa,-march=" + AS_MARCH, "-Wa,-mpriv-spec=" + privSpec, s.toString(), "-o", o.toString())
                : List.of("riscv64-linux-gnu-as", "-march=" + AS_MARCH, "-mabi=lp64d", "-mpriv-spec=" + privSpec, s.toString(), "-o", o.toString());
        run(cmd, tmp.resolve(name + ".as.out"));
        return o;
    }

    /**
     * A copy of {@code elf} without symbols: objdump then spends its time disassembling rather than
     * looking up {@code <symbol+off>} names, about five times faster. The only difference in the
     * instruction lines is that zero padding between functions, which objdump skips at symbol
     * boundaries, is shown as {@code unimp} (and that data marked by mapping symbols, if any, is
     * disassembled too, which only adds words to compare). Keeping the section symbols instead
     * makes objdump 2.40 pathologically slow.
     */
    private Path withoutSymbols(Path elf) throws IOException, InterruptedException {
        String objcopy = "riscv64-linux-gnu-objcopy";
        if (!onPath(objcopy)) return elf;
        Path out = tmp.resolve(elf.getFileName() + ".nosym");
        run(List.of(objcopy, "--strip-all", elf.toString(), out.toString()),
                tmp.resolve(elf.getFileName() + ".objcopy.out"));
        return out;
    }

    /** The privileged spec objdump will use for {@code elf}: its attribute, else objdump's default 1.12. */
    private Disassembler.PrivSpec privSpecOf(Path elf) throws IOException, InterruptedException {
        if (!onPath("riscv64-linux-gnu-readelf")) return Disassembler.PrivSpec.V1_12;
        String attrs = run(List.of("riscv64-linux-gnu-readelf", "-A", elf.toString()), tmp.resolve(elf.getFileName() + ".attrs"));
        Matcher major = Pattern.compile("Tag_RISCV_priv_spec: (\\d+)").matcher(attrs);
        Matcher minor = Pattern.compile("Tag_RISCV_priv_spec_minor: (\\d+)").matcher(attrs);
        if (major.find() && minor.find() && major.group(1).equals("1") && minor.group(1).equals("11")) {
            return Disassembler.PrivSpec.V1_11;
        }
        return Disassembler.PrivSpec.V1_12;
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }

    private String run(List<String> cmd, Path out) throws IOException, InterruptedException {
        return finish(start(cmd, out), cmd, out);
    }

    private static Process start(List<String> cmd, Path out) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static String finish(Process p, List<String> cmd, Path out) throws IOException, InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        String text = Files.readString(out);
        if (p.exitValue() != 0) fail("failed (" + p.exitValue() + "): " + cmd + "\n" + text.lines().limit(20).reduce("", (a, b) -> a + b + "\n"));
        return text;
    }

    /** objdump -d (aliases) and -d -M no-aliases, paired line by line. */
    private List<Line> disassemble(Path obj, String... extra) throws IOException, InterruptedException {
        List<String> base = new ArrayList<>(List.of(OBJDUMP, "-d", "-w"));
        base.addAll(List.of(extra));
        List<String> withAliases = new ArrayList<>(base);
        withAliases.add(obj.toString());
        List<String> noAliases = new ArrayList<>(base);
        noAliases.addAll(List.of("-M", "no-aliases", obj.toString()));
        String name = obj.getFileName().toString();
        Path aOut = tmp.resolve(name + ".dis"), nOut = tmp.resolve(name + ".na");
        Process pa = start(withAliases, aOut), pn = start(noAliases, nOut);
        List<Parsed> a = parse(finish(pa, withAliases, aOut));
        List<Parsed> n = parse(finish(pn, noAliases, nOut));
        if (a.size() != n.size()) fail("objdump outputs differ in length: " + a.size() + " vs " + n.size());
        List<Line> lines = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            Parsed x = a.get(i), y = n.get(i);
            if (x.addr != y.addr || !x.bytes.equals(y.bytes)) fail("objdump outputs do not pair up at " + Long.toHexString(x.addr));
            if (x.text.startsWith(".short") || x.text.startsWith(".word") || x.text.startsWith(".byte")) continue; // data
            if (x.bytes.length() != 4 && x.bytes.length() != 8) continue; // 48-bit and longer encodings
            lines.add(new Line(x.addr, (int) Long.parseLong(x.bytes, 16), x.bytes.length() / 2, x.text, y.text));
        }
        return lines;
    }

    private record Parsed(long addr, String bytes, String text) {
    }

    /**
     * The instruction lines of objdump output ({@code   addr:<TAB>bytes<SPACES><TAB>text}), with the
     * {@code # comment} and the trailing {@code <symbol+off>} removed from the text.
     */
    private static List<Parsed> parse(String out) {
        List<Parsed> m = new ArrayList<>();
        int pos = 0, len = out.length();
        while (pos < len) {
            int eol = out.indexOf('\n', pos);
            if (eol < 0) eol = len;
            String line = out.substring(pos, eol);
            pos = eol + 1;
            int colon = line.indexOf(":\t");
            if (colon < 0) continue;
            int tab = line.indexOf('\t', colon + 2);
            String addr = line.substring(0, colon).strip();
            if (tab < 0 || !isHex(addr)) continue;
            String bytes = line.substring(colon + 2, tab).strip();
            if (!isHex(bytes)) continue;
            String text = line.substring(tab + 1);
            int hash = text.indexOf(" #");
            if (hash >= 0) text = text.substring(0, hash);
            text = text.stripTrailing();
            if (text.endsWith(">")) {
                int lt = text.lastIndexOf(" <");
                if (lt >= 0) text = text.substring(0, lt);
            }
            m.add(new Parsed(Long.parseLong(addr, 16), bytes, bareTarget(text)));
        }
        return m;
    }

    private static final Set<String> PC_RELATIVE = Set.of("j", "jal", "beq", "bne", "blt", "bge", "bltu", "bgeu",
            "beqz", "bnez", "blez", "bgez", "bltz", "bgtz", "c.j", "c.beqz", "c.bnez");

    /** Where no symbol covers a branch target objdump prints it as {@code 0x...} instead of {@code ... <sym+off>}. */
    private static String bareTarget(String text) {
        int tab = text.indexOf('\t');
        if (tab < 0 || !PC_RELATIVE.contains(text.substring(0, tab))) return text;
        int comma = text.lastIndexOf(',');
        int start = comma < 0 ? tab + 1 : comma + 1;
        return text.startsWith("0x", start) ? text.substring(0, start) + text.substring(start + 2) : text;
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (Character.digit(s.charAt(i), 16) < 0) return false;
        return true;
    }
}
