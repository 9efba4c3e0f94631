package org.duvisor.bench.exits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.duvisor.bench.exits.ExitMachine.Path;
import org.duvisor.bench.exits.ExitMachine.Tier;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Privilege;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The machines ExitRoundTripBench times do the round trips they are named for (no timing here). */
class ExitRoundTripTest {
    static final int TRIPS = 300;

    @ParameterizedTest
    @CsvSource({"DUVISOR, DBT", "HS_VECTOR, DBT", "DUVISOR, INTERPRETER", "HS_VECTOR, INTERPRETER"})
    void everyRoundTripIsOneEcallFromVsTakenWhereThePathSays(Path path, Tier tier) {
        try (ExitMachine m = new ExitMachine(path, tier)) {
            m.roundTrips(1); // the first entry starts at the ecall (DuVisor) or the handler's sret (HS)
            long instret = m.hart.instret;
            m.roundTrips(TRIPS);

            assertThat(m.roundTrips).isEqualTo(1 + TRIPS);
            // The ecall traps (does not retire); j retires; the HS handler adds its 4 instructions.
            assertThat(m.hart.instret - instret).isEqualTo(TRIPS * m.expectedInstretPerTrip());
            m.checkExitState();
            if (path == Path.DUVISOR) {
                assertThat(m.read(Privilege.USER, ExitMachine.UCAUSE)).isEqualTo(Cause.ECALL_FROM_VS);
                assertThat(m.arch.scause).isZero();
            } else {
                assertThat(m.read(Privilege.SUPERVISOR, ExitMachine.SCAUSE)).isEqualTo(Cause.ECALL_FROM_VS);
                assertThat(m.dv.exitedToUser).isFalse();
            }
            assertThat(m.arch.mcause).isZero();
        }
    }

    @Test
    void theTranslatorRunsTheGuestAfterWarmUp() {
        try (ExitMachine m = new ExitMachine(Path.DUVISOR, Tier.DBT)) {
            m.roundTrips(TRIPS);
            long entries = m.statistics().regionEntries;
            m.roundTrips(TRIPS);
            assertThat(m.statistics().regionsCompiled).isPositive();
            assertThat(m.statistics().regionEntries - entries).isGreaterThanOrEqualTo(TRIPS);
        }
    }

    @Test
    void withoutSedelegTheExitIsNotMistakenForADuVisorRoundTrip() {
        try (ExitMachine m = new ExitMachine(Path.DUVISOR, Tier.DBT)) {
            m.write(Privilege.SUPERVISOR, ExitMachine.SEDELEG, 0, -1L); // cause 10 now goes to HS (stvec 0)
            assertThatThrownBy(() -> m.roundTrips(1)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withoutMedelegTheTrapIsNotMistakenForAnHsRoundTrip() {
        try (ExitMachine m = new ExitMachine(Path.HS_VECTOR, Tier.DBT)) {
            m.write(Privilege.MACHINE, ExitMachine.MEDELEG, 0, -1L); // cause 10 now goes to M
            assertThatThrownBy(() -> m.roundTrips(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("HS handler");
        }
    }
}
