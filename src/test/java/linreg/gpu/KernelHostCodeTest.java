package linreg.gpu;

import static linreg.gpu.PtxResourcesTest.projectRoot;
import static linreg.gpu.PtxResourcesTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import linreg.cpu.CpuTrainer;
import linreg.cpu.MaeGradient;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SampleWeights;
import linreg.data.SyntheticData;
import linreg.gpu.PtxResourcesTest.Run;
import linreg.spec.CanonicalSum;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.spec.Optimiser;
import linreg.spec.Permutation;
import linreg.spec.Residual;
import linreg.spec.SampleWeighting;
import linreg.spec.Seeds;
import linreg.spec.SgdUpdate;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.TrainingHistory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * The kernels' host-side twins, checked against the Java reference without a GPU.
 *
 * <p>kernels/canonical.cuh is compiled as plain C++ (g++) and its seeds, round keys and
 * permutation are compared with {@link Seeds}, {@link Permutation} and the test vectors of
 * docs/algorithm.md. Then kernels/*.cu themselves are compiled for the host through a small CUDA
 * emulation (src/test/resources/kernels/cuda_emu.h: a fiber per CUDA thread, barriers and warp
 * shuffles, thread orders that expose a missing barrier) and their outputs must equal
 * {@link MaeGradient}, {@link SgdUpdate} and {@link Permutation} bit for bit, and the fused
 * strategy's whole epochs must equal {@link CpuTrainer}'s. That checks the kernels' operation
 * order, indexing and barriers (and, with blocks on real threads, the grid barrier); memory-model
 * and timing questions stay with the GPU tests.
 */
class KernelHostCodeTest {
    @TempDir
    static Path bin;
    static Path canonicalHost;
    static Path kernelsEmu;

    /** Why the host programs could not be built (g++ missing), or null. */
    static String skipReason;

    @BeforeAll
    static void compile() throws Exception {
        try {
            PtxResourcesTest.assumeTool("g++", "--version");
        } catch (TestAbortedException e) {
            skipReason = e.getMessage();  // each test then skips itself, so the reports show why
            return;
        }
        Path kernels = projectRoot().resolve("kernels");
        canonicalHost = bin.resolve("canonical_host");
        gxx("-std=c++17", "-O2", "-Wall", "-Wextra", "-I" + kernels,
                emulatorSources().resolve("canonical_host.cpp").toString(), "-o", canonicalHost.toString());
        kernelsEmu = buildEmulator(kernels, bin.resolve("kernels_emu"));
    }

    /** The host programs and the CUDA emulation they compile the kernels with. */
    private static Path emulatorSources() {
        return projectRoot().resolve("src/test/resources/kernels");
    }

    /** Compiles the emulator of the kernels in {@code kernels} into {@code binary}. */
    private static Path buildEmulator(Path kernels, Path binary) throws Exception {
        Path resources = emulatorSources();
        // -ffp-contract=off: host float arithmetic must not fuse either; the kernels' own fmaf
        // calls map onto C's correctly rounded fmaf.
        // kernel_args.h: the kernels' parameters as linreg.gpu.KernelSignature declares them (C++20
        // designated initializers check the emulator's launches against it).
        Path generated = Files.createDirectories(binary.resolveSibling(binary.getFileName() + "-include"));
        Files.writeString(generated.resolve("kernel_args.h"), EmulatorKernelArgs.header());
        gxx("-std=c++20", "-O1", "-Wall", "-Wno-unknown-pragmas", "-ffp-contract=off",
                "-fno-strict-aliasing", "-pthread", "-I" + kernels, "-I" + resources, "-I" + generated,
                resources.resolve("kernels_emu.cpp").toString(), "-o", binary.toString());
        return binary;
    }

