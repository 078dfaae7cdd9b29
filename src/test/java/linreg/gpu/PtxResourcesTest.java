package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the committed PTX in src/main/resources/ptx: one file per kernels/*.cu, built from the
 * current sources (scripts/build-ptx.sh records their hash), with an ISA version and target that
 * CUDA 11.8-era drivers JIT for Turing, and every kernel the Java side launches. With ptxas or
 * nvcc on PATH it also validates and rebuilds the files.
 */
class PtxResourcesTest {
    /** The ISA that JCuda 11.8-era drivers accept (docs: kernels/README.md). */
    static final int[] MAX_VERSION = {7, 8};
    /** Minimum GPU: Turing. */
    static final int MAX_TARGET = 75;

    /** Kernels the Java side calls by name, per source file. */
    static final Map<String, List<String>> ENTRIES = Map.of(
            "shuffle", List.of("shuffle_gather", "permutation_indices", "shuffle_gather_indirect"),
            "mae_gradient", List.of("mae_gradient", "validation_sums"),
            "sgd_update", List.of("sgd_update", "sgd_update_indirect", "parameter_average"),
            "data", List.of("finish_targets"),
            "fused", List.of("fused_epoch_warp4", "fused_epoch_warp16", "fused_epoch_block", "fused_epoch_grid"),
            "graph", List.of("epoch_advance"));

