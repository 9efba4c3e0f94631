package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;

import org.duvisor.rv64.exec.Block;
import org.duvisor.rv64.exec.Interpreter;
import org.junit.jupiter.api.Test;

/**
 * On a full-system hart a block's entries count towards the hot threshold by its length: one per
 * 8 instructions (at least one), so long straight-line blocks are translated after as much
 * interpretation as short ones. The blocks here run in M-mode from RAM (bare translation).
 */
class BlockHeatTest {
    private static final int ADDI_T0_T0_1 = 0x00128293; // addi t0, t0, 1
    private static final int JAL_ZERO_0 = 0x0000006f; // jal zero, 0 (to itself: ends the block)

    /** Writes {@code addis} copies of addi, then the jal, at {@code pc}; returns the block's length. */
    private static int writeBlock(TestMachine m, long pc, int addis) {
        int[] words = new int[addis + 2];
        java.util.Arrays.fill(words, 0, addis, ADDI_T0_T0_1);
        words[addis] = JAL_ZERO_0;
        for (int k = 0; k + 1 < words.length; k += 2) {
            m.writePhysical(pc + 4L * k, (words[k] & 0xFFFF_FFFFL) | (long) words[k + 1] << 32);
        }
        return addis + 1;
    }

    private static long executionsAfter(TestMachine m, long pc, int entries) {
        Interpreter interpreter = new Interpreter(m.hart);
        m.hart.pc = pc;
        Block b = interpreter.blockAt(pc);
        for (int k = 0; k < entries; k++) {
            m.hart.pc = pc;
            interpreter.runBlock(b);
        }
        assertThat(m.hart.trapPending).isFalse();
        return b.executions;
    }

    @Test
    void aBlockOf41InstructionsCountsFiveTimesPerEntry() {
        try (TestMachine m = new TestMachine()) {
            long pc = TestMachine.RAM_BASE + 0x1000;
            assertThat(writeBlock(m, pc, 40)).isEqualTo(41);
            assertThat(executionsAfter(m, pc, 3)).isEqualTo(3 * 5);
            assertThat(m.hart.x[5]).isEqualTo(3 * 40);
        }
    }

    @Test
    void aShortBlockCountsOncePerEntry() {
        try (TestMachine m = new TestMachine()) {
            long pc = TestMachine.RAM_BASE + 0x2000;
            writeBlock(m, pc, 4);
            assertThat(executionsAfter(m, pc, 7)).isEqualTo(7);
        }
    }
}
