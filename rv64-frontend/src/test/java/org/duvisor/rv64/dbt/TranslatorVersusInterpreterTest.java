package org.duvisor.rv64.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs assembly snippets (assembled by Debian's riscv64 binutils) to their {@code ebreak} on the
 * interpreter and on the translator, and requires identical final state. Loops run long enough
 * for their blocks to become hot, so the translated code is what runs most of the time.
 */
class TranslatorVersusInterpreterTest {
    static final long BASE = 0x1000;
    static final long DATA = 0x8000;

    @TempDir
    Path tmp;

    record Outcome(long[] x, long[] f, long pc, long instret, long cause, long tval, int fflags, byte[] data) {
    }

    private byte[] assemble(String source) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/riscv64-linux-gnu-as")), "riscv64-linux-gnu-as not installed");
        Path s = tmp.resolve("t.s"), o = tmp.resolve("t.o"), bin = tmp.resolve("t.bin");
        Files.writeString(s, ".option norvc\n.text\n.globl _start\n_start:\n" + source + "\n");
        run("riscv64-linux-gnu-as", "-march=rv64gc_zba_zbb_zbs", "-o", o.toString(), s.toString());
        run("riscv64-linux-gnu-ld", "-Ttext=0x" + Long.toHexString(BASE), "-o", tmp.resolve("t.elf").toString(), o.toString());
        run("riscv64-linux-gnu-objcopy", "-O", "binary", "--only-section=.text", tmp.resolve("t.elf").toString(), bin.toString());
        return Files.readAllBytes(bin);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }

    private Outcome execute(byte[] code, boolean translate, boolean lockstep) {
        try (FlatMemory mem = new FlatMemory(1 << 20)) {
            mem.write(BASE, code);
            Hart h = mem.newHart();
            h.pc = BASE;
            h.x[2] = 0xF0000; // sp
            h.x[10] = DATA;
            Interpreter interpreter = new Interpreter(h);
            ExecutionEngine engine = interpreter;
            if (translate) {
                DbtEngine dbt = new DbtEngine(h, interpreter, 3);
                if (lockstep) dbt.enableLockstep();
                engine = dbt;
            }
            engine.run(Long.MAX_VALUE);
            assertThat(h.trapPending).isTrue();
            if (engine instanceof DbtEngine dbt) {
                // The point of these tests: most instructions must have run as translated code.
                assertThat(dbt.statistics().regionsCompiled).as("regions compiled").isPositive();
                assertThat(dbt.statistics().interpretedInstructions).as("interpreted instructions")
                        .isLessThan(h.instret / 2);
            }
            byte[] data = mem.host.segment().asSlice(DATA, 4096).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            return new Outcome(h.x.clone(), h.f.clone(), h.pc, h.instret, h.trapCause, h.trapValue, h.fflags.bits, data);
        }
    }

    private Outcome checkSame(String source) throws Exception {
        byte[] code = assemble(source);
        Outcome interp = execute(code, false, false);
        Outcome dbt = execute(code, true, false);
        Outcome lock = execute(code, true, true);
        for (Outcome o : new Outcome[]{dbt, lock}) {
            assertThat(o.x()).as("x registers").containsExactly(interp.x());
            assertThat(o.f()).as("f registers").containsExactly(interp.f());
            assertThat(o.pc()).as("pc").isEqualTo(interp.pc());
            assertThat(o.instret()).as("instret").isEqualTo(interp.instret());
            assertThat(o.cause()).as("cause").isEqualTo(interp.cause());
            assertThat(o.tval()).as("tval").isEqualTo(interp.tval());
            assertThat(o.fflags()).as("fflags").isEqualTo(interp.fflags());
            assertThat(Arrays.equals(o.data(), interp.data())).as("data memory").isTrue();
        }
        return interp;
    }

    @Test
    void integerLoopWithAllBranchKindsMatches() throws Exception {
        Outcome o = checkSame("""
                li t0, 0
                li t1, 1000
                li s0, 0
                li s1, -5
            1:  addi t0, t0, 1
                add s0, s0, t0
                xor s0, s0, t1
                slli t2, s0, 3
                srai t3, t2, 2
                sraw t4, s0, t0
                subw t5, t3, t4
                sltu a1, s1, t0
                slt a2, s1, t0
                add s0, s0, a1
                add s0, s0, a2
                blt t0, s1, 2f
                bgeu s1, t0, 3f
                2: addiw a3, a3, 7
                3: bne t0, t1, 1b
                ebreak
                """);
        assertThat(o.cause()).isEqualTo(Cause.BREAKPOINT);
        assertThat(o.x()[5]).isEqualTo(1000);
    }

    /**
     * The translator reuses what a block just stored to or loaded from an address for a later
     * 8-byte load of it (RegionEmitter's memory facts). Every way such a fact goes stale is here:
     * a store through another register that aliases, narrower and overlapping stores, an AMO, the
     * base register rewritten (also by the load itself), a join of paths that stored different
     * values, FP and integer views of the same bytes.
     */
    @Test
    void reloadsAfterAliasingStoresSeeMemory() throws Exception {
        Outcome o = checkSame("""
                li t0, 5
                li t1, 400
                mv s6, a0
                mv s7, a0
            1:  sd t0, 0(a0)
                ld t2, 0(a0)
                sd t1, 0(s6)
                ld t3, 0(a0)
                add s4, s4, t2
                add s4, s4, t3
                sd t0, 8(a0)
                sw t1, 12(a0)
                ld t4, 8(a0)
                sd t0, 16(a0)
                sd t1, 20(a0)
                ld t5, 16(a0)
                ld t6, 20(a0)
                add s4, s4, t4
                xor s4, s4, t5
                add s4, s4, t6
                ld a3, 0(a0)
                add s4, s4, a3
                amoadd.d a1, t1, (a0)
                ld a2, 0(a0)
                add s4, s4, a2
                sd s7, 32(s7)
                ld s7, 32(s7)
                ld s8, 32(s7)
                sub s4, s4, s8
                fmv.d.x fa0, t0
                fsd fa0, 40(a0)
                fld fa1, 40(a0)
                ld a3, 40(a0)
                sb t1, 41(a0)
                fld fa2, 40(a0)
                fadd.d fa3, fa1, fa2
                fmv.x.d a4, fa3
                add s4, s4, a3
                xor s4, s4, a4
                ld a5, 48(a0)
                addi a5, a5, 1
                sd a5, 48(a0)
                ld a6, 48(a0)
                add s4, s4, a6
                sd t0, 64(a0)
                addi a0, a0, 8
                ld a7, 64(a0)
                addi a0, a0, -8
                add s4, s4, a7
                sd t0, 56(a0)
                andi a1, t1, 1
                beqz a1, 2f
                sd t1, 56(a0)
            2:  ld a2, 56(a0)
                add s4, s4, a2
                addi t0, t0, 3
                addi t1, t1, -1
                bnez t1, 1b
                ebreak
                """);
        assertThat(o.cause()).isEqualTo(Cause.BREAKPOINT);
        assertThat(o.x()[6]).isZero();
    }

    @Test
    void loadsAndStoresOfEveryWidthMatch() throws Exception {
        checkSame("""
                li t0, 0
                li t1, 300
            1:  sb t0, 0(a0)
                sh t0, 2(a0)
                sw t0, 4(a0)
                sd t0, 8(a0)
                lb t2, 0(a0)
                lbu t3, 0(a0)
                lh t4, 2(a0)
                lhu t5, 2(a0)
                lw t6, 4(a0)
                lwu s2, 4(a0)
                ld s3, 8(a0)
                add s4, s4, t2
                add s4, s4, t3
                add s4, s4, t4
                add s4, s4, t5
                add s4, s4, t6
                add s4, s4, s2
                add s4, s4, s3
                sd s4, 16(a0)
                ld s5, 13(a0)
                sw s4, 27(a0)
                addi t0, t0, 97
                addi t1, t1, -1
                bnez t1, 1b
                ebreak
                """);
    }

    @Test
    void callsAndReturnsThroughJalrMatch() throws Exception {
        checkSame("""
                li s0, 200
                li s1, 0
            1:  mv a1, s0
                call f
                add s1, s1, a1
                addi s0, s0, -1
                bnez s0, 1b
                ebreak
            f:  mul a1, a1, a1
                divu a2, a1, s0
                remw a3, a1, s0
                mulh a4, a1, s1
                add a1, a1, a2
                ret
                """);
    }

    @Test
    void faultingLoadInsideHotLoopLeavesPreciseState() throws Exception {
        Outcome o = checkSame("""
                li t0, 0
                li t1, 0x10000
                lui t2, 0x100
            1:  add t3, t1, t0
                ld t4, 0(t3)
                addi t0, t0, 512
                add s0, s0, t4
                blt t0, t2, 1b
                ebreak
                """);
        assertThat(o.cause()).isEqualTo(Cause.LOAD_ACCESS_FAULT);
        assertThat(o.tval()).isEqualTo(1 << 20);
    }

    /**
     * Misaligned 8-byte loads walking up to the end of RAM, which the translated loop tests
     * against its direct window (all of RAM): the last one that fits runs, the next, which
     * straddles the end, faults there with the interpreter's state.
     */
    @Test
    void misalignedLoadsStraddlingTheEndOfRamFaultPrecisely() throws Exception {
        Outcome o = checkSame("""
                lui t1, 0x100
                addi t1, t1, -2044
                li t0, 0
            1:  add t3, t1, t0
                ld t4, 0(t3)
                lw t5, 2(t3)
                addi t0, t0, 8
                xor s0, s0, t4
                add s1, s1, t5
                j 1b
                """);
        assertThat(o.cause()).isEqualTo(Cause.LOAD_ACCESS_FAULT);
        assertThat(o.tval()).isEqualTo((1 << 20) - 4);
    }

    @Test
    void floatingPointKernelMatchesIncludingFlags() throws Exception {
        checkSame("""
                li t0, 400
                fcvt.d.w fa0, t0
                li t1, 3
                fcvt.d.w fa1, t1
                fmv.d.x fa2, zero
            1:  fdiv.d fa3, fa1, fa0
                fmadd.d fa2, fa3, fa3, fa2
                fsqrt.d fa4, fa2
                fcvt.s.d fa5, fa4
                fadd.s fa6, fa5, fa5, rtz
                fsgnjn.d fa7, fa4, fa3
                fmin.d ft0, fa7, fa4
                flt.d a1, ft0, fa4
                add s0, s0, a1
                fcvt.w.d a2, fa4, rup
                add s1, s1, a2
                fsd fa2, 0(a0)
                fld ft1, 0(a0)
                fsw fa6, 8(a0)
                flw ft2, 8(a0)
                addi t0, t0, -1
                fcvt.d.w fa0, t0
                bnez t0, 1b
                ebreak
                """);
    }

    /**
     * fflags accesses inside a hot FP loop are translated (compilers bracket quiet comparisons with
     * frflags/fsflags): every CSR instruction form on fflags, with rd = rs1 aliasing, against flags
     * that the loop's own divisions raise. They must match the interpreter and must not send the
     * loop back to it.
     */
    @Test
    void fflagsAccessesInAHotLoopMatchAndStayTranslated() throws Exception {
        String source = """
                li t0, 300
                li t1, 3
                fcvt.d.w fa1, t1
                fmv.d.x fa0, zero
            1:  fsflags zero
                fcvt.d.w fa2, t0
                fdiv.d fa3, fa2, fa1
                frflags a1
                add s0, s0, a1
                fdiv.d fa4, fa0, fa0
                csrrci a2, fflags, 16
                add s1, s1, a2
                csrrsi a3, fflags, 8
                add s2, s2, a3
                csrrc a4, fflags, t1
                add s3, s3, a4
                mv a5, t0
                csrrs a5, fflags, a5
                add s4, s4, a5
                csrrw a6, fflags, a6
                add s5, s5, a6
                csrrwi a7, fflags, 21
                add s6, s6, a7
                addi t0, t0, -1
                bnez t0, 1b
                ebreak
                """;
        Outcome o = checkSame(source);
        assertThat(o.x()[8]).as("NX seen by frflags after inexact divisions").isPositive();
        try (FlatMemory mem = new FlatMemory(1 << 20)) {
            mem.write(BASE, assemble(source));
            Hart h = mem.newHart();
            h.pc = BASE;
            DbtEngine dbt = new DbtEngine(h, new Interpreter(h), 3);
            dbt.run(Long.MAX_VALUE);
            assertThat(dbt.statistics().interpretedInstructions).as("interpreted instructions of " + h.instret)
                    .isLessThan(h.instret / 50);
        }
    }

    /**
     * Regions are made for one value of frm (dynamic-rounding instructions use it as a constant):
     * the same hot loop runs under every rounding mode in turn (fsrm between runs) and must round as
     * the interpreter does each time; frm = 5 (reserved) makes the first DYN instruction raise an
     * illegal-instruction exception (F extension, "Floating-Point Control and Status Register").
     */
    @Test
    void dynamicRoundingFollowsFrmAcrossRegionsAndTrapsWhenReserved() throws Exception {
        Outcome o = checkSame("""
                li s2, 0
                li t3, 1
                fcvt.d.w fa1, t3
                li t3, 3
                fcvt.d.w fa2, t3
                fdiv.d fa3, fa1, fa2, rne
            2:  fsrm s2
                li t0, 200
                fmv.d.x fa0, zero
            1:  fadd.d fa0, fa0, fa3
                fmul.d fa4, fa0, fa3
                fdiv.d fa5, fa4, fa2
                fsqrt.d fa6, fa5
                fsub.d fa7, fa6, fa3
                fadd.s ft0, fa1, fa3
                fmv.x.d a1, fa0
                add s0, s0, a1
                fmv.x.d a2, fa7
                xor s0, s0, a2
                fmv.x.w a3, ft0
                add s0, s0, a3
                addi t0, t0, -1
                bnez t0, 1b
                addi s2, s2, 1
                li t4, 6
                bne s2, t4, 2b
                ebreak
                """);
        assertThat(o.cause()).isEqualTo(Cause.ILLEGAL_INSTRUCTION);
        assertThat(o.x()[18]).as("frm when the trap came").isEqualTo(5);
    }

    @Test
    void bitManipulationAndAtomicsMatch() throws Exception {
        checkSame("""
                li t0, 100
            1:  sh2add t1, t0, t1
                clz t2, t1
                rev8 t3, t1
                orc.b t4, t0
                amoadd.d t5, t0, (a0)
                lr.w t6, (a0)
                sc.w s2, t0, (a0)
                add s3, s3, s2
                addi t0, t0, -1
                bnez t0, 1b
                ebreak
                """);
    }

    /**
     * A loop of {@code iterations} summing its counter (2 + 3 + ... + iterations) into s0, whose head and
     * tail lie on either side of {@code cold}, entered at {@code firstCold} by a never-taken branch.
     */
    private static String loopPast(int iterations, String firstCold, String cold) {
        return """
                    li t0, 1
                    li t1, %d
                loop:
                    addi t0, t0, 1
                    beqz t0, %s
                    j tail
                %s
                tail:
                    add s0, s0, t0
                    bne t0, t1, loop
                    ebreak
                """.formatted(iterations, firstCold, cold);
    }

    /** Forty blocks c0 to c39 of ten loads each, block k ending with {@code end.apply(k)}. */
    private static String coldBlocks(java.util.function.IntFunction<String> end) {
        StringBuilder cold = new StringBuilder();
        for (int k = 0; k < 40; k++) {
            cold.append("c").append(k).append(":\n");
            for (int j = 0; j < 10; j++) cold.append("    ld a1, ").append(8 * j).append("(a0)\n");
            cold.append(end.apply(k));
        }
        return cold.toString();
    }

    /**
     * A loop whose entry and tail lie on either side of forty never-run blocks full of loads: the
     * region formed at the loop's head is far too large, and halving it by distance alone kept
     * the cold blocks and cut the tail off, so the loop left its region on every iteration. The
     * shrunk region must keep the blocks that ran.
     */
    @Test
    void shrinkingAnOversizedRegionKeepsTheLoopThatRan() throws Exception {
        String source = loopPast(20000, "c0", coldBlocks(k -> "    beqz t0, c" + (k + 1) + "\n") + "c40:\n    ebreak\n");
        byte[] code = assemble(source);
        try (FlatMemory mem = new FlatMemory(1 << 20)) {
            mem.write(BASE, code);
            Hart h = mem.newHart();
            h.pc = BASE;
            h.x[10] = DATA;
            DbtEngine dbt = new DbtEngine(h, new Interpreter(h), 64);
            dbt.run(Long.MAX_VALUE);
            assertThat(h.trapCause).isEqualTo(Cause.BREAKPOINT);
            assertThat(h.x[8]).as("s0 = 2 + 3 + ... + 20000").isEqualTo(20000L * 20001 / 2 - 1);
            assertThat(dbt.statistics().regionEntries).as("region entries for 20000 iterations").isLessThan(100);
        }
    }

    /**
     * A loop with a never-taken branch into a chain of cold blocks that runs backwards, from the
     * last one (far from the loop) to the first (next to it). The region is too large, and the
     * blocks its shrinking keeps (the nearest) are reachable only through the ones it drops: ASM
     * emitted them as dead bytecode (NOPs ending in ATHROW), counted against the size limit. No
     * region may contain code its entry cannot reach.
     */
    @Test
    void regionsCarryNoUnreachableBlocks() throws Exception {
        String source = loopPast(3000, "c39", coldBlocks(k -> k == 0 ? "    ebreak\n" : "    beqz t0, c" + (k - 1) + "\n    ebreak\n"));
        checkSame(source);
        String before = System.getProperty("dv.dump");
        System.setProperty("dv.dump", tmp.resolve("regions").toString());
        try {
            execute(assemble(source), true, false);
        } finally {
            if (before == null) System.clearProperty("dv.dump");
            else System.setProperty("dv.dump", before);
        }
        java.util.List<Path> classes;
        try (var files = Files.list(tmp.resolve("regions"))) {
            classes = files.toList();
        }
        assertThat(classes).as("dumped regions").isNotEmpty();
        for (Path c : classes) {
            int[] nops = {0};
            new org.objectweb.asm.ClassReader(Files.readAllBytes(c)).accept(new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    return new org.objectweb.asm.MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitInsn(int opcode) {
                            if (opcode == org.objectweb.asm.Opcodes.NOP) nops[0]++;
                        }
                    };
                }
            }, 0);
            assertThat(nops[0]).as("dead bytecode (NOPs) in " + c.getFileName()).isZero();
        }
    }
}
