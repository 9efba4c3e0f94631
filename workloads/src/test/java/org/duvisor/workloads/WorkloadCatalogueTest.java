package org.duvisor.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadCatalogueTest {

    @Test
    void projectCatalogueListsAtLeastEightDistinctSpecPrograms() throws IOException {
        Path root = WorkloadCatalogue.findProjectRoot();
        WorkloadCatalogue cat = WorkloadCatalogue.load(root);
        List<Workload> spec = cat.ofKind(Workload.SPEC);
        assertTrue(spec.size() >= 8, "expected >= 8 spec programs, got " + spec.size());
        Set<String> names = new HashSet<>();
        for (Workload w : cat.all()) {
            assertTrue(names.add(w.name()), "duplicate name " + w.name());
        }
        Set<String> listed = new TreeSet<>();
        for (Workload w : spec) {
            assertTrue(w.name().startsWith("spec-"), w.name());
            String base = w.name().substring("spec-".length());
            listed.add(base);
            assertTrue(Files.isRegularFile(root.resolve("workloads/spec/" + base + ".c")), "no source for " + w.name());
            assertEquals("riscv64/" + w.name(), w.binary());
            assertEquals(List.of("test"), w.testArgs());
            assertEquals(List.of("ref"), w.refArgs());
            assertFalse(w.description().isBlank(), "no description for " + w.name());
            assertEquals(cat.workloadsDir().resolve("riscv64").resolve(w.name()), cat.binary(w));
            assertEquals(cat.workloadsDir().resolve("native").resolve(w.name()), cat.nativeBinary(w));
            assertEquals(w, cat.find(w.name()).orElseThrow());
        }
        // every spec source has a catalogue row
        Set<String> sources = new TreeSet<>();
        try (Stream<Path> s = Files.list(root.resolve("workloads/spec"))) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".c"))
                    .forEach(f -> sources.add(f.substring(0, f.length() - 2)));
        }
        assertEquals(sources, listed, "workloads/spec/*.c and catalogue.tsv disagree");
        assertTrue(cat.find("spec-no-such-program").isEmpty());
    }

    @Test
    void scansIsaSourcesAndIgnoresOtherFiles(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("workloads/isa"));
        Files.writeString(root.resolve("workloads/catalogue.tsv"),
                "# comment\n\nspec-x\tspec\triscv64/spec-x\ttest\tref extra\tdemo program\n");
        Files.writeString(root.resolve("workloads/isa/alu.c"), "int main(void){return 0;}\n");
        Files.writeString(root.resolve("workloads/isa/branches.S"), ".globl main\nmain: li a0,0\nret\n");
        Files.writeString(root.resolve("workloads/isa/notes.txt"), "not a test\n");
        WorkloadCatalogue cat = WorkloadCatalogue.load(root);
        assertEquals(List.of("spec-x", "isa-alu", "isa-branches"), cat.all().stream().map(Workload::name).toList());
        Workload x = cat.find("spec-x").orElseThrow();
        assertEquals(List.of("ref", "extra"), x.refArgs());
        Workload alu = cat.find("isa-alu").orElseThrow();
        assertTrue(alu.isIsa());
        assertEquals("riscv64/isa-alu", alu.binary());
        assertEquals(List.of(), alu.testArgs());
        assertThrows(IllegalArgumentException.class, () -> cat.nativeBinary(alu));
        assertEquals(2, cat.ofKind(Workload.ISA).size());
    }

    @Test
    void emptyOrMissingIsaDirectoryIsFine(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("workloads"));
        Files.writeString(root.resolve("workloads/catalogue.tsv"), "spec-y\tspec\triscv64/spec-y\t-\t-\ty\n");
        WorkloadCatalogue cat = WorkloadCatalogue.load(root);
        assertEquals(1, cat.all().size());
        assertEquals(List.of(), cat.all().get(0).testArgs());
        Files.createDirectories(root.resolve("workloads/isa"));
        assertEquals(1, WorkloadCatalogue.load(root).all().size());
    }

    @Test
    void malformedRowsAreReportedWithTheirLine(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("workloads"));
        Path tsv = root.resolve("workloads/catalogue.tsv");
        Files.writeString(tsv, "# header\nspec-a\tspec\triscv64/spec-a\ttest\tref\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> WorkloadCatalogue.load(root));
        assertTrue(e.getMessage().contains("catalogue.tsv:2"), e.getMessage());
        Files.writeString(tsv, "spec-a\tbogus\triscv64/spec-a\ttest\tref\td\n");
        assertThrows(IllegalStateException.class, () -> WorkloadCatalogue.load(root));
        Files.writeString(tsv, "spec-a\tspec\ta\t-\t-\td\nspec-a\tspec\tb\t-\t-\td\n");
        e = assertThrows(IllegalStateException.class, () -> WorkloadCatalogue.load(root));
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
    }

    @Test
    void clashingIsaBasenamesAreRejected(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("workloads/isa"));
        Files.writeString(root.resolve("workloads/catalogue.tsv"), "");
        Files.writeString(root.resolve("workloads/isa/m.c"), "");
        Files.writeString(root.resolve("workloads/isa/m.S"), "");
        assertThrows(IllegalStateException.class, () -> WorkloadCatalogue.load(root));
    }
}