    private static final Pattern INCLUDE =
            Pattern.compile("^\\s*#\\s*include\\s*\"([^\"/]+\\.cuh)\"", Pattern.MULTILINE);
    private static final Pattern HASH_LINE =
            Pattern.compile("^// source-sha256: ([0-9a-f]{64})$", Pattern.MULTILINE);
    private static final Pattern VERSION =
            Pattern.compile("^\\.version\\s+(\\d+)\\.(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern TARGET =
            Pattern.compile("^\\.target\\s+sm_(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern NVCC_RELEASE =
            Pattern.compile("Cuda compilation tools, release [^\\r\\n]*");

    private static final String REBUILD = "run `make ptx` and commit src/main/resources/ptx";

    /** The repository root: the first directory upwards from the working dir with kernels/. */
    static Path projectRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("kernels"))) {
                return p;
            }
        }
        throw new IllegalStateException("no project root (pom.xml + kernels/) above " + dir);
    }

    static Path kernelsDir() {
        return projectRoot().resolve("kernels");
    }

    static Path ptxDir() {
        return projectRoot().resolve("src/main/resources/ptx");
    }

    /** Kernel names (file names without .cu), sorted. */
    static List<String> kernelSources() throws IOException {
        try (Stream<Path> files = Files.list(kernelsDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** The .cuh files that kernels/{file} includes, transitively, sorted by name. */
    static List<String> headersOf(String file) throws IOException {
        TreeSet<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(file));
        while (!todo.isEmpty()) {
            String text = Files.readString(kernelsDir().resolve(todo.pop()), StandardCharsets.ISO_8859_1);
            Matcher m = INCLUDE.matcher(text);
            while (m.find()) {
                if (seen.add(m.group(1))) {
                    todo.push(m.group(1));
                }
            }
        }
        return new ArrayList<>(seen);
    }

    /** sha256 of kernels/{name}.cu followed by its headers in {@link #headersOf} order. */
    static String sourceHash(String name) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        sha.update(Files.readAllBytes(kernelsDir().resolve(name + ".cu")));
        for (String h : headersOf(name + ".cu")) {
            sha.update(Files.readAllBytes(kernelsDir().resolve(h)));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String ptx(String name) throws IOException {
        Path file = ptxDir().resolve(name + ".ptx");
        assertTrue(Files.isRegularFile(file), "missing " + file + ": " + REBUILD);
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void everySourceHasItsPtxAndNoPtxIsOrphaned() throws IOException {
        List<String> sources = kernelSources();
        assertTrue(sources.containsAll(ENTRIES.keySet()), "kernels/ lacks one of " + ENTRIES.keySet());
        for (String name : sources) {
            ptx(name);
        }
        try (Stream<Path> files = Files.list(ptxDir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".ptx")) {
                    assertTrue(sources.contains(n.substring(0, n.length() - 4)),
                            p + " has no kernels/ source: " + REBUILD);
                }
            }
        }
    }

    @Test
    void ptxIsBuiltFromTheCurrentSources() throws IOException {
        for (String name : kernelSources()) {
            Matcher m = HASH_LINE.matcher(ptx(name));
            assertTrue(m.find(), name + ".ptx has no '// source-sha256:' line: " + REBUILD);
            assertEquals(sourceHash(name), m.group(1),
                    name + ".ptx is stale (kernels/" + name + ".cu or a header changed): " + REBUILD);
        }
    }

    @Test
    void ptxTargetsTuringWithAnIsaThatCuda118DriversJit() throws IOException {
        for (String name : kernelSources()) {
            String text = ptx(name);
            Matcher v = VERSION.matcher(text);
            assertTrue(v.find(), name + ".ptx has no .version");
            int major = Integer.parseInt(v.group(1));
            int minor = Integer.parseInt(v.group(2));
            assertTrue(major < MAX_VERSION[0] || (major == MAX_VERSION[0] && minor <= MAX_VERSION[1]),
                    name + ".ptx declares .version " + major + "." + minor + " > 7.8: " + REBUILD);
            Matcher t = TARGET.matcher(text);
            assertTrue(t.find(), name + ".ptx has no .target sm_NN");
            assertTrue(Integer.parseInt(t.group(1)) <= MAX_TARGET,
                    name + ".ptx targets sm_" + t.group(1) + ", newer than Turing (sm_75)");
            assertTrue(text.contains("\n.address_size 64"), name + ".ptx is not 64-bit");
        }
    }

    @Test
    void ptxDefinesEveryKernelTheJavaSideLaunches() throws IOException {
        for (Map.Entry<String, List<String>> e : ENTRIES.entrySet()) {
            String text = ptx(e.getKey());
            for (String kernel : e.getValue()) {
                assertTrue(Pattern.compile("\\.entry\\s+" + kernel + "\\s*\\(").matcher(text).find(),
                        e.getKey() + ".ptx has no .entry " + kernel);
            }
        }
    }

    /** Kernels.load asks for exactly these, and finds the fused kernels in FusedShape's order. */
    @Test
    void theJavaSideLoadsTheseEntries() {
        assertEquals(ENTRIES.size(), Kernels.MODULES.length, "modules");
        for (String[] module : Kernels.MODULES) {
            assertEquals(ENTRIES.get(module[0]), List.of(module).subList(1, module.length), "kernels of " + module[0]);
        }
        List<String> fused = ENTRIES.get("fused");
        for (FusedShape shape : FusedShape.values()) {
            assertEquals(fused.get(shape.ordinal()), shape.kernel, "Kernels.fused(" + shape + ")");
        }
    }

    @Test
    void ptxIsOnTheClasspath() throws IOException {
        for (String name : kernelSources()) {
            try (InputStream in = PtxResourcesTest.class.getResourceAsStream("/ptx/" + name + ".ptx")) {
                assertNotNull(in, "/ptx/" + name + ".ptx is not on the classpath");
                assertArrayEquals(Files.readAllBytes(ptxDir().resolve(name + ".ptx")), in.readAllBytes(),
                        "/ptx/" + name + ".ptx on the classpath differs from src/main/resources");
            }
        }
    }

    @Test
    void ptxasAcceptsTheCommittedPtx(@TempDir Path tmp) throws Exception {
        assumeTool("ptxas", "--version");
        for (String name : kernelSources()) {
            Run r = run(projectRoot(), 120, "ptxas", "-arch=sm_" + MAX_TARGET,
                    "-o", tmp.resolve(name + ".cubin").toString(),
                    ptxDir().resolve(name + ".ptx").toString());
            assertEquals(0, r.exit, "ptxas -arch=sm_75 rejects " + name + ".ptx:\n" + r.output);
        }
    }

    /** No committed kernel waits in a loop on a weak load: ptxas may read it once and drop the wait. */
    @Test
    void noKernelSpinsOnAWeakLoad() throws IOException {
        for (String name : kernelSources()) {
            assertEquals(List.of(), PtxSpins.find(ptx(name)), name + ".ptx polls with a weak load");
        }
    }

    /** The check finds the barrier that was committed with an ld.global.cv poll, and weak plain loads. */
    @Test
    void theSpinCheckFindsWeakPolls() throws IOException {
        String old = Files.readString(projectRoot().resolve("src/test/resources/ptx-fixtures/weak-grid-barrier.ptx"));
        List<String> found = PtxSpins.find(old);
        assertEquals(1, found.size(), "the old barrier's poll: " + found);
        assertTrue(found.get(0).startsWith("fused_epoch_grid: the loop at $L__BB3_711"), found.get(0));
        assertTrue(found.get(0).contains("ld.global.cv.u32 %r1062, [%rd72]"), found.get(0));

        String poll = ".visible .entry k(\n)\n{\n$L__BB0_1:\n\t%s %%r1, [%%rd1];\n\tadd.s32 %%r2, %%r1, -4;\n"
                + "\tsetp.lt.s32 %%p1, %%r2, 0;\n\t@%%p1 bra $L__BB0_1;\n\tret;\n}\n";
        for (String load : new String[] {"ld.global.u32", "ld.u32", "ld.global.cg.u32", "ld.global.nc.u32"}) {
            assertEquals(1, PtxSpins.find(String.format(poll, load)).size(), load + " is weak");
        }
        for (String load : new String[] {"ld.acquire.gpu.global.u32", "ld.relaxed.gpu.u32", "ld.volatile.global.u32",
                "ld.shared.u32", "ld.param.u32"}) {
            assertEquals(List.of(), PtxSpins.find(String.format(poll, load)), load + " may be polled");
        }
        // A loop that only reads data (its exit counts iterations) is no poll.
        String data = ".visible .entry k(\n)\n{\n$L__BB0_1:\n\tld.global.f32 %f1, [%rd1];\n\tadd.f32 %f2, %f2, %f1;\n"
                + "\tadd.s32 %r1, %r1, 1;\n\tsetp.lt.s32 %p1, %r1, %r9;\n\t@%p1 bra $L__BB0_1;\n\tret;\n}\n";
        assertEquals(List.of(), PtxSpins.find(data));
    }

    /**
     * A rebuild with the same nvcc release gives the same instructions (comment lines aside), so
     * the committed PTX is what the sources and scripts/build-ptx.sh produce.
     */
    @Test
    void rebuildingWithTheSameNvccGivesTheSameInstructions(@TempDir Path tmp) throws Exception {
        String nvcc = assumeTool("nvcc", "--version");
        assumeTool("ptxas", "--version");
        assumeTool("bash", "--version");
        Matcher local = NVCC_RELEASE.matcher(nvcc);
        Assumptions.assumeTrue(local.find(), "cannot read the release from `nvcc --version`");
        for (String name : kernelSources()) {
            Matcher committed = NVCC_RELEASE.matcher(ptx(name));
            Assumptions.assumeTrue(committed.find() && committed.group().equals(local.group()),
                    name + ".ptx was built by another nvcc release than the local " + local.group()
                            + "; instruction text is only comparable with the same release");
        }
        Run r = run(projectRoot(), 300, "bash", "scripts/build-ptx.sh", tmp.toString());
        assertEquals(0, r.exit, "scripts/build-ptx.sh failed:\n" + r.output);
        for (String name : kernelSources()) {
            String rebuilt = Files.readString(tmp.resolve(name + ".ptx"), StandardCharsets.UTF_8);
            assertEquals(instructions(ptx(name)), instructions(rebuilt),
                    name + ".ptx differs from a fresh build: " + REBUILD);
        }
    }

    private static String instructions(String ptx) {
        return ptx.lines().filter(l -> !l.startsWith("//")).collect(Collectors.joining("\n"));
    }

    // ---- processes (shared with KernelHostCodeTest) ----

    record Run(int exit, String output) {}

    /** Runs {@code command} in {@code dir}, stdout and stderr together, killed after the timeout. */
    static Run run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(Map.of(), dir, timeoutSeconds, command);
    }

    /** {@link #run(Path, long, String...)} with {@code env} added to the environment. */
    static Run run(Map<String, String> env, Path dir, long timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("linreg-run", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** Skips the test (with the reason) unless {@code tool} runs; returns its version output. */
    static String assumeTool(String tool, String versionFlag) {
        try {
            Run r = run(projectRoot(), 60, tool, versionFlag);
            Assumptions.assumeTrue(r.exit == 0, tool + " " + versionFlag + " failed: " + r.output);
            return r.output;
        } catch (IOException e) {
            Assumptions.abort(tool + " is not on PATH (" + e.getMessage() + "); check skipped");
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
