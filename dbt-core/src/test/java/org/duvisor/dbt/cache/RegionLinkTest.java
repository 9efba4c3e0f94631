package org.duvisor.dbt.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An indirect exit slot caches the last {@link Region#INDIRECT_WAYS} regions it led to within one
 * TLB generation, most recent first; a direct slot only its successor.
 */
class RegionLinkTest {
    private static final int SLOT = 0, GENERATION = 7;

    private static Region<String> region(long pc) {
        return new Region<>(pc, 0, "code@" + pc, new long[0], new long[0], new long[0], new long[]{-1}, 1, 1);
    }

    @Test
    void anIndirectSlotFindsAnyOfItsLastFourTargets() {
        Region<String> site = region(0x100);
        Region<String> a = region(0xA00), b = region(0xB00), c = region(0xC00), d = region(0xD00), e = region(0xE00);
        for (Region<String> t : java.util.List.of(a, b, c, d)) site.link(SLOT, t, GENERATION, true);
        assertThat(site.successors[SLOT]).isSameAs(d);
        assertThat(site.promoteOlderTarget(SLOT, 0xA00)).isSameAs(a); // the oldest of the four
        assertThat(site.successors[SLOT]).isSameAs(a);
        assertThat(site.promoteOlderTarget(SLOT, 0xD00)).isSameAs(d);
        assertThat(site.promoteOlderTarget(SLOT, 0xE00)).isNull();
        site.link(SLOT, e, GENERATION, true); // now e, d, a, c: b is the one dropped
        assertThat(site.promoteOlderTarget(SLOT, 0xB00)).isNull();
        assertThat(site.promoteOlderTarget(SLOT, 0xC00)).isSameAs(c);
    }

    /** A site whose indirect slot led to {@code a} in GENERATION, then to {@code b} in {@code secondGeneration}. */
    private static Region<String> linkedTo(Region<String> a, Region<String> b, int secondGeneration) {
        Region<String> site = region(0x100);
        site.link(SLOT, a, GENERATION, true);
        site.link(SLOT, b, secondGeneration, true);
        return site;
    }

    @Test
    void aLinkInANewGenerationForgetsTheOlderTargets() {
        Region<String> site = linkedTo(region(0xA00), region(0xB00), GENERATION + 1);
        assertThat(site.promoteOlderTarget(SLOT, 0xA00)).isNull();
    }

    @Test
    void anInvalidatedTargetIsNotFound() {
        Region<String> a = region(0xA00);
        Region<String> site = linkedTo(a, region(0xB00), GENERATION);
        a.valid = false;
        assertThat(site.promoteOlderTarget(SLOT, 0xA00)).isNull();
    }

    @Test
    void aDirectSlotKeepsOnlyItsSuccessor() {
        Region<String> site = region(0x100);
        Region<String> a = region(0xA00), b = region(0xB00);
        site.link(SLOT, a, GENERATION, false);
        site.link(SLOT, b, GENERATION, false);
        assertThat(site.successors[SLOT]).isSameAs(b);
        assertThat(site.promoteOlderTarget(SLOT, 0xA00)).isNull();
    }
}
