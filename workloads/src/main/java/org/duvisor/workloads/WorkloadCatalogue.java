package org.duvisor.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The catalogue of guest workloads.
 *
 * <p>Spec programs are listed in {@code workloads/catalogue.tsv}: one line per
 * program with six tab-separated columns {@code name kind binary test_args
 * ref_args description}; arguments are space-separated, {@code -} means none;
 * blank lines and lines starting with {@code #} are ignored. Instruction tests
 * are not listed there: every {@code workloads/isa/<base>.c} or {@code .S}
 * becomes workload {@code isa-<base>} (kind {@code isa}, binary
 * {@code riscv64/isa-<base>}, no arguments).
 *
 * <p>The cache directory is the system property {@code dv.cache}, else the
 * environment variable {@code DV_CACHE}, else {@code ~/.cache/duvisor}; binaries
 * live in its {@code workloads/} subdirectory.
 */
public final class WorkloadCatalogue {

    /** Catalogue file, relative to the project root. */
    public static final String CATALOGUE_FILE = "workloads/catalogue.tsv";
    /** Build script, relative to the project root. */
    public static final String BUILD_SCRIPT = "workloads/build.sh";
    /** Guest Linux build script (kernel, busybox, initramfs), relative to the project root. */
    public static final String LINUX_BUILD_SCRIPT = "workloads/linux/build.sh";
    /** The name {@code dv workloads build} accepts for the guest Linux image. */
    public static final String LINUX = "linux";
    /** Directory of instruction-test sources, relative to the project root. */
    public static final String ISA_DIR = "workloads/isa";

    private final Path projectRoot;
    private final List<Workload> workloads;
    private final Map<String, Workload> byName;

    private WorkloadCatalogue(Path projectRoot, List<Workload> workloads) {
        this.projectRoot = projectRoot;
        this.workloads = List.copyOf(workloads);
        Map<String, Workload> m = new LinkedHashMap<>();
        for (Workload w : workloads) {
            m.put(w.name(), w);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /**
     * Reads {@code workloads/catalogue.tsv} and scans {@code workloads/isa/}.
     *
     * @throws UncheckedIOException  if the catalogue cannot be read
     * @throws IllegalStateException if the catalogue is malformed or names clash
     */
    public static WorkloadCatalogue load(Path projectRoot) {
        Path root = projectRoot.toAbsolutePath().normalize();
        Path tsv = root.resolve(CATALOGUE_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workload catalogue " + tsv, e);
        }
        Map<String, Workload> all = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = tsv + ":" + (i + 1);
            String[] cols = line.split("\t", -1);
            if (cols.length != 6) {
                throw new IllegalStateException(where + ": expected 6 tab-separated columns, found " + cols.length);
            }
            Workload w;
            try {
                w = new Workload(cols[0].strip(), cols[1].strip(), cols[2].strip(),
                        parseArgs(cols[3]), parseArgs(cols[4]), cols[5].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": " + e.getMessage(), e);
            }
            if (w.name().isEmpty() || w.binary().isEmpty()) {
                throw new IllegalStateException(where + ": empty name or binary");
            }
            if (all.putIfAbsent(w.name(), w) != null) {
                throw new IllegalStateException(where + ": duplicate workload name " + w.name());
            }
        }
        for (Workload w : scanIsa(root.resolve(ISA_DIR))) {
            if (all.putIfAbsent(w.name(), w) != null) {
                throw new IllegalStateException("workload name " + w.name() + " from " + ISA_DIR
                        + " clashes with another workload");
            }
        }
        return new WorkloadCatalogue(root, new ArrayList<>(all.values()));
    }

    /**
     * Locates the project root: the system property {@code dv.root} (set by the
     * build for tests), else the nearest directory at or above the working
     * directory that contains {@code workloads/catalogue.tsv}.
     */
    public static Path findProjectRoot() {
        String prop = System.getProperty("dv.root");
        if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop).resolve(CATALOGUE_FILE))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(CATALOGUE_FILE))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root (no " + CATALOGUE_FILE
                + " above " + Path.of("").toAbsolutePath() + "; set -Ddv.root=...)");
    }

    private static List<String> parseArgs(String col) {
        String s = col.strip();
        if (s.isEmpty() || s.equals("-")) {
            return List.of();
        }
        return List.of(s.split(" +"));
    }

    private static List<Workload> scanIsa(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        TreeMap<String, String> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{c,S}")) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                String file = p.getFileName().toString();
                String base = file.substring(0, file.length() - 2);
                String prev = files.put(base, file);
                if (prev != null) {
                    throw new IllegalStateException(ISA_DIR + ": both " + prev + " and " + file
                            + " exist; rename one");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        List<Workload> out = new ArrayList<>();
        files.forEach((base, file) -> out.add(new Workload("isa-" + base, Workload.ISA,
                "riscv64/isa-" + base, List.of(), List.of(), "instruction test " + ISA_DIR + "/" + file)));
        return out;
    }

    /** The project root this catalogue was loaded from. */
    public Path projectRoot() {
        return projectRoot;
    }

    /** All workloads: catalogue rows in file order, then isa tests by name. */
    public List<Workload> all() {
        return workloads;
    }

    /** All workloads of one kind ({@link Workload#SPEC} or {@link Workload#ISA}). */
    public List<Workload> ofKind(String kind) {
        return workloads.stream().filter(w -> w.kind().equals(kind)).toList();
    }

    /** The workload with this name, e.g. {@code spec-sort}. */
    public Optional<Workload> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** {@code dv.cache} property, {@code DV_CACHE} environment variable, or {@code ~/.cache/duvisor}. */
    public Path cacheDir() {
        String prop = System.getProperty("dv.cache");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        String env = System.getenv("DV_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "duvisor");
    }

    /** {@code cacheDir()/workloads}: where build.sh puts binaries. */
    public Path workloadsDir() {
        return cacheDir().resolve("workloads");
    }

    /** The RISC-V binary of a workload (may not exist before {@link #build}). */
    public Path binary(Workload w) {
        return workloadsDir().resolve(w.binary());
    }

    /**
     * The host (x86-64) build of a spec program.
     *
     * @throws IllegalArgumentException for isa workloads, which have no native build
     */
    public Path nativeBinary(Workload w) {
        if (!w.isSpec()) {
            throw new IllegalArgumentException("workload " + w.name() + " (kind " + w.kind()
                    + ") has no native build");
        }
        return workloadsDir().resolve("native").resolve(w.name());
    }

    /**
     * Runs {@code workloads/build.sh} with the given workload names (none: build
     * everything), inheriting standard output and error. Up-to-date binaries are
     * not rebuilt.
     *
     * @return {@link #workloadsDir()}
     * @throws WorkloadBuildException if the script cannot be started or fails
     */
    public Path build(String... names) {
        runScript(BUILD_SCRIPT, "workload build", names);
        return workloadsDir();
    }

    /** {@code cacheDir()/linux}: where the guest Linux build puts Image, busybox, initramfs.cpio. */
    public Path linuxDir() {
        return cacheDir().resolve("linux");
    }

    /**
     * Runs {@code workloads/linux/build.sh} (all steps: kernel Image, busybox, initramfs.cpio),
     * inheriting standard output and error. It needs the packages and sources that
     * {@code workloads/linux/setup-linux.sh} installs; up-to-date outputs are not rebuilt.
     *
     * @return {@link #linuxDir()}
     * @throws WorkloadBuildException if the script cannot be started or fails
     */
    public Path buildLinux() {
        runScript(LINUX_BUILD_SCRIPT, "guest Linux build");
        return linuxDir();
    }

    private void runScript(String script, String what, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(projectRoot.resolve(script).toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(projectRoot.toFile()).inheritIO();
        pb.environment().put("DV_CACHE", cacheDir().toString());
        int rc;
        try {
            rc = pb.start().waitFor();
        } catch (IOException e) {
            throw new WorkloadBuildException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkloadBuildException("interrupted while running " + String.join(" ", cmd), e);
        }
        if (rc != 0) {
            throw new WorkloadBuildException(what + " failed (exit " + rc + "): " + String.join(" ", cmd)
                    + " -- see its output above");
        }
    }
}