    private static void gxx(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("g++"));
        cmd.addAll(List.of(args));
        Run r = run(bin, 300, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), "g++ failed:\n" + r.output());
    }

    // ---- canonical.cuh ----

    private static List<String> ask(String... queries) throws Exception {
        Assumptions.assumeTrue(skipReason == null, skipReason);
        Path in = bin.resolve("queries.txt");
        Files.writeString(in, String.join("\n", queries) + "\n");
        Path out = bin.resolve("answers.txt");
        Run r = run(bin, 300, "sh", "-c", "\"$0\" < \"$1\" > \"$2\"", canonicalHost.toString(),
                in.toString(), out.toString());
        assertEquals(0, r.exit(), "canonical_host failed:\n" + r.output());
        List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
        assertEquals(queries.length, lines.size(), "one answer per query");
        return lines;
    }

    private static String hex64(long v) {
        return String.format("%016x", v);
    }

    private static String keys(int[] k) {
        StringBuilder b = new StringBuilder();
        for (int key : k) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%08x", key));
        }
        return b.toString();
    }

    /** A permutation row of the docs/algorithm.md §2 table; keys null where the cell is empty. */
    record DocPerm(long seed, int epoch, String keys, int n, String[] head, String last) {}

    private static final Pattern DOC_STREAM =
            Pattern.compile("`stream\\((\\d+), (\\d+)\\) = 0x([0-9a-f]{16})`");
    private static final Pattern DOC_PERM = Pattern.compile(
            "^\\| (\\d+) \\| (\\d+) \\| ([0-9a-f ]*?) ?\\| (\\d+) \\| ([0-9 ]+?)(?: … (\\d+))? \\|$",
            Pattern.MULTILINE);

    private static String docs() throws IOException {
        return Files.readString(projectRoot().resolve("docs/algorithm.md"), StandardCharsets.UTF_8);
    }

    /** The §2 table; a row with an empty keys cell inherits the keys of the row above. */
    static List<DocPerm> docPerms() throws IOException {
        List<DocPerm> rows = new ArrayList<>();
        String keys = null;
        Matcher m = DOC_PERM.matcher(docs());
        while (m.find()) {
            long seed = Long.parseLong(m.group(1));
            int epoch = Integer.parseInt(m.group(2));
            if (!m.group(3).isBlank()) {
                keys = m.group(3).trim();
            }
            rows.add(new DocPerm(seed, epoch, keys, Integer.parseInt(m.group(4)), m.group(5).trim().split(" "),
                    m.group(6)));
        }
        assertTrue(rows.size() >= 5, "docs/algorithm.md §2 test vectors not found (table format changed?)");
        return rows;
    }

    @Test
    void seedsMatchJavaAndTheDocumentedVectors() throws Exception {
        List<long[]> cases = new ArrayList<>();
        List<String> documented = new ArrayList<>();
        Matcher m = DOC_STREAM.matcher(docs());
        while (m.find()) {
            cases.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            documented.add(m.group(3));
        }
        assertTrue(documented.size() >= 4, "docs/algorithm.md §1 test vectors not found");
        cases.add(new long[] {-1, 3});
        cases.add(new long[] {0x123456789abcdefL, 2});
        String[] queries = new String[cases.size()];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = "stream " + Long.toHexString(cases.get(i)[0]) + " " + Long.toHexString(cases.get(i)[1]);
        }
        List<String> got = ask(queries);
        for (int i = 0; i < queries.length; i++) {
            assertEquals(hex64(Seeds.stream(cases.get(i)[0], cases.get(i)[1])), got.get(i), queries[i]);
            if (i < documented.size()) {
                assertEquals(documented.get(i), got.get(i), queries[i] + " (docs/algorithm.md)");
            }
        }
    }

    @Test
    void roundKeysMatchJavaAndTheDocumentedVectors() throws Exception {
        List<DocPerm> cases = new ArrayList<>(docPerms());
        cases.add(new DocPerm(-1L, 7, null, 0, null, null));
        cases.add(new DocPerm(99L, Integer.MAX_VALUE, null, 0, null, null));
        cases.add(new DocPerm(5L, -1, null, 0, null, null));
        String[] queries = new String[cases.size()];
        for (int i = 0; i < queries.length; i++) {
            long permSeed = Seeds.stream(cases.get(i).seed(), Seeds.PERMUTATION);
            queries[i] = "keys " + Long.toHexString(permSeed) + " " + Integer.toUnsignedString(cases.get(i).epoch());
        }
        List<String> got = ask(queries);
        for (int i = 0; i < queries.length; i++) {
            DocPerm c = cases.get(i);
            long permSeed = Seeds.stream(c.seed(), Seeds.PERMUTATION);
            assertEquals(keys(Permutation.roundKeys(permSeed, c.epoch())), got.get(i), queries[i]);
            if (c.keys() != null) {
                assertEquals(c.keys(), got.get(i), "keys of seed " + c.seed() + ", epoch " + c.epoch()
                        + " (docs/algorithm.md)");
            }
        }
    }

    @Test
    void lanesMatchJava() throws Exception {
        String[] queries = new String[3000];
        for (int m = 1; m <= queries.length; m++) {
            queries[m - 1] = "lanes " + m;
        }
        List<String> got = ask(queries);
        for (int m = 1; m <= queries.length; m++) {
            assertEquals(Integer.toString(CanonicalSum.lanes(m)), got.get(m - 1), "lanes(" + m + ")");
        }
    }

    static Stream<Arguments> permutations() {
        List<Arguments> all = new ArrayList<>();
        long[][] seedEpochs = {{0, 0}, {0, 1}, {42, 0}, {42, 1}, {-1, 7}, {7, Integer.MAX_VALUE}, {5, -1}};
        for (int n : new int[] {1, 2, 3, 4, 5, 10, 16, 17, 500, 4096}) {
            for (long[] se : seedEpochs) {
                all.add(Arguments.of(se[0], (int) se[1], n));
            }
        }
        for (long[] se : new long[][] {{0, 0}, {42, 1}, {-1, 7}}) {
            all.add(Arguments.of(se[0], (int) se[1], 1000003));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "seed {0}, epoch {1}, n {2}")
    @MethodSource("permutations")
    void permutationMatchesJavaAndTheDocumentedVectors(long seed, int epoch, int n) throws Exception {
        long permSeed = Seeds.stream(seed, Seeds.PERMUTATION);
        String line = ask("perm " + Long.toHexString(permSeed) + " " + Integer.toUnsignedString(epoch) + " " + n)
                .get(0);
        String[] got = line.split(" ");
        assertEquals(n, got.length, "perm values");
        Permutation ref = Permutation.of(permSeed, epoch, n);
        boolean[] hit = new boolean[n];
        for (int p = 0; p < n; p++) {
            int v = Integer.parseInt(got[p]);
            if (v != ref.apply(p)) {
                fail("perm(" + p + ") = " + v + ", Java says " + ref.apply(p));
            }
            assertTrue(!hit[v], "perm is not a bijection at " + v);
            hit[v] = true;
        }
        for (DocPerm doc : docPerms()) {
            if (doc.seed() == seed && doc.epoch() == epoch && doc.n() == n) {
                for (int p = 0; p < doc.head().length; p++) {
                    assertEquals(doc.head()[p], got[p], "perm(" + p + ") (docs/algorithm.md)");
                }
                if (doc.last() != null) {
                    assertEquals(doc.last(), got[n - 1], "perm(n-1) (docs/algorithm.md)");
                }
            }
        }
    }

    // ---- kernels/*.cu on the host ----

    /** Little-endian writer of the emulator's input files. */
    private static final class Le {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Le i(int... vs) {
            ByteBuffer b = ByteBuffer.allocate(4 * vs.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : vs) {
                b.putInt(v);
            }
            bytes.writeBytes(b.array());
            return this;
        }

        Le l(long v) {
            bytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        Le f(float... vs) {
            ByteBuffer b = ByteBuffer.allocate(4 * vs.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : vs) {
                b.putFloat(v);
            }
            bytes.writeBytes(b.array());
            return this;
        }

        Le d(double... vs) {
            ByteBuffer b = ByteBuffer.allocate(8 * vs.length).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : vs) {
                b.putDouble(v);
            }
            bytes.writeBytes(b.array());
            return this;
        }
    }

    /** Runs one emulated command; returns its output file as a little-endian buffer. */
    private static ByteBuffer emulate(String command, Le input) throws Exception {
        Assumptions.assumeTrue(skipReason == null, skipReason);
        Path out = Files.createTempFile(bin, command, ".out");
        try {
            Run r = emulate(kernelsEmu, Map.of(), command, input, out);
            assertEquals(0, r.exit(), "kernels_emu " + command + " failed:\n" + r.output());
            return ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs {@code command} of the emulator {@code binary} on {@code input}, its output into {@code out}. */
    private static Run emulate(Path binary, Map<String, String> env, String command, Le input, Path out)
            throws Exception {
        Path in = Files.createTempFile(bin, command, ".in");
        try {
            Files.write(in, input.bytes.toByteArray());
            return run(env, bin, 180, binary.toString(), command, in.toString(), out.toString());
        } finally {
            Files.deleteIfExists(in);
        }
    }

    private static float[] floats(ByteBuffer b, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = b.getFloat();
        }
        return a;
    }

    private static int[] bits(float[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Float.floatToRawIntBits(a[i]);
        }
        return r;
    }

    private static float[] gaussians(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * r.nextGaussian());
        }
        return a;
    }

    /** The canonical x_i·w chain of docs/algorithm.md §4 (what cuBLAS would be asked to match). */
    private static float dot(float[] x, int row, int d, float[] params) {
        float acc = x[row * d] * params[0];
        for (int j = 1; j < d; j++) {
            acc = Math.fma(x[row * d + j], params[j], acc);
        }
        return acc;
    }

    /**
     * docs/algorithm.md §4 transcribed independently of MaeGradient, from given dot products; with
     * {@code checked}, the residuals go through the sign check (Residual.checkedResidual): the
     * reference for the kernel's pred != nullptr path.
     */
    private static float[] canonicalSums(float[] acc, float[] x, float[] y, float[] params, int m, int d, boolean checked) {
        int q = d + 2;
        float[] total = new float[q];
        int lanes = CanonicalSum.lanes(m);
        for (int seg = 0; seg * 1024 < m; seg++) {
            float[][] p = new float[q][lanes];
            for (int t = 0; seg * 1024 + t < m && t < 1024; t++) {
                int i = seg * 1024 + t;
                float r = checked ? Residual.checkedResidual(acc[i], x, y, d, i, params) : (acc[i] + params[d]) - y[i];
                float s = r > 0 ? 1f : (r < 0 ? -1f : 0f);
                p[0][t % lanes] += Math.abs(r);
                p[1][t % lanes] += s;
                for (int j = 0; j < d; j++) {
                    p[2 + j][t % lanes] += s * x[i * d + j];
                }
            }
            for (int k = 0; k < q; k++) {
                for (int h = lanes / 2; h > 0; h /= 2) {
                    for (int l = 0; l < h; l++) {
                        p[k][l] = p[k][l] + p[k][l + h];
                    }
                }
                total[k] = seg == 0 ? p[k][0] : total[k] + p[k][0];
            }
        }
        return total;
    }

    static Stream<Arguments> maeShapes() {
        List<Arguments> all = new ArrayList<>();
        int[] ms = {1, 2, 3, 5, 16, 100, 255, 256, 257, 1000, 1023, 1024, 1025, 2048, 3000, 5000};
        for (int d : new int[] {1, 4}) {
            for (int m : ms) {
                all.add(Arguments.of(d, m));
            }
        }
        for (int d : new int[] {7, 8, 9, 16, 17}) {   // around the 8-feature rounds
            all.add(Arguments.of(d, 700));
            all.add(Arguments.of(d, 1300));
        }
        for (int m : new int[] {1, 7, 256, 1000, 1025, 2500}) {
            all.add(Arguments.of(300, m));
        }
        for (int m : new int[] {3, 600, 1500}) {
            all.add(Arguments.of(1024, m));
        }
        // The last block's combine: one chunk (above), several chunks of segment totals (1300:
        // 3 segments a chunk; 4096: 1), and direct loads when one segment's totals exceed it.
        all.add(Arguments.of(1300, 4100));
        all.add(Arguments.of(4096, 1030));
        all.add(Arguments.of(5200, 1100));
        return all.stream();
    }

    /** A batch with exact-zero residuals (sign 0) and ±0 features among Gaussian data. */
    private static float[][] batch(int m, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = gaussians(r, m * d, 1.0);
        float[] params = gaussians(r, d + 1, 0.5);
        float[] y = gaussians(r, m, 2.0);
        for (int i = 0; i < m; i++) {
            if (i % 5 == 0) {
                x[i * d + i % d] = i % 10 == 0 ? 0f : -0f;
            }
            if (i % 7 == 3) {
                y[i] = dot(x, i, d, params) + params[d];  // r = 0 exactly
            }
        }
        return new float[][] {x, y, params};
    }

    @ParameterizedTest(name = "d {0}, m {1}")
    @MethodSource("maeShapes")
    void maeGradientMatchesMaeGradient(int d, int m) throws Exception {
        float[][] data = batch(m, d, 31L * d + m);
        float[] x = data[0];
        float[] y = data[1];
        float[] params = data[2];
        float[] want = new float[d + 2];
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = i;
        }
        new MaeGradient(d).compute(x, y, rows, 0, m, params, want);

        // Launches under different thread orders (fewer for the slow wide cases); each must find
        // the counter reset.
        int reps = d >= 1024 ? 1 : 3;
        ByteBuffer out = emulate("mae", new Le().i(m, d, 0, reps).f(1f, 1f).f(x).f(y).f(params).i(0));
        for (int rep = 0; rep < reps; rep++) {
            float[] got = floats(out, d + 2);
            assertArrayEquals(bits(want), bits(got), "sums of launch " + rep + " (d " + d + ", m " + m + ")");
            assertEquals(0, out.getInt(), "counter after launch " + rep);
        }

        if (d <= 300) {  // the reference itself, on the same data
            float[] acc = new float[m];
            for (int i = 0; i < m; i++) {
                acc[i] = dot(x, i, d, params);
            }
            assertArrayEquals(bits(want), bits(canonicalSums(acc, x, y, params, m, d, false)), "test reference");
        }
    }

    static Stream<Arguments> predShapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(4, 16), Arguments.of(4, 300), Arguments.of(4, 4000),
                Arguments.of(33, 1500));
    }

    /**
     * With pred (cuBLAS's x_i·w) the kernel takes it, unless the residual is within the sign
     * margin of zero: some targets sit exactly on the prediction and some predictions are one
     * ulp off, so the check has work to do, and the sums must equal the canonical ones.
     */
    @ParameterizedTest(name = "d {0}, m {1}")
    @MethodSource("predShapes")
    void maeGradientUsesGivenPredictions(int d, int m) throws Exception {
        float[][] data = batch(m, d, 977L * d + m);
        float[] x = data[0];
        float[] y = data[1];
        float[] params = data[2];
        float[] exact = new float[m];
        float[] nudged = new float[m];
        for (int i = 0; i < m; i++) {
            exact[i] = dot(x, i, d, params);
            nudged[i] = i % 3 == 0 ? Math.nextUp(exact[i]) : exact[i];  // as a differently ordered gemv might
            if (i % 7 == 0) {
                y[i] = exact[i] + params[d];  // a residual of (about) zero, whose sign the nudge would flip
            }
        }
        for (float[] pred : new float[][] {exact, nudged}) {
            ByteBuffer out = emulate("mae", new Le().i(m, d, 1, 1).f(1f, 1f).f(x).f(y).f(params).f(pred).i(0));
            float[] got = floats(out, d + 2);
            assertArrayEquals(bits(canonicalSums(pred, x, y, params, m, d, true)), bits(got),
                    "sums from pred (d " + d + ", m " + m + ")");
            assertEquals(0, out.getInt(), "counter");
        }
    }

    static Stream<Arguments> quantileShapes() {
        List<Arguments> all = new ArrayList<>();
        for (double tau : new double[] {0.1, 0.5, 0.9, 0.37}) {
            for (int[] dm : new int[][] {{1, 1}, {4, 16}, {4, 300}, {4, 3000}, {9, 1300}, {300, 257}}) {
                all.add(Arguments.of(tau, dm[0], dm[1]));
            }
        }
        return all.stream();
    }

    /**
     * The quantile loss through mae_gradient (objective.cuh), with and without given predictions,
     * against MaeGradient under the same Objective, bit for bit; at τ = 0.5 both must also be
     * the MAE's sums.
     */
    @ParameterizedTest(name = "tau {0}, d {1}, m {2}")
    @MethodSource("quantileShapes")
    void quantileGradientMatchesMaeGradient(double tau, int d, int m) throws Exception {
        Objective objective = Objective.quantile(tau);
        float[][] data = batch(m, d, 53L * d + m + (long) (tau * 100));
        float[] x = data[0];
        float[] y = data[1];
        float[] params = data[2];
        float[] want = new float[d + 2];
        new MaeGradient(d, objective).compute(x, y, null, 0, m, params, want);
        ByteBuffer out = emulate("mae", new Le().i(m, d, 0, 2).f(objective.above(), objective.below()).f(x).f(y)
                .f(params).i(0));
        for (int rep = 0; rep < 2; rep++) {
            assertArrayEquals(bits(want), bits(floats(out, d + 2)), "sums of launch " + rep);
            assertEquals(0, out.getInt(), "counter after launch " + rep);
        }
        float[] pred = new float[m];
        for (int i = 0; i < m; i++) {
            pred[i] = dot(x, i, d, params);
        }
        out = emulate("mae", new Le().i(m, d, 1, 1).f(objective.above(), objective.below()).f(x).f(y).f(params)
                .f(pred).i(0));
        float[] fromPred = floats(out, d + 2);
        // Only |r| may round differently from given predictions; the gradient is the canonical one.
        assertArrayEquals(bits(Arrays.copyOfRange(want, 1, d + 2)), bits(Arrays.copyOfRange(fromPred, 1, d + 2)),
                "gradient sums from pred");
        float[] mae = new float[d + 2];
        new MaeGradient(d).compute(x, y, null, 0, m, params, mae);
        if (tau == 0.5) {
            assertArrayEquals(bits(mae), bits(want), "quantile 0.5 is the MAE, bit for bit");
        } else {
            assertNotEquals(Float.floatToRawIntBits(mae[1]), Float.floatToRawIntBits(want[1]),
                    "G_b of tau " + tau + " differs from the MAE's");
        }
    }

    /** d, m, threads, then momentum, Nesterov (0/1), clipping norm: plain, momentum, Nesterov, clipping. */
    static Stream<Arguments> sgdCases() {
        List<Arguments> all = new ArrayList<>();
        int[][] shapes = {{1, 16, 1}, {4, 16, 32}, {4, 1000, 256}, {4, 7, 3}, {300, 5000, 64}, {1024, 3, 256}};
        float[][] rules = {{0f, 0, 0f}, {0.9f, 0, 0f}, {0.8f, 1, 0f}, {0f, 0, 0.5f}, {0.5f, 1, 0.05f}, {0f, 0, 1e6f}};
        for (int[] shape : shapes) {
            for (float[] rule : rules) {
                all.add(Arguments.of(shape[0], shape[1], shape[2], rule[0], rule[1] != 0, rule[2]));
            }
        }
        return all.stream();
    }

    /** Three steps in a row (so the velocity carries over) against SgdUpdate, bit for bit. */
    @ParameterizedTest(name = "d {0}, m {1}, threads {2}, momentum {3}, nesterov {4}, clip {5}")
    @MethodSource("sgdCases")
    void sgdUpdateMatchesSgdUpdate(int d, int m, int threads, float momentum, boolean nesterov, float clip)
            throws Exception {
        assertSgdUpdateMatches(d, m, threads, momentum, nesterov, clip, true, 0f, 0f);
    }

    /** d, m, threads, momentum, Nesterov, clipping norm, then the intercept, L2 and L1 (sgd_update's penalties). */
    static Stream<Arguments> penaltyCases() {
        List<Arguments> all = new ArrayList<>();
        int[][] shapes = {{1, 16, 1}, {4, 7, 3}, {300, 5000, 64}, {1024, 3, 256}};
        Object[][] rules = {{0f, false, 0f, false, 0f, 0f}, {0f, false, 0f, true, 0.3f, 0f}, {0f, false, 0f, true, 0f, 0.5f},
            {0.9f, true, 0.5f, false, 0.2f, 0.1f}, {0f, false, 0.05f, false, 0f, 0f}, {0.5f, false, 1e6f, true, 1e-3f, 2f}};
        for (int[] shape : shapes) {
            for (Object[] rule : rules) {
                all.add(Arguments.of(shape[0], shape[1], shape[2], rule[0], rule[1], rule[2], rule[3], rule[4], rule[5]));
            }
        }
        return all.stream();
    }

    /** Three steps with the intercept off or the penalties on against SgdUpdate, bit for bit; b stays 0 without an intercept. */
    @ParameterizedTest(name = "d {0}, m {1}, threads {2}, momentum {3}, nesterov {4}, clip {5}, intercept {6}, l2 {7}, l1 {8}")
    @MethodSource("penaltyCases")
    void sgdUpdatePenaltiesAndInterceptMatchSgdUpdate(int d, int m, int threads, float momentum, boolean nesterov,
            float clip, boolean intercept, float l2, float l1) throws Exception {
        float[] params = assertSgdUpdateMatches(d, m, threads, momentum, nesterov, clip, intercept, l2, l1);
        if (!intercept) {
            assertEquals(0, Float.floatToRawIntBits(params[d]), "b stays +0 without an intercept");
        }
    }

    /** The emulated sgd_update of three steps against SgdUpdate; returns the kernel's parameters. */
    private static float[] assertSgdUpdateMatches(int d, int m, int threads, float momentum, boolean nesterov, float clip,
            boolean intercept, float l2, float l1) throws Exception {
        SplittableRandom r = new SplittableRandom(7L * d + m + threads);
        float lr = 0.03f;
        int steps = 3;
        float[] params = gaussians(r, d + 1, 1.0);
        float[][] sums = new float[steps][];
        if (!intercept) {
            params[d] = 0f;  // TrainConfig's start without an intercept
        }
        Le input = new Le().i(d, m, threads, nesterov ? 1 : 0, steps).f(lr).f(momentum).f(clip).i(intercept ? 1 : 0)
                .f(l2, l1).i(0).f(params).f(new float[d + 1]);
        for (int k = 0; k < steps; k++) {
            sums[k] = gaussians(r, d + 2, m);
            sums[k][0] = Math.abs(sums[k][0]) + 0.1f;
            sums[k][1] = (float) r.nextInt(-m, m + 1);
            input.f(sums[k]);
        }
        double[] stats = {1.25, 1000.5};
        ByteBuffer out = emulate("sgd", input.d(stats));

        float[] want = params.clone();
        SgdUpdate update = new SgdUpdate(TrainConfig.builder().momentum(momentum).nesterov(nesterov)
                .clipNorm(clip > 0 ? clip : null).intercept(intercept).l2(l2).l1(l1).build().optimiser(), d);
        double wantLoss = stats[0];
        double wantAbs = stats[1];
        for (int k = 0; k < steps; k++) {
            update.apply(want, sums[k], m, lr);
            wantLoss += (double) (sums[k][0] / (float) m);
            wantAbs += (double) sums[k][0];
        }
        String where = "d " + d + ", m " + m + ", threads " + threads + ", momentum " + momentum + ", clip " + clip
                + ", intercept " + intercept + ", l2 " + l2 + ", l1 " + l1;
        float[] got = floats(out, d + 1);
        assertArrayEquals(bits(want), bits(got), "params, " + where);
        floats(out, d + 1);  // the velocity: checked through the parameters of steps 2 and 3
        assertArrayEquals(new int[d + 2], bits(floats(out, d + 2)), "sums zeroed, " + where);
        assertEquals(Double.doubleToRawLongBits(wantLoss), Double.doubleToRawLongBits(out.getDouble()),
                "epoch loss sum, " + where);
        assertEquals(Double.doubleToRawLongBits(wantAbs), Double.doubleToRawLongBits(out.getDouble()),
                "epoch |r| sum, " + where);
        return got;
    }

    /** The validation kernel against ValidationMetrics.sums, bit for bit, single and multi-segment. */
    @ParameterizedTest(name = "m {0}, d {1}")
    @CsvSource({"1, 4", "17, 1", "256, 4", "1000, 3", "1025, 4", "5000, 300"})
    void validationSumsMatchTheCpu(int m, int d) throws Exception {
        float[][] data = batch(m, d, 31L * m + d);
        float[] x = data[0];
        float[] y = data[1];
        float[] params = data[2];
        float[] want = linreg.train.ValidationMetrics.sums(linreg.data.Dataset.of(x, y, d, "test", null, null), params);
        ByteBuffer out = emulate("validation", new Le().i(m, d, 0).f(x).f(y).f(params));
        for (int rep = 0; rep < 3; rep++) {
            assertArrayEquals(bits(want), bits(floats(out, 2)), "launch " + rep + " (m " + m + ", d " + d + ")");
            assertEquals(0, out.getInt(), "counter");
        }
    }

    static Stream<Arguments> shuffleShapes() {
        // n, d, grid, threads: thread-per-row (d < 32; d = 4 takes the 16-byte path), warp-per-row,
        // a partial warp (100 threads), grid-stride with few blocks.
        return Stream.of(Arguments.of(1, 4, 1, 32), Arguments.of(2, 4, 1, 32), Arguments.of(10, 4, 2, 32),
                Arguments.of(1000, 4, 3, 64), Arguments.of(1000, 3, 3, 64), Arguments.of(500, 1, 1, 128),
                Arguments.of(300, 31, 2, 64), Arguments.of(300, 32, 2, 64), Arguments.of(100, 300, 3, 100),
                Arguments.of(37, 1024, 2, 64), Arguments.of(1000003, 1, 4, 256));
    }

    @ParameterizedTest(name = "n {0}, d {1}, grid {2}x{3}")
    @MethodSource("shuffleShapes")
    void shuffleGatherAndPermutationIndicesMatchPermutation(int n, int d, int grid, int threads) throws Exception {
        int epoch = n % 3;
        long permSeed = Seeds.stream(n + d, Seeds.PERMUTATION);
        SplittableRandom r = new SplittableRandom(n);
        float[] x = gaussians(r, n * d, 1.0);
        float[] y = gaussians(r, n, 1.0);
        float[] v = gaussians(r, n, 1.0);  // sample weights: gathered with their rows
        ByteBuffer out = emulate("shuffle", new Le().i(n, d, grid, threads, epoch).l(permSeed).f(x).f(y).i(1).f(v));
        float[] xs = floats(out, n * d);
        float[] ys = floats(out, n);
        float[] vs = floats(out, n);
        Permutation ref = Permutation.of(permSeed, epoch, n);
        for (int p = 0; p < n; p++) {
            int src = ref.apply(p);
            assertEquals(src, out.getInt(), "permutation_indices[" + p + "]");
            assertEquals(Float.floatToRawIntBits(y[src]), Float.floatToRawIntBits(ys[p]), "ys[" + p + "]");
            assertEquals(Float.floatToRawIntBits(v[src]), Float.floatToRawIntBits(vs[p]), "vs[" + p + "]");
            for (int j = 0; j < d; j++) {
                if (Float.floatToRawIntBits(x[src * d + j]) != Float.floatToRawIntBits(xs[p * d + j])) {
                    fail("Xs[" + p + "][" + j + "] is not X[" + src + "][" + j + "]");
                }
            }
        }
    }

    /** Partial blocks, d = 1, 4, a partial warp's worth and wide rows; few blocks (grid-stride). */
    static Stream<Arguments> finishShapes() {
        return Stream.of(Arguments.of(1, 1, 1, 32), Arguments.of(1000, 4, 2, 128), Arguments.of(777, 1, 3, 64),
                Arguments.of(300, 31, 2, 64), Arguments.of(50, 1100, 1, 32), Arguments.of(4099, 4, 4, 256));
    }

    /** finish_targets is DeviceDataGenerator.target bit for bit, on fresh random data every run. */
    @ParameterizedTest(name = "n {0}, d {1}, grid {2}x{3}")
    @MethodSource("finishShapes")
    void finishTargetsIsTheCanonicalDotProductPlusNoise(int n, int d, int grid, int threads) throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = gaussians(r, n * d, 1.0);
        float[] w = gaussians(r, d, 5.0);
        float[] noise = gaussians(r, n, 1.0);
        float trueB = (float) r.nextGaussian();
        float noiseStd = 0.01f;
        float[] got = floats(emulate("finish", new Le().i(n, d, grid, threads).f(trueB, noiseStd).f(x).f(w).f(noise)), n);
        float[] want = new float[n];
        int unfused = 0;
        for (int i = 0; i < n; i++) {
            want[i] = DeviceDataGenerator.target(x, i, w, trueB, noiseStd, noise[i]);
            assertTrue(Float.isFinite(want[i]) && Float.isFinite(got[i]), "y[" + i + "] is not finite (seed " + seed + ")");
            float plain = 0;
            for (int j = 0; j < d; j++) {
                plain += x[i * d + j] * w[j];
            }
            unfused += Float.floatToRawIntBits((plain + trueB) + noiseStd * noise[i]) != Float.floatToRawIntBits(want[i]) ? 1 : 0;
        }
        assertArrayEquals(bits(want), bits(got), "y (seed " + seed + ")");
        if (n * (d - 1) >= 1000) {
            // The data has teeth: a sum without fma would differ from the chain in some rows.
            assertTrue(unfused > 0, "no row tells the fma chain from a plain sum (seed " + seed + ")");
        }
    }

    /**
     * The kernels a replayed pipeline epoch runs with its number in device memory: the same
     * gather and step as with the number and rate as arguments, the epoch's sums in its own
     * record, and epoch_advance moving the number on after copying the validation sums. A run
     * continued from epoch {@code first} gathers in the order of epoch first + the number.
     */
    @ParameterizedTest(name = "n {0}, d {1}, epoch {2}, momentum {3}, first epoch {4}")
    @CsvSource({"100, 4, 0, 0, 0", "300, 33, 3, 0.9, 0", "1000, 1, 7, 0.5, 0", "300, 5, 2, 0, 40"})
    void graphKernelsFindTheEpochInMemory(int n, int d, int epoch, float momentum, int first) throws Exception {
        SplittableRandom r = new SplittableRandom(n + d);
        long permSeed = Seeds.stream(d, Seeds.PERMUTATION);
        float[] x = gaussians(r, n * d, 1.0);
        float[] y = gaussians(r, n, 1.0);
        float[] rates = gaussians(r, epoch + 1, 0.1);
        float[] params = gaussians(r, d + 1, 1.0);
        float[] sums = gaussians(r, d + 2, 50);
        sums[0] = Math.abs(sums[0]);
        int m = 64;
        float clip = 0.7f;
        ByteBuffer out = emulate("indirect", new Le().i(n, d, m, epoch, 1, first).l(permSeed).f(momentum, clip).f(x).f(y)
                .f(rates).f(params).f(sums));
        float[] xs = floats(out, n * d);
        float[] ys = floats(out, n);
        Permutation ref = Permutation.of(permSeed, first + epoch, n);
        for (int p = 0; p < n; p++) {
            int src = ref.apply(p);
            assertEquals(Float.floatToRawIntBits(y[src]), Float.floatToRawIntBits(ys[p]), "ys[" + p + "]");
            assertEquals(Float.floatToRawIntBits(x[src * d + d - 1]), Float.floatToRawIntBits(xs[p * d + d - 1]),
                    "Xs[" + p + "]");
        }
        float[] want = params.clone();
        // The kernel steps Nesterov's way; without momentum that is the plain step (and no setting).
        new SgdUpdate(TrainConfig.builder().momentum(momentum).nesterov(momentum > 0)
                .clipNorm(clip > 0 ? clip : null).build().optimiser(), d).apply(want, sums, m, rates[epoch]);
        assertArrayEquals(bits(want), bits(floats(out, d + 1)), "params stepped with rates[epoch]");
        for (int e = 0; e <= epoch; e++) {
            double loss = out.getDouble();
            double abs = out.getDouble();
            float a = out.getFloat();
            float b = out.getFloat();
            out.getDouble();
            if (e < epoch) {
                assertEquals(0.0, loss + abs + a + b, "record " + e + " untouched");
            } else {
                assertEquals((double) (sums[0] / m), loss, "the epoch's loss sum");
                assertEquals((double) sums[0], abs, "the epoch's |r| sum");
                assertEquals(1.5f, a, "validation A copied");
                assertEquals(-2.5f, b, "validation B copied");
            }
        }
        assertEquals(epoch + 1, out.getInt(), "epoch counter moved on");
    }

    // ---- kernels/fused.cu: whole epochs against the CPU engine ----

    /** The training rule of a fused case: off, or one of the §6 extensions, or all of them. */
    private static TrainConfig.Builder rule(TrainConfig.Builder b, String rule) {
        return switch (rule) {
            case "plain" -> b;
            case "momentum" -> b.momentum(0.9f);
            case "nesterov" -> b.momentum(0.8f).nesterov(true);
            case "clip" -> b.clipNorm(0.5f);
            case "schedule" -> b.schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 1, 10, 0.5));
            case "all" -> b.momentum(0.5f).nesterov(true).clipNorm(2f)
                    .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 1, 0.5));
            case "q0.1" -> b.objective(Objective.quantile(0.1));
            case "q0.5" -> b.objective(Objective.quantile(0.5));
            case "q0.9+all" -> b.objective(Objective.quantile(0.9)).momentum(0.5f).nesterov(true).clipNorm(2f)
                    .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 1, 2, 0.5));
            case "average" -> b.average(0);
            case "average from 1" -> b.average(1);
            case "average+all" -> b.average(1).momentum(0.5f).nesterov(true).clipNorm(2f).objective(Objective.quantile(0.3))
                    .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 1, 0.5));
            case "average after the run" -> b.average(5);
            case "no intercept" -> b.intercept(false);
            case "l2" -> b.l2(0.05f);
            case "l1" -> b.l1(0.02f);
            case "penalties+all" -> b.intercept(false).l2(0.1f).l1(0.01f).momentum(0.5f).nesterov(true).clipNorm(2f)
                    .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 1, 0.5));
            default -> throw new IllegalArgumentException(rule);
        };
    }

    /**
     * kernel (a FusedShape, or "auto": what FusedTrainer picks), blocks of the grid kernel, n, d,
     * batch, shuffle, rule. n leaves a short last batch everywhere.
     */
    static Stream<Arguments> fusedCases() {
        List<Arguments> all = new ArrayList<>();
        int[][] batches = {{1, 41}, {16, 150}, {17, 150}, {300, 1000}, {1024, 2500}, {1500, 3400}, {5000, 11000}};
        for (int d : new int[] {1, 4, 300}) {
            for (int[] bn : batches) {
                int n = d == 300 ? Math.min(bn[1], 2 * bn[0] + bn[0] / 2 + 1) : bn[1];
                all.add(Arguments.of("auto", 1, n, d, bn[0], true, "plain"));
            }
        }
        // Without shuffling, and the §6 extensions, on each kernel.
        for (String r : new String[] {"plain", "momentum", "nesterov", "clip", "schedule", "all", "q0.1", "q0.9+all",
            "average", "average from 1", "average+all", "average after the run", "no intercept", "l2", "l1",
            "penalties+all"}) {
            boolean shuffle = !r.equals("plain");
            all.add(Arguments.of("auto", 1, 150, 4, 16, shuffle, r));         // warp4
            all.add(Arguments.of("auto", 1, 100, 7, 32, shuffle, r));         // warp16
            all.add(Arguments.of("block", 1, 3400, 4, 1500, shuffle, r));
            all.add(Arguments.of("grid", 3, 9000, 4, 2048, shuffle, r));
        }
        // The warp kernels at their widths and batch 32; the block kernel where a warp would do.
        all.add(Arguments.of("warp4", 1, 70, 4, 32, true, "plain"));
        all.add(Arguments.of("warp16", 1, 70, 16, 32, true, "nesterov"));
        all.add(Arguments.of("warp16", 1, 70, 5, 3, true, "clip"));
        all.add(Arguments.of("block", 1, 150, 4, 16, true, "momentum"));
        all.add(Arguments.of("block", 1, 60, 4, 1, true, "plain"));
        // Block state in scratch memory (d + 2 > 1028), around the 8-feature rounds.
        all.add(Arguments.of("block", 1, 90, 1100, 40, true, "all"));
        all.add(Arguments.of("block", 1, 90, 9, 40, true, "plain"));
        // Grids: several segments per block per step (5 segments, 2 blocks), blocks taking turns
        // across steps (2 segments, 3 blocks), the batch of the bandwidth target's shape, wide rows.
        all.add(Arguments.of("grid", 2, 11000, 4, 5000, true, "plain"));
        all.add(Arguments.of("grid", 2, 11000, 1, 5000, false, "clip"));
        all.add(Arguments.of("grid", 4, 20000, 4, 8192, true, "momentum"));
        all.add(Arguments.of("grid", 2, 5100, 300, 2500, true, "plain"));
        all.add(Arguments.of("grid", 3, 2500, 1100, 1100, true, "plain"));
        return all.stream();
    }

    /**
     * Early stopping on the training MAE, in the pipeline: PipelineTrainer then leaves gemv out and
     * mae_gradient computes the residuals canonically, so every epoch's loss and mean |r| are the
     * CPU engine's bit for bit and the run stops at the same epoch. With gemv's predictions (summed
     * in another order) the parameters still agree, but the mean |r| does not, bit for bit: the
     * monitored loss could then cross --tol an epoch apart from the CPU engine's.
     */
    @Test
    void pipelineEarlyStoppingOnTheTrainingMaeStopsWhereTheCpuEngineDoes() throws Exception {
        int n = 1200;
        int d = 4;
        Dataset data = SyntheticData.generate(n, SyntheticData.TUTORIAL_W, 1.1f, 5);
        TrainConfig config = TrainConfig.builder().seed(5).lr(0.2f).epochs(40).batchSize(100).patience(2).tol(1e-3)
                .build();
        TrainResult cpu = new CpuTrainer().train(data, config);
        assertTrue(cpu.stoppedEarly(), "the CPU run stops early, after " + cpu.epochs() + " epochs");

        PipelineRun canonical = emulatedPipeline(data, config, cpu.epochs(), false);
        TrainingHistory history = new TrainingHistory(config, null, EpochListener.NONE);
        int stopped = 0;
        for (int e = 0; e < cpu.epochs(); e++) {
            assertEquals(Double.doubleToRawLongBits(cpu.epochLoss()[e]), Double.doubleToRawLongBits(canonical.loss()[e]),
                    "epoch " + e + " loss");
            assertEquals(Double.doubleToRawLongBits(cpu.epochMae()[e]), Double.doubleToRawLongBits(canonical.mae()[e]),
                    "epoch " + e + " mean |r|");
            if (history.record(e, canonical.loss()[e], canonical.mae()[e], 0, null)) {
                stopped = e + 1;
                break;
            }
        }
        assertEquals(cpu.epochs(), stopped, "epochs trained");

        PipelineRun gemv = emulatedPipeline(data, config, cpu.epochs(), true);
        float[] want = cpu.params();
        assertArrayEquals(bits(want), bits(gemv.params()), "w and b with gemv's predictions");
        boolean differs = false;
        for (int e = 0; e < cpu.epochs(); e++) {
            differs |= Double.doubleToRawLongBits(cpu.epochMae()[e]) != Double.doubleToRawLongBits(gemv.mae()[e]);
        }
        assertTrue(differs, "gemv's residuals give the CPU engine's mean |r| in every epoch; the check shows nothing");
    }

    /**
     * Streaming: the chunks a {@link ChunkStreamer} hands to the device (its host gather, through a
     * fake device's ring), then the kernels on each chunk's batches as StreamingTrainer queues them,
     * give the CPU engine's losses, mean |r| and parameters bit for bit.
     */
    @ParameterizedTest(name = "n {0}, d {1}, batch {2}, shuffle {3}")
    @CsvSource({"1000, 4, 16, true", "777, 3, 50, false", "3000, 12, 256, true", "2500, 5, 1100, true", "90, 2, 90, true"})
    void streamedChunksMatchTheCpuEngine(int n, int d, int batch, boolean shuffle) throws Exception {
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, 41L * n + d);
        int epochs = 3;
        TrainConfig config = TrainConfig.builder().seed(n + 7L * batch).epochs(epochs).batchSize(batch)
                .shuffle(shuffle).lr(0.03f).build();
        TrainResult cpu = new CpuTrainer().train(data, config);
        // Three batches a chunk: several chunks an epoch, and every slot of the ring in use.
        StreamPlan plan = StreamPlan.of(n, d, batch, 4L * (d + 1) * batch * 3);
        ChunkStreamer streamer = new ChunkStreamer(data.featureRows(), data.targets(), plan, config.permutationSeed(),
                shuffle);
        Le input = new Le().i(d, plan.batch(), epochs, plan.chunkRows(), plan.chunks());
        for (int e = 0; e < epochs; e++) {
            input.f(config.optimiser().rate(e));
        }
        input.f(config.initialParams(d));
        ChunkStreamerTest.FakeDevice device = new ChunkStreamerTest.FakeDevice(plan, n);
        streamer.run(device, epochs, (slot, e, i, rows) -> input.i(rows).f(device.deviceSlot(slot)), e -> {
            device.drain();
            return false;
        });
        ByteBuffer out = emulate("streamed", input);
        String where = "n " + n + ", d " + d + ", batch " + batch + ", " + plan.chunks() + " chunks an epoch";
        for (int e = 0; e < epochs; e++) {
            assertEquals(Double.doubleToRawLongBits(cpu.epochLoss()[e]), Double.doubleToRawLongBits(out.getDouble()),
                    "epoch " + e + " loss, " + where);
            assertEquals(Double.doubleToRawLongBits(cpu.epochMae()[e]), Double.doubleToRawLongBits(out.getDouble() / n),
                    "epoch " + e + " mean |r|, " + where);
        }
        float[] want = cpu.params();
        assertTrue(Float.isFinite(want[0]), where);
        assertArrayEquals(bits(want), bits(floats(out, d + 1)), "w and b, " + where);
    }

    /**
     * An emulated pipeline run: per epoch the loss and the mean |r|, then w and b (averaged with
     * --average), the last step's parameters and the steps averaged.
     */
    private record PipelineRun(double[] loss, double[] mae, float[] params, float[] iterate, long averagedSteps) {}

    /** The first epochs of a pipeline run (plain launches) in the emulator, gemv's predictions summed in another order or none. */
    private static PipelineRun emulatedPipeline(Dataset data, TrainConfig config, int epochs, boolean gemv)
            throws Exception {
        int d = data.features();
        boolean weighted = data.weighted();
        Optimiser o = config.optimiser();
        Le input = new Le().i(data.samples(), d, config.batchSize(), epochs, config.shuffle() ? 1 : 0, gemv ? 1 : 0)
                .l(config.permutationSeed()).f(config.objective().above(), config.objective().below())
                .i(o.intercept() ? 1 : 0).f(o.l2Alpha(), o.l1Alpha(), o.momentum(), o.clip())
                .i(o.nesterov() ? 1 : 0, o.averageStart(), config.start().firstEpoch(), weighted ? 1 : 0)
                .l(config.start().meanSteps());
        for (int e = 0; e < epochs; e++) {
            input.f(config.optimiser().rate(config.epoch(e)));
        }
        input.f(config.initialParams(d)).f(startAverage(config, d)).f(data.x()).f(data.y());
        ByteBuffer out = emulate("pipeline", weighted ? input.f(data.weights().values()) : input);
        double[] loss = new double[epochs];
        double[] mae = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            loss[e] = out.getDouble();
            double absSum = out.getDouble();
            mae[e] = absSum / (weighted ? out.getDouble() : data.samples());
        }
        float[] params = floats(out, d + 1);
        float[] average = floats(out, d + 1);
        long steps = out.getLong();
        return new PipelineRun(loss, mae, config.optimiser().averages() ? average : params, params, steps);
    }

    /** The average buffer's start, as the trainers upload it: the carried mean, else NaN (written before read). */
    private static float[] startAverage(TrainConfig config, int d) {
        float[] mean = config.start().mean();
        if (mean != null) {
            return mean;
        }
        float[] unwritten = new float[d + 1];
        Arrays.fill(unwritten, Float.NaN);
        return unwritten;
    }

    /** A fused run's emulator input and the CPU engine's result for the same problem. */
    private record FusedRun(FusedShape shape, String where, int n, int d, int batch, int epochs, Le input,
            TrainResult cpu, boolean averages, boolean weighted) {}

    private static FusedRun fusedRun(String kernel, int grid, int n, int d, int batch, boolean shuffle, String rule) {
        return fusedRun(kernel, grid, n, d, batch, shuffle, rule, null);
    }

    /** As above, the samples weighted as {@code weights} says ({@link #weighted}; null: unweighted). */
    private static FusedRun fusedRun(String kernel, int grid, int n, int d, int batch, boolean shuffle, String rule,
            String weights) {
        int epochs = 3;
        FusedShape shape = kernel.equals("auto") ? FusedShape.choose(batch, d, true) : FusedShape.valueOf(kernel);
        TrainConfig config = rule(TrainConfig.builder().seed(n + 31L * batch).epochs(epochs).batchSize(batch)
                .shuffle(shuffle).lr(0.03f), rule).build();
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, 17L * n + d);
        if (weights != null) {
            data = weighted(data, config, weights);
        }
        TrainResult cpu = new CpuTrainer().train(data, config);

        Le input = fusedInput(shape, grid, data, config, epochs);
        String where = shape + " grid " + grid + ", n " + n + ", d " + d + ", batch " + batch + ", " + rule
                + (weights != null ? ", weights " + weights : "");
        boolean averages = config.optimiser().averages() && epochs > config.optimiser().averageStart();
        return new FusedRun(shape, where, n, d, batch, epochs, input, cpu, averages, data.weighted());
    }

    /** The fused command's input: {@code epochs} epochs of {@code config} from its start, as FusedTrainer launches them. */
    private static Le fusedInput(FusedShape shape, int grid, Dataset data, TrainConfig config, int epochs) {
        int d = data.features();
        Optimiser o = config.optimiser();
        Le input = new Le().i(shape.ordinal(), grid, data.samples(), d, config.batchSize(), epochs,
                config.shuffle() ? 1 : 0, o.nesterov() ? 1 : 0).l(config.permutationSeed())
                .f(o.momentum(), o.clip()).i(o.intercept() ? 1 : 0).f(o.l2Alpha(), o.l1Alpha())
                .f(config.objective().above(), config.objective().below())
                .i(o.averageStart(), config.start().firstEpoch(), data.weighted() ? 1 : 0);
        for (int e = 0; e < epochs; e++) {
            input.f(o.rate(config.epoch(e)));
        }
        long steps = FusedShape.steps(data.samples(), Math.min(config.batchSize(), data.samples()));
        for (int e = 0; e < epochs; e++) {
            int epoch = config.epoch(e);
            input.l(o.averagesIn(epoch) ? FusedTrainer.averagedBefore(config, steps, epoch) : 0);
        }
        input.f(config.initialParams(d)).f(startAverage(config, d)).f(data.x()).f(data.y());
        return data.weighted() ? input.f(data.weights().values()) : input;
    }

    @ParameterizedTest(name = "{0} grid {1}: n {2}, d {3}, batch {4}, shuffle {5}, {6}")
    @MethodSource("fusedCases")
    void fusedEpochsMatchTheCpuEngine(String kernel, int grid, int n, int d, int batch, boolean shuffle, String rule)
            throws Exception {
        FusedRun run = fusedRun(kernel, grid, n, d, batch, shuffle, rule);
        ByteBuffer out = emulate("fused", run.input());
        assertFusedMatchesCpu(run, grid, out);
    }

    /**
     * {@code --loss quantile --quantile 0.5} is {@code --loss mae} bit for bit in every engine: the
     * CPU engine, every fused shape and the pipeline (with gemv's predictions) under quantile 0.5
     * give the CPU engine's MAE run, epoch losses and parameters.
     */
    @ParameterizedTest(name = "{0} grid {1}: n {2}, d {3}, batch {4}")
    @CsvSource({"warp4, 1, 150, 4, 16", "warp16, 1, 100, 7, 32", "block, 1, 3400, 4, 1500", "grid, 3, 9000, 4, 2048"})
    void theMedianQuantileIsTheMaeInEveryEngine(String kernel, int grid, int n, int d, int batch) throws Exception {
        FusedRun median = fusedRun(kernel, grid, n, d, batch, true, "q0.5");
        FusedRun mae = fusedRun(kernel, grid, n, d, batch, true, "plain");
        assertArrayEquals(bits(mae.cpu().w()), bits(median.cpu().w()), "CPU engine: w");
        assertEquals(Float.floatToRawIntBits(mae.cpu().b()), Float.floatToRawIntBits(median.cpu().b()), "CPU engine: b");
        assertArrayEquals(mae.cpu().epochLoss(), median.cpu().epochLoss(), 0.0, "CPU engine: epoch losses");
        assertFusedMatchesCpu(mae, grid, emulate("fused", median.input()));

        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, 17L * n + d);
        TrainConfig config = TrainConfig.builder().seed(3).epochs(2).batchSize(batch).lr(0.03f)
                .objective(Objective.quantile(0.5)).build();
        TrainResult cpu = new CpuTrainer().train(data, TrainConfig.builder().seed(3).epochs(2).batchSize(batch)
                .lr(0.03f).build());
        PipelineRun pipeline = emulatedPipeline(data, config, 2, true);
        float[] want = cpu.params();
        assertArrayEquals(bits(want), bits(pipeline.params()), "pipeline: w and b");
    }

    /**
     * The pipeline under the quantile loss (and --average from an epoch, -1: none), with and
     * without gemv's predictions: the CPU engine's parameters, bit for bit.
     */
    @ParameterizedTest(name = "tau {0}, batch {1}, average from {2}")
    @CsvSource({"0.1, 16, -1", "0.9, 16, -1", "0.25, 1500, -1", "0.5, 16, 0", "0.5, 16, 1", "0.8, 1500, 2", "0.5, 16, 4"})
    void pipelineQuantileMatchesTheCpuEngine(double tau, int batch, int averageFrom) throws Exception {
        int n = 3100;
        int d = 4;
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, 11);
        TrainConfig config = TrainConfig.builder().seed(9).epochs(3).batchSize(batch).lr(0.03f)
                .objective(Objective.quantile(tau)).average(averageFrom >= 0 ? averageFrom : null).build();
        TrainResult cpu = new CpuTrainer().train(data, config);
        for (boolean gemv : new boolean[] {false, true}) {
            PipelineRun run = emulatedPipeline(data, config, 3, gemv);
            float[] want = cpu.params();
            assertArrayEquals(bits(want), bits(run.params()), "w and b, gemv " + gemv);
            if (!gemv) {
                for (int e = 0; e < 3; e++) {
                    assertEquals(Double.doubleToRawLongBits(cpu.epochLoss()[e]), Double.doubleToRawLongBits(run.loss()[e]),
                            "epoch " + e + " loss");
                }
            }
        }
    }

    /**
     * The pipeline (sgd_update with plain launches, gemv's predictions or none) without an
     * intercept or with the L2/L1 penalties gives the CPU engine's run bit for bit; without an
     * intercept b is exactly +0.
     */
    @ParameterizedTest(name = "intercept {0}, l2 {1}, l1 {2}, batch {3}")
    @CsvSource({"false, 0, 0, 16", "true, 0.1, 0, 16", "true, 0, 0.05, 1500", "false, 0.02, 0.01, 16"})
    void pipelinePenaltiesAndInterceptMatchTheCpuEngine(boolean intercept, float l2, float l1, int batch)
            throws Exception {
        int n = 3100;
        int d = 4;
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, 11);
        TrainConfig config = TrainConfig.builder().seed(9).epochs(3).batchSize(batch).lr(0.03f).intercept(intercept)
                .l2(l2 > 0 ? l2 : null).l1(l1 > 0 ? l1 : null).build();
        TrainResult cpu = new CpuTrainer().train(data, config);
        float[] want = cpu.params();
        for (boolean gemv : new boolean[] {false, true}) {
            PipelineRun run = emulatedPipeline(data, config, 3, gemv);
            assertArrayEquals(bits(want), bits(run.params()), "w and b, gemv " + gemv);
            if (!intercept) {
                assertEquals(0, Float.floatToRawIntBits(run.params()[d]), "b is +0 without an intercept, gemv " + gemv);
            }
        }
    }

    /** Without an intercept every fused shape leaves b at exactly +0, as the CPU engine does. */
    @ParameterizedTest(name = "{0} grid {1}: n {2}, d {3}, batch {4}")
    @CsvSource({"warp4, 1, 150, 4, 16", "warp16, 1, 100, 7, 32", "block, 1, 3400, 4, 1500", "grid, 3, 9000, 4, 2048"})
    void fusedShapesKeepBAtZeroWithoutAnIntercept(String kernel, int grid, int n, int d, int batch) throws Exception {
        FusedRun run = fusedRun(kernel, grid, n, d, batch, true, "penalties+all");
        assertEquals(0, Float.floatToRawIntBits(run.cpu().b()), "CPU engine: b");
        ByteBuffer out = emulate("fused", run.input());
        for (int e = 0; e < run.epochs(); e++) {
            out.getDouble();
            out.getDouble();
        }
        float[] params = floats(out, d + 1);
        assertEquals(0, Float.floatToRawIntBits(params[d]), "b, " + run.where());
        assertTrue(Float.isFinite(params[0]) && params[0] != 0f, "w trained, " + run.where());
    }

    /**
     * A warm start on the GPU: 3 epochs on the CPU engine, then 2 more from its w and b with
     * first epoch 3 in the emulated pipeline (plain launches, gemv's predictions or none) and in
     * every fused shape, give one CPU run of 5 epochs bit for bit: the continued epochs take the
     * 5-epoch run's orders, rates and averaging (averaging from epoch 3 or 4: a mean that starts
     * within the continued run; one carried from before it is {@link
     * #aContinuedAverageOnTheGpuIsTheCpuEnginesAndTheLongerRun}'s).
     */
    @ParameterizedTest(name = "{0} grid {1}: n {2}, d {3}, batch {4}, average from {5}")
    @CsvSource({"pipeline, 1, 700, 3, 16, -1", "pipeline, 1, 3100, 4, 1500, 4", "warp4, 1, 150, 4, 16, -1",
        "warp16, 1, 100, 7, 32, 3", "block, 1, 3400, 4, 1500, -1", "grid, 3, 9000, 4, 2048, 4"})
    void aContinuedRunOnTheGpuIsTheLongerRun(String kernel, int grid, int n, int d, int batch, int averageFrom)
            throws Exception {
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, 5L * n + d);
        TrainConfig.Builder builder = TrainConfig.builder().seed(n + 7L).batchSize(batch).lr(0.03f)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 2, 0.5))
                .average(averageFrom >= 0 ? averageFrom : null);
        TrainResult whole = new CpuTrainer().train(data, builder.epochs(5).build());
        TrainResult first = new CpuTrainer().train(data, builder.epochs(3).build());
        TrainConfig continued = builder.epochs(2).firstEpoch(3).initW(first.w()).initB(first.b()).build();
        float[] want = whole.params();
        String where = kernel + ", n " + n + ", batch " + batch + ", average from " + averageFrom;
        if (kernel.equals("pipeline")) {
            for (boolean gemv : new boolean[] {false, true}) {
                PipelineRun run = emulatedPipeline(data, continued, 2, gemv);
                assertArrayEquals(bits(want), bits(run.params()), "w and b, gemv " + gemv + ", " + where);
                for (int e = 0; !gemv && e < 2; e++) {
                    assertEquals(Double.doubleToRawLongBits(whole.epochLoss()[3 + e]),
                            Double.doubleToRawLongBits(run.loss()[e]), "epoch " + (3 + e) + " loss, " + where);
                }
            }
            return;
        }
        FusedShape shape = FusedShape.valueOf(kernel);
        ByteBuffer out = emulate("fused", fusedInput(shape, grid, data, continued, 2));
        float[][] result = continuedFused(out, d, whole.epochLoss(), 3, 3, where);
        assertArrayEquals(bits(want), bits(averageFrom >= 0 ? result[1] : result[0]), "w and b, " + where);
    }

    /**
     * A running mean carried on the GPU: E1 = 2 epochs on the CPU engine with --average, then
     * E2 = 2 more from its last iterate, its mean and the mean's steps, at first epoch 2, in the
     * emulated pipeline (gemv's predictions or none) and in every fused shape, give the CPU
     * engine's continued run bit for bit: the mean, the last iterate, the steps averaged and the
     * epoch losses. Without momentum that is the one run of E1 + E2 epochs too; with momentum the
     * continued run's velocities start at zero (as every run's do), so it differs from the longer
     * run, and the GPU follows the CPU engine's continued run. Fresh random data each time (the
     * seed is in the messages).
     */
    @ParameterizedTest(name = "{0} grid {1}: n {2}, d {3}, batch {4}, average from {5}, momentum {6}")
    @CsvSource({"pipeline, 1, 600, 3, 16, 1, 0", "pipeline, 1, 600, 3, 16, 0, 0.9", "pipeline, 1, 2100, 4, 1500, 0, 0",
        "warp4, 1, 150, 4, 16, 1, 0", "warp4, 1, 150, 4, 16, 0, 0.9", "warp16, 1, 100, 7, 32, 0, 0",
        "warp16, 1, 100, 7, 32, 1, 0.8", "block, 1, 500, 4, 100, 1, 0", "block, 1, 500, 4, 100, 0, 0.9",
        "grid, 2, 5000, 4, 2048, 0, 0", "grid, 2, 5000, 4, 2048, 1, 0.9"})
    void aContinuedAverageOnTheGpuIsTheCpuEnginesAndTheLongerRun(String kernel, int grid, int n, int d, int batch,
            int averageFrom, float momentum) throws Exception {
        long seed = new SplittableRandom().nextLong();
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, seed);
        TrainConfig.Builder builder = TrainConfig.builder().seed(seed).batchSize(batch).lr(0.03f).momentum(momentum)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 2, 0.5)).average(averageFrom);
        TrainResult whole = new CpuTrainer().train(data, builder.epochs(4).build());
        TrainResult first = new CpuTrainer().train(data, builder.epochs(2).build());
        TrainConfig continued = carriedOn(builder.epochs(2), first, 2);
        TrainResult cpu = new CpuTrainer().train(data, continued);
        String where = kernel + ", n " + n + ", batch " + batch + ", average from " + averageFrom + ", momentum "
                + momentum + ", seed " + seed;
        assertTrue(first.averagedSteps() > 0, "the first run averaged steps, " + where);
        // Without momentum the continued run is the longer run's second half; with it, it is not.
        assertEquals(momentum == 0, Arrays.equals(bits(whole.params()), bits(cpu.params())),
                "CPU engine: the continued run's mean equals the longer run's exactly without momentum, " + where);
        assertEquals(whole.averagedSteps(), cpu.averagedSteps(), "CPU engine: steps averaged, " + where);
        if (kernel.equals("pipeline")) {
            for (boolean gemv : new boolean[] {false, true}) {
                PipelineRun run = emulatedPipeline(data, continued, 2, gemv);
                assertCarriedOn(cpu, run.params(), run.iterate(), run.averagedSteps(), "gemv " + gemv + ", " + where);
                for (int e = 0; !gemv && e < 2; e++) {
                    assertEquals(Double.doubleToRawLongBits(cpu.epochLoss()[e]), Double.doubleToRawLongBits(run.loss()[e]),
                            "epoch " + (2 + e) + " loss, " + where);
                }
            }
            return;
        }
        FusedShape shape = FusedShape.valueOf(kernel);
        ByteBuffer out = emulate("fused", fusedInput(shape, grid, data, continued, 2));
        float[][] result = continuedFused(out, d, cpu.epochLoss(), 0, 2, where);
        float[] params = result[0];
        float[] average = result[1];
        long averaged = FusedTrainer.averagedBefore(continued, FusedShape.steps(n, batch), 2 + 2);
        assertCarriedOn(cpu, average, params, averaged, where);
    }

    /**
     * A mean carried into a run whose epochs come before the averaging start (a configuration the
     * CPU engine takes): parameter_average leaves the carried mean as the result, and steps on.
     */
    @Test
    void aCarriedMeanBeforeTheAveragingStartStaysTheResultInThePipeline() throws Exception {
        int d = 3;
        Dataset data = SyntheticData.generate(300, SyntheticData.trueW(d), 0.7f, 12);
        TrainConfig.Builder builder = TrainConfig.builder().seed(12).batchSize(16).lr(0.03f).average(0);
        TrainResult first = new CpuTrainer().train(data, builder.epochs(2).build());
        TrainConfig continued = carriedOn(builder.epochs(2).average(9), first, 2);
        TrainResult cpu = new CpuTrainer().train(data, continued);
        assertArrayEquals(bits(first.params()), bits(cpu.params()), "CPU engine: the carried mean is the result");
        for (boolean gemv : new boolean[] {false, true}) {
            PipelineRun run = emulatedPipeline(data, continued, 2, gemv);
            assertCarriedOn(cpu, run.params(), run.iterate(), run.averagedSteps(), "gemv " + gemv);
        }
    }

    /** {@code builder}'s run carried on from {@code first} at epoch {@code epoch}: its last iterate, its mean and steps. */
    private static TrainConfig carriedOn(TrainConfig.Builder builder, TrainResult first, int epoch) {
        float[] iterate = first.iterate();
        int d = iterate.length - 1;
        return builder.firstEpoch(epoch).initW(Arrays.copyOf(iterate, d)).initB(iterate[d])
                .startAverage(first.params(), first.averagedSteps()).build();
    }

    /**
     * An emulated fused run of two epochs continued from {@code firstEpoch}: its epoch losses
     * checked against {@code wantLoss} from index {@code at} (0: a continued CPU run's own,
     * firstEpoch: a longer run's), then its w, b and its running mean, in that order.
     */
    private static float[][] continuedFused(ByteBuffer out, int d, double[] wantLoss, int at, int firstEpoch, String where) {
        for (int e = 0; e < 2; e++) {
            assertEquals(Double.doubleToRawLongBits(wantLoss[at + e]), Double.doubleToRawLongBits(out.getDouble()),
                    "epoch " + (firstEpoch + e) + " loss, " + where);
            out.getDouble();
        }
        float[] params = floats(out, d + 1);
        floats(out, d + 1);  // velocities
        out.getInt();  // grid barrier arrivals
        return new float[][] {params, floats(out, d + 1)};
    }

    /** An emulated continued run's mean, last iterate and steps averaged against the CPU engine's. */
    private static void assertCarriedOn(TrainResult cpu, float[] mean, float[] iterate, long averagedSteps, String where) {
        assertArrayEquals(bits(cpu.params()), bits(mean), "the mean (w, b), " + where);
        assertArrayEquals(bits(cpu.iterate()), bits(iterate), "the last iterate, " + where);
        assertEquals(cpu.averagedSteps(), averagedSteps, "steps averaged, " + where);
    }

    private static void assertFusedMatchesCpu(FusedRun run, int grid, ByteBuffer out) {
        TrainResult cpu = run.cpu();
        String where = run.where();
        int d = run.d();
        for (int e = 0; e < run.epochs(); e++) {
            double loss = out.getDouble();
            double absSum = out.getDouble();
            double count = run.weighted() ? out.getDouble() : run.n();  // ΣV of the epoch's stepping batches
            assertEquals(Double.doubleToRawLongBits(cpu.epochLoss()[e]), Double.doubleToRawLongBits(loss),
                    "epoch " + e + " loss, " + where);
            assertEquals(Double.doubleToRawLongBits(cpu.epochMae()[e]), Double.doubleToRawLongBits(absSum / count),
                    "epoch " + e + " mean |r|, " + where);
        }
        float[] params = floats(out, d + 1);
        float[] want = cpu.params();
        floats(out, d + 1);  // velocities: checked through the parameters
        long arrivals = run.shape() == FusedShape.grid ? (long) grid * FusedShape.steps(run.n(), run.batch()) * run.epochs() : 0;
        assertEquals((int) arrivals, out.getInt(), "grid barrier arrivals, " + where);
        float[] average = floats(out, d + 1);
        // With --average the result is the running mean (the iterates are checked through it).
        assertArrayEquals(bits(want), bits(run.averages() ? average : params),
                "w and b after " + run.epochs() + " epochs, " + where);
    }

    /**
     * The emulator is no kinder than ptxas: fused.cu with its grid barrier polling through
     * {@code __ldcv} again (a weak load, which ptxas compiles to no wait at all) hangs there, and
     * the emulator's watchdog ends it with exit status 3; the committed barrier passes the same
     * run bit for bit.
     */
    @Test
    void aGridBarrierPollingWithAWeakLoadFailsInTheEmulator(@TempDir Path mutant) throws Exception {
        Assumptions.assumeTrue(skipReason == null, skipReason);
        Path kernels = projectRoot().resolve("kernels");
        try (Stream<Path> files = Files.list(kernels)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, mutant.resolve(f.getFileName()));
            }
        }
        String poll = "ld_acquire_gpu(counter)";
        String fused = Files.readString(kernels.resolve("fused.cu"));
        assertEquals(1, fused.split(Pattern.quote(poll), -1).length - 1, "fused.cu polls once with " + poll);
        Files.writeString(mutant.resolve("fused.cu"), fused.replace(poll, "__ldcv(counter)"));
        Path weakEmu = buildEmulator(mutant, bin.resolve("kernels_emu_weak_barrier"));

        FusedRun run = fusedRun("grid", 3, 9000, 4, 2048, true, "plain");
        Path out = Files.createTempFile(bin, "weak", ".out");
        long started = System.nanoTime();
        Run weak = emulate(weakEmu, Map.of("LINREG_EMU_TIMEOUT_S", "3"), "fused", run.input(), out);
        double seconds = (System.nanoTime() - started) * 1e-9;
        assertEquals(3, weak.exit(), "the weak poll must hang and be stopped:\n" + weak.output());
        assertTrue(weak.output().contains("a launch still runs after 3 s"), weak.output());
        assertTrue(seconds < 60, "stopped after " + seconds + " s");

        assertFusedMatchesCpu(run, 3, emulate("fused", run.input()));
    }

    // ---- sample weights (docs/algorithm.md §4, "Sample weights") ----

    /** Weights in [0, 3) on a 1/32 grid, every fifth exactly 0 (finite, >= 0, never all 0 for n >= 2). */
    private static float[] randomWeights(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 5 == 2 ? 0f : r.nextInt(96) / 32f + (i % 3 == 0 ? 0.001f * r.nextInt(7) : 0f);
        }
        v[n - 1] = n == 1 ? 1.5f : v[n - 1];
        return v;
    }

    private static Dataset withWeights(Dataset data, float[] v) {
        try {
            return data.withWeights(SampleWeights.of(v, "test", "test"));
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * {@code data} weighted for a run of {@code config}: "random" ({@link #randomWeights}), "zero
     * batch" (random, with every row of the first epoch's second batch at weight 0: a batch that
     * makes no step), or "ones" (every weight 1).
     */
    private static Dataset weighted(Dataset data, TrainConfig config, String kind) {
        int n = data.samples();
        float[] v = switch (kind) {
            case "ones" -> {
                float[] ones = new float[n];
                Arrays.fill(ones, 1f);
                yield ones;
            }
            case "random", "zero batch" -> randomWeights(new SplittableRandom(n + 3L * data.features()), n);
            default -> throw new IllegalArgumentException(kind);
        };
        if (kind.equals("zero batch")) {
            int batch = Math.min(config.batchSize(), n);
            assertTrue(n > 2 * batch, "a zero batch among others");
            Permutation order = config.shuffle() ? Permutation.of(config.permutationSeed(), config.start().firstEpoch(), n) : null;
            for (int p = batch; p < 2 * batch; p++) {
                v[order != null ? order.apply(p) : p] = 0f;
            }
        }
        return withWeights(data, v);
    }

    /** mae_gradient with weights: MaeGradient's weighted sums (S, G_b, G_j, V) bit for bit, under every thread order. */
    @ParameterizedTest(name = "d {0}, m {1}")
    @CsvSource({"1, 1", "4, 3", "4, 16", "4, 255", "4, 257", "1, 1025", "4, 3000", "9, 700", "17, 1300", "300, 1500",
        "1300, 1100"})
    void weightedMaeGradientMatchesMaeGradient(int d, int m) throws Exception {
        float[][] data = batch(m, d, 131L * d + m);
        float[] v = randomWeights(new SplittableRandom(m), m);
        float[] want = new float[SampleWeighting.quantities(d, true)];
        new MaeGradient(d, Objective.MAE, true).compute(data[0], data[1], v, null, 0, m, data[2], want);
        int reps = d >= 1024 ? 1 : 3;
        ByteBuffer out = emulate("mae", new Le().i(m, d, 0, reps).f(1f, 1f).f(data[0]).f(data[1]).f(data[2]).i(1).f(v));
        for (int rep = 0; rep < reps; rep++) {
            assertArrayEquals(bits(want), bits(floats(out, d + 3)), "launch " + rep + ", d " + d + ", m " + m);
            assertEquals(0, out.getInt(), "counter after launch " + rep);
        }
        // With gemv's predictions the weighted gradient and V are the canonical ones too.
        float[] pred = new float[m];
        for (int i = 0; i < m; i++) {
            pred[i] = dot(data[0], i, d, data[2]);
        }
        float[] fromPred = floats(emulate("mae", new Le().i(m, d, 1, 1).f(1f, 1f).f(data[0]).f(data[1]).f(data[2]).f(pred)
                .i(1).f(v)), d + 3);
        assertArrayEquals(bits(Arrays.copyOfRange(want, 1, d + 3)), bits(Arrays.copyOfRange(fromPred, 1, d + 3)),
                "gradient sums and V from pred");
        // Every weight 1: the unweighted sums, and V = m.
        float[] ones = new float[m];
        Arrays.fill(ones, 1f);
        float[] plain = new float[d + 2];
        new MaeGradient(d).compute(data[0], data[1], null, 0, m, data[2], plain);
        float[] got = floats(emulate("mae", new Le().i(m, d, 0, 1).f(1f, 1f).f(data[0]).f(data[1]).f(data[2]).i(1).f(ones)),
                d + 3);
        assertArrayEquals(bits(plain), bits(Arrays.copyOf(got, d + 2)), "all ones: the unweighted sums");
        assertEquals((float) m, got[d + 2], "all ones: V = m");
    }

    /**
     * sgd_update of weighted sums: divides by V as SgdUpdate does with count V, and a step of V = 0
     * changes nothing (parameters, velocity, the epoch's sums); ΣV goes to the record's fourth double.
     */
    @ParameterizedTest(name = "d {0}, threads {1}, momentum {2}, clip {3}")
    @CsvSource({"1, 1, 0, 0", "4, 32, 0.9, 0", "4, 3, 0.8, 0.5", "300, 64, 0.5, 0.05", "1024, 256, 0, 1e6"})
    void weightedSgdUpdateDividesByVAndSkipsAZeroWeightBatch(int d, int threads, float momentum, float clip)
            throws Exception {
        SplittableRandom r = new SplittableRandom(11L * d + threads);
        float lr = 0.03f;
        int m = 50;
        int steps = 3;
        float[] params = gaussians(r, d + 1, 1.0);
        float[][] sums = new float[steps][];
        Le input = new Le().i(d, m, threads, 1, steps).f(lr, momentum, clip).i(1).f(0f, 0f).i(1).f(params)
                .f(new float[d + 1]);
        for (int k = 0; k < steps; k++) {
            sums[k] = gaussians(r, d + 3, m);
            sums[k][0] = Math.abs(sums[k][0]) + 0.1f;
            sums[k][d + 2] = k == 1 ? 0f : Math.abs(sums[k][d + 2]) + 0.5f;  // step 1: V = 0
            if (k == 1) {
                sums[k][1] = 0f;  // a batch of weight 0 has only zero items
                Arrays.fill(sums[k], 2, d + 2, 0f);
                sums[k][0] = 0f;
            }
            input.f(sums[k]);
        }
        double[] stats = {1.25, 1000.5, Double.NaN, 7.5};
        ByteBuffer out = emulate("sgd", input.d(stats));

        float[] want = params.clone();
        // Nesterov as the kernel is asked for it (without momentum it changes nothing).
        SgdUpdate update = new SgdUpdate(TrainConfig.builder().momentum(momentum).nesterov(momentum > 0)
                .clipNorm(clip > 0 ? clip : null).build().optimiser(), d);
        double wantLoss = stats[0];
        double wantAbs = stats[1];
        double wantWeight = stats[3];
        for (int k = 0; k < steps; k++) {
            float count = sums[k][d + 2];
            if (SampleWeighting.steps(count)) {
                update.apply(want, sums[k], count, lr);
                wantLoss += (double) (sums[k][0] / count);
                wantAbs += (double) sums[k][0];
                wantWeight += (double) count;
            }
        }
        String where = "d " + d + ", threads " + threads + ", momentum " + momentum + ", clip " + clip;
        assertArrayEquals(bits(want), bits(floats(out, d + 1)), "params, " + where);
        floats(out, d + 1);  // the velocity: checked through the parameters of step 2
        assertArrayEquals(new int[d + 3], bits(floats(out, d + 3)), "sums zeroed (V too), " + where);
        assertEquals(Double.doubleToRawLongBits(wantLoss), Double.doubleToRawLongBits(out.getDouble()), "loss, " + where);
        assertEquals(Double.doubleToRawLongBits(wantAbs), Double.doubleToRawLongBits(out.getDouble()), "S, " + where);
        assertTrue(Double.isNaN(out.getDouble()), "the record's validation floats untouched, " + where);
        assertEquals(Double.doubleToRawLongBits(wantWeight), Double.doubleToRawLongBits(out.getDouble()), "ΣV, " + where);
    }

    /** validation_sums with weights: ValidationMetrics.sums' weighted A and B, bit for bit. */
    @ParameterizedTest(name = "m {0}, d {1}")
    @CsvSource({"1, 4", "17, 1", "256, 4", "1025, 4", "5000, 30"})
    void weightedValidationSumsMatchTheCpu(int m, int d) throws Exception {
        float[][] data = batch(m, d, 71L * m + d);
        float[] v = randomWeights(new SplittableRandom(d), m);
        float[] want = linreg.train.ValidationMetrics.sums(withWeights(Dataset.of(data[0], data[1], d, "test", null, null), v),
                data[2]);
        ByteBuffer out = emulate("validation", new Le().i(m, d, 1).f(data[0]).f(data[1]).f(v).f(data[2]));
        for (int rep = 0; rep < 3; rep++) {
            assertArrayEquals(bits(Arrays.copyOf(want, 2)), bits(floats(out, 2)), "launch " + rep);
            assertEquals(0, out.getInt(), "counter");
        }
    }

    /**
     * Weighted runs of the pipeline (plain launches; with gemv's predictions and without): the
     * CPU engine's weighted parameters bit for bit, and without gemv its epoch losses and mean
     * losses ΣS/ΣV too; random weights with zeros, a batch of weight 0, momentum and --average.
     */
    @ParameterizedTest(name = "weights {0}, batch {1}, shuffle {2}, {3}")
    @CsvSource({"random, 16, true, plain", "random, 1500, true, plain", "random, 40, false, momentum",
        "zero batch, 16, true, plain", "zero batch, 100, false, momentum", "zero batch, 16, true, average",
        "random, 1500, true, average from 1", "random, 16, true, all", "random, 16, true, penalties+all",
        "random, 1100, true, q0.9+all"})
    void weightedPipelineMatchesTheCpuEngine(String weights, int batch, boolean shuffle, String rule) throws Exception {
        int n = batch < 100 ? 700 : 3100;  // few launches an epoch: the emulator runs 256 fibers a launch
        int d = 4;
        TrainConfig config = rule(TrainConfig.builder().seed(13).epochs(3).batchSize(batch).shuffle(shuffle).lr(0.03f),
                rule).build();
        Dataset data = weighted(SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, 19), config, weights);
        TrainResult cpu = new CpuTrainer().train(data, config);
        float[] want = cpu.params();
        String where = "weights " + weights + ", batch " + batch + ", " + rule;
        for (boolean gemv : new boolean[] {false, true}) {
            PipelineRun run = emulatedPipeline(data, config, 3, gemv);
            assertArrayEquals(bits(want), bits(run.params()), "w and b, gemv " + gemv + ", " + where);
            for (int e = 0; !gemv && e < 3; e++) {
                assertEquals(Double.doubleToRawLongBits(cpu.epochLoss()[e]), Double.doubleToRawLongBits(run.loss()[e]),
                        "epoch " + e + " loss, " + where);
                assertEquals(Double.doubleToRawLongBits(cpu.epochMae()[e]), Double.doubleToRawLongBits(run.mae()[e]),
                        "epoch " + e + " mean loss, " + where);
            }
        }
    }

    /** Every weight 1 in the emulated pipeline: the unweighted run's bits (parameters, losses, mean |r|). */
    @ParameterizedTest(name = "batch {0}, {1}")
    @CsvSource({"16, plain", "1500, momentum", "16, average"})
    void allOnesWeightsInThePipelineAreTheUnweightedRun(int batch, String rule) throws Exception {
        TrainConfig config = rule(TrainConfig.builder().seed(4).epochs(3).batchSize(batch).lr(0.03f), rule).build();
        Dataset plain = SyntheticData.generate(batch < 100 ? 700 : 3100, SyntheticData.trueW(4), 0.7f, 23);
        TrainResult cpu = new CpuTrainer().train(plain, config);
        PipelineRun ones = emulatedPipeline(weighted(plain, config, "ones"), config, 3, false);
        float[] want = cpu.params();
        assertArrayEquals(bits(want), bits(ones.params()), "w and b");
        for (int e = 0; e < 3; e++) {
            assertEquals(Double.doubleToRawLongBits(cpu.epochLoss()[e]), Double.doubleToRawLongBits(ones.loss()[e]), "loss");
            assertEquals(Double.doubleToRawLongBits(cpu.epochMae()[e]), Double.doubleToRawLongBits(ones.mae()[e]), "mae");
        }
    }

    /**
     * Weighted runs of every fused shape (and the block kernel where V no longer fits its shared
     * state: d = 1026 gives d + 3 = 1029 quantities): the CPU engine's weighted epochs bit for bit,
     * with random weights, a batch of weight 0, momentum, --average and all extensions; with every
     * weight 1 (checked against the weighted CPU run, which SampleWeightsTest holds to the unweighted).
     */
    static Stream<Arguments> weightedFusedCases() {
        List<Arguments> all = new ArrayList<>();
        Object[][] shapes = {{"warp4", 1, 150, 4, 16}, {"warp16", 1, 100, 7, 32}, {"block", 1, 3400, 4, 1500},
            {"grid", 3, 9000, 4, 2048}};
        String[][] cases = {{"random", "plain"}, {"random", "momentum"}, {"random", "average"}, {"random", "all"},
            {"random", "penalties+all"}, {"zero batch", "plain"}, {"zero batch", "average+all"}, {"ones", "nesterov"}};
        for (Object[] shape : shapes) {
            for (String[] c : cases) {
                all.add(Arguments.of(shape[0], shape[1], shape[2], shape[3], shape[4], c[0], c[1]));
            }
        }
        all.add(Arguments.of("block", 1, 120, 1026, 40, "random", "momentum"));
        all.add(Arguments.of("block", 1, 120, 1100, 40, "zero batch", "plain"));
        all.add(Arguments.of("grid", 2, 11000, 1, 5000, "random", "clip"));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} grid {1}: n {2}, d {3}, batch {4}, weights {5}, {6}")
    @MethodSource("weightedFusedCases")
    void weightedFusedEpochsMatchTheCpuEngine(String kernel, int grid, int n, int d, int batch, String weights, String rule)
            throws Exception {
        FusedRun run = fusedRun(kernel, grid, n, d, batch, true, rule, weights);
        assertFusedMatchesCpu(run, grid, emulate("fused", run.input()));
        if (weights.equals("ones")) {
            FusedRun plain = fusedRun(kernel, grid, n, d, batch, true, rule);
            assertArrayEquals(bits(plain.cpu().w()), bits(run.cpu().w()), "all ones: the unweighted w, " + run.where());
            assertEquals(Float.floatToRawIntBits(plain.cpu().b()), Float.floatToRawIntBits(run.cpu().b()), "b");
        }
    }
}
