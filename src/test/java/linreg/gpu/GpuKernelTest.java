package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import linreg.cpu.MaeGradient;
import linreg.spec.CanonicalSum;
import linreg.spec.Permutation;
import linreg.spec.Residual;
import linreg.spec.SgdUpdate;
import linreg.train.TrainConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kernel against its CPU reference on fresh random inputs, bit for bit: sizes that are not
 * multiples of the block size, batch 1, partial segments, d = 1, 4 and 300.
 */
@RequiresGpu
class GpuKernelTest {
    private static final long RUN_SEED = System.nanoTime();
    private static CudaContext context;
    private static Kernels kernels;

    @BeforeAll
    static void open() {
        context = CudaContext.open(0);
        kernels = context.kernels();
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    private static float[] gaussian(SplittableRandom random, int count, double scale) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return v;
    }

    private static DeviceBuffer upload(String name, float[] host) {
        DeviceBuffer b = context.allocate(name, 4L * Math.max(1, host.length));
        b.upload(host);
        return b;
    }

    private static float[] download(DeviceBuffer buffer, int count) {
        float[] host = new float[count];
        buffer.download(host);
        return host;
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"1", "3", "1000", "1000003"})
    void permutationIndicesMatchTheCpu(int n) {
        for (int epoch : new int[] {0, 7}) {
            long seed = RUN_SEED + n;
            DeviceBuffer out = context.allocate("perm", 4L * n);
            kernels.launch(KernelSignature.permutation_indices.args().pointer("out", out.pointer()).intValue("n", n)
                    .unsignedLong("permSeed", seed).intValue("epoch", epoch), Launch.gridStride(context.device(), n),
                    Launch.THREADS);
            int[] gpu = new int[n];
            out.download(gpu);
            int[] cpu = new int[n];
            Permutation.of(seed, epoch, n).fill(cpu, 0, n);
            assertArrayEquals(cpu, gpu, "n=" + n + " epoch " + epoch + " seed " + seed);
            out.close();
        }
    }

    /** The launch follows the uploads directly; 1000003 × 5 floats cross in three pinned chunks. */
    @ParameterizedTest(name = "n={0} d={1}")
    @CsvSource({"1, 1", "777, 4", "1001, 300", "100003, 4", "5000, 33", "1000003, 5"})
    void shuffleGatherMatchesTheCpu(int n, int d) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ n);
        float[] x = gaussian(random, n * d, 1);
        float[] y = gaussian(random, n, 1);
        long seed = random.nextLong();
        try (DeviceBuffer dx = upload("X", x); DeviceBuffer dy = upload("y", y);
                DeviceBuffer xs = context.allocate("Xs", 4L * n * d); DeviceBuffer ys = context.allocate("ys", 4L * n)) {
            kernels.launch(KernelSignature.shuffle_gather.args().pointer("X", dx.pointer()).pointer("y", dy.pointer())
                    .pointer("v", null).pointer("Xs", xs.pointer()).pointer("ys", ys.pointer()).pointer("vs", null)
                    .intValue("n", n).intValue("d", d)
                    .unsignedLong("permSeed", seed).intValue("epoch", 3), Launch.gridStride(context.device(), n), Launch.THREADS);
            float[] gx = download(xs, n * d);
            float[] gy = download(ys, n);
            Permutation perm = Permutation.of(seed, 3, n);
            for (int p = 0; p < n; p++) {
                int src = perm.apply(p);
                assertEquals(y[src], gy[p], "y at position " + p);
                for (int j = 0; j < d; j++) {
                    assertEquals(x[src * d + j], gx[p * d + j], "x at position " + p + ", feature " + j);
                }
            }
        }
    }

    @ParameterizedTest(name = "m={0} d={1} predictions={2}")
    @CsvSource({
        "1, 4, false", "16, 4, false", "255, 4, false", "257, 4, false", "1000, 1, false", "1025, 4, false",
        "5000, 4, false", "3001, 300, false", "4096, 17, false",
        "1, 4, true", "16, 4, true", "257, 1, true", "5000, 4, true", "2049, 300, true",
    })
    void maeGradientMatchesTheCpu(int m, int d, boolean predictions) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ (m * 31L + d));
        float[] x = gaussian(random, m * d, 1);
        float[] params = gaussian(random, d + 1, 2);
        float[] y = new float[m];
        float[] pred = new float[m];
        for (int i = 0; i < m; i++) {
            float canonical = Residual.residual(x, new float[m], d, i, params) - params[d];
            // Targets near the predictions (so some residuals are tiny and the sign check works),
            // and predictions summed in reverse order (as another library may).
            y[i] = canonical + params[d] + (i % 5 == 0 ? 0f : (float) (1e-5 * random.nextGaussian()));
            float reverse = 0f;
            for (int j = d - 1; j >= 0; j--) {
                reverse += x[i * d + j] * params[j];
            }
            pred[i] = reverse;
        }
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = i;
        }
        float[] expected = new float[d + 2];
        if (predictions) {
            expected = referenceWithPredictions(x, y, d, m, params, pred);
        } else {
            new MaeGradient(d).compute(x, y, rows, 0, m, params, expected);
        }
        int segments = CanonicalSum.segments(m);
        try (DeviceBuffer dx = upload("X", x); DeviceBuffer dy = upload("y", y); DeviceBuffer dp = upload("params", params);
                DeviceBuffer dpred = upload("pred", pred); DeviceBuffer seg = context.allocate("segments", 4L * segments * (d + 2));
                DeviceBuffer sums = context.allocate("sums", 4L * (d + 2)); DeviceBuffer counter = context.allocate("counter", 4)) {
            counter.clear();
            for (int launch = 0; launch < 2; launch++) {  // the second launch checks the counter reset
                kernels.launch(KernelSignature.mae_gradient.args().pointer("pred", predictions ? dpred.pointer() : null)
                        .pointer("Xb", dx.pointer()).pointer("yb", dy.pointer()).pointer("vb", null)
                        .pointer("params", dp.pointer())
                        .intValue("m", m).intValue("d", d).floatValue("lossAbove", 1f).floatValue("lossBelow", 1f)
                        .pointer("segmentSums", seg.pointer()).pointer("sums", sums.pointer())
                        .pointer("counter", counter.pointer()), segments, Launch.THREADS);
                float[] got = download(sums, d + 2);
                for (int q = 0; q < d + 2; q++) {
                    assertEquals(Float.floatToIntBits(expected[q]), Float.floatToIntBits(got[q]),
                            "launch " + launch + ", quantity " + q + ": expected " + expected[q] + ", got " + got[q]
                                    + " (seed " + RUN_SEED + ")");
                }
            }
        }
    }

    /** The kernel's sums with given predictions: checked residuals, canonical order. */
    private static float[] referenceWithPredictions(float[] x, float[] y, int d, int m, float[] params, float[] pred) {
        float[][] items = new float[d + 2][m];
        for (int t = 0; t < m; t++) {
            float r = Residual.checkedResidual(pred[t], x, y, d, t, params);
            float s = MaeGradient.sign(r);
            items[0][t] = Math.abs(r);
            items[1][t] = s;
            for (int j = 0; j < d; j++) {
                items[2 + j][t] = s * x[t * d + j];
            }
        }
        float[] out = new float[d + 2];
        for (int q = 0; q < d + 2; q++) {
            out[q] = CanonicalSum.of(items[q]);
        }
        return out;
    }

    @ParameterizedTest(name = "d={0} momentum={1} nesterov={2} clip={3}")
    @CsvSource({"1, 0, false, 0", "4, 0, false, 0", "300, 0, false, 0", "1500, 0, false, 0", "4, 0.9, false, 0",
        "4, 0.8, true, 0", "300, 0.5, true, 0.05", "4, 0, false, 0.5", "1500, 0.9, false, 2"})
    void sgdUpdateMatchesTheCpu(int d, float momentum, boolean nesterov, float clip) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ d);
        float[] params = gaussian(random, d + 1, 1);
        int m = 1 + random.nextInt(5000);
        float lr = 0.05f;
        SgdUpdate update = new SgdUpdate(TrainConfig.builder().momentum(momentum).nesterov(nesterov)
                .clipNorm(clip > 0 ? clip : null).build().optimiser(), d);
        float[] expected = params.clone();
        try (DeviceBuffer dp = upload("params", params); DeviceBuffer dv = context.allocate("velocity", 4L * (d + 1));
                DeviceBuffer stats = context.allocate("stats", 16)) {
            stats.clear();
            dv.clear();
            double loss = 0;
            for (int step = 0; step < 3; step++) {  // the velocity carries over
                float[] sums = gaussian(random, d + 2, 30);
                sums[0] = Math.abs(sums[0]);
                try (DeviceBuffer ds = upload("sums", sums)) {
                    kernels.launch(KernelSignature.sgd_update.args().pointer("params", dp.pointer())
                            .pointer("sums", ds.pointer()).pointer("velocity", dv.pointer()).intValue("d", d)
                            .intValue("m", m).floatValue("lr", lr).floatValue("momentum", momentum).flag("nesterov", nesterov)
                            .floatValue("clipNorm", clip).flag("intercept", true).floatValue("l2", 0f)
                            .floatValue("l1", 0f).flag("weighted", false).pointer("epochStats", stats.pointer()),
                            1, Launch.updateThreads(d));
                    update.apply(expected, sums, m, lr);
                    loss += (double) (sums[0] / m);
                    assertArrayEquals(new float[d + 2], download(ds, d + 2), "sums are zeroed");
                }
                assertArrayEquals(expected, download(dp, d + 1), "parameters after step " + step);
            }
            double[] got = new double[2];
            stats.download(got);
            assertEquals(loss, got[0], 0.0, "epoch loss");
        }
    }

    @ParameterizedTest(name = "m={0} d={1}")
    @CsvSource({"1, 4", "500, 4", "1025, 3", "100000, 4", "3000, 300"})
    void validationSumsMatchTheCpu(int m, int d) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ (m + d));
        float[] x = gaussian(random, m * d, 1);
        float[] y = gaussian(random, m, 3);
        float[] params = gaussian(random, d + 1, 1);
        float[] expected = linreg.train.ValidationMetrics.sums(linreg.data.Dataset.of(x, y, d, "test", null, null), params);
        int segments = CanonicalSum.segments(m);
        try (DeviceBuffer dx = upload("X", x); DeviceBuffer dy = upload("y", y); DeviceBuffer dp = upload("params", params);
                DeviceBuffer seg = context.allocate("segments", 8L * segments); DeviceBuffer out = context.allocate("out", 8);
                DeviceBuffer counter = context.allocate("counter", 4)) {
            counter.clear();
            kernels.launch(KernelSignature.validation_sums.args().pointer("X", dx.pointer()).pointer("y", dy.pointer())
                    .pointer("v", null).pointer("params", dp.pointer()).intValue("m", m).intValue("d", d).pointer("segmentSums", seg.pointer())
                    .pointer("out", out.pointer()).pointer("counter", counter.pointer()), segments, Launch.THREADS);
            float[] got = download(out, 2);
            assertEquals(Float.floatToIntBits(expected[0]), Float.floatToIntBits(got[0]), "A = Σ|r|");
            assertEquals(Float.floatToIntBits(expected[1]), Float.floatToIntBits(got[1]), "B = Σ r²");
        }
    }

    @ParameterizedTest(name = "d={0}")
    @CsvSource({"1", "4", "300"})
    void finishTargetsMatchesTheCpu(int d) {
        SplittableRandom random = new SplittableRandom(RUN_SEED + d);
        int n = 100_003;
        float[] x = gaussian(random, n * d, 1);
        float[] w = gaussian(random, d, 5);
        float[] noise = gaussian(random, n, 1);
        try (DeviceBuffer dy = context.allocate("y", 4L * n); DeviceBuffer dx = upload("X", x);
                DeviceBuffer dw = upload("w", w); DeviceBuffer dn = upload("noise", noise)) {
            kernels.launch(KernelSignature.finish_targets.args().pointer("y", dy.pointer()).pointer("X", dx.pointer())
                    .pointer("trueW", dw.pointer()).pointer("noise", dn.pointer()).intValue("n", n).intValue("d", d)
                    .floatValue("trueB", 1.1f).floatValue("noiseStd", 0.01f), Launch.gridStride(context.device(), n),
                    Launch.THREADS);
            float[] got = download(dy, n);
            for (int i = 0; i < n; i++) {
                float want = DeviceDataGenerator.target(x, i, w, 1.1f, 0.01f, noise[i]);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), "y[" + i + "]");
            }
        }
    }
}
