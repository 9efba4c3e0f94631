package org.duvisor.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestFinisherTest {
    /** Records what the guest asked for, in order. */
    static final class RecordingPower implements PowerControl {
        final List<String> events = new ArrayList<>();

        @Override
        public void powerOff(int exitCode) {
            events.add("off " + exitCode);
        }

        @Override
        public void reset() {
            events.add("reset");
        }

        @Override
        public void fault(String message) {
            events.add("fault " + message);
        }
    }

    private final RecordingPower power = new RecordingPower();
    private final TestFinisher finisher = new TestFinisher(TestFinisher.VIRT_BASE, power);

    @Test
    void passPowersOffWithExitCodeZero() {
        finisher.write(0, 0x5555, 4);
        assertThat(power.events).containsExactly("off 0");
    }

    @Test
    void failCarriesTheExitCodeInTheUpperHalf() {
        finisher.write(0, 0x3333 | (42 << 16), 4);
        assertThat(power.events).containsExactly("off 42");
    }

    @Test
    void failWithCodeZeroStillReportsZero() {
        finisher.write(0, 0x3333, 4);
        assertThat(power.events).containsExactly("off 0");
    }

    @Test
    void resetRequestsAReset() {
        finisher.write(0, 0x7777, 4);
        assertThat(power.events).containsExactly("reset");
    }

    @Test
    void otherValuesAndOffsetsAreIgnored() {
        finisher.write(0, 0x1234, 4);
        finisher.write(4, 0x5555, 4);
        finisher.write(0, 0x55, 1);
        assertThat(power.events).isEmpty();
        assertThat(finisher.read(0, 4)).isZero();
    }
}
