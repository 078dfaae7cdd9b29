package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.train.Engines;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused strategy against the CPU engine, and the pipeline replayed from a CUDA graph against
 * its plain launches: the same bits in both cases (KernelHostCodeTest checks the kernels on the
 * host; this settles what only a GPU can: memory ordering across blocks, the cooperative launch,
 * graph capture of cuBLAS, and the driver's JIT).
 */
@RequiresGpu
class GpuStrategyTest {
    private static TrainResult fused(Dataset data, TrainConfig config) {
        try (GpuSession session = GpuSession.open(0)) {
            return session.train(session.upload(data), config, EpochListener.NONE, Strategy.fused);
        }
    }

    private static TrainResult pipeline(Dataset data, TrainConfig config, PipelineTrainer.Graphs graphs) {
        GpuTestSupport.assumeGpu(Strategy.pipeline);
        try (CudaContext context = CudaContext.open(0)) {
            return new PipelineTrainer(context, graphs).train(DeviceDataset.upload(context, data), config,
                    EpochListener.NONE);
        }
    }

    private static void assertSameBits(TrainResult want, TrainResult got, String what) {
        assertArrayEquals(want.w(), got.w(), what + ": w");
        assertEquals(want.b(), got.b(), what + ": b");
        assertEquals(want.epochs(), got.epochs(), what + ": epochs trained");
        assertEquals(want.stoppedEarly(), got.stoppedEarly(), what + ": stopped early");
        assertArrayEquals(want.epochLoss(), got.epochLoss(), what + ": epoch losses");
        assertArrayEquals(want.epochMae(), got.epochMae(), what + ": epoch mean |r|");
        if (want.validation() != null) {
            assertArrayEquals(want.validation(), got.validation(), what + ": validation metrics");
        }
    }

    /** Every fused shape (warp, block, grid) and the batches around their limits, d = 1, 4, 300. */
    @ParameterizedTest(name = "n={0} d={1} batch={2} shuffle={3}")
    @CsvSource({
        "500, 4, 16, true", "500, 4, 16, false", "1001, 1, 1, true", "2000, 4, 17, true", "3000, 4, 32, true",
        "700, 9, 16, true", "5000, 4, 300, true", "9000, 4, 1024, true", "9000, 1, 1500, true", "30000, 4, 5000, true",
        "100000, 4, 8192, true", "100000, 4, 8192, false", "300000, 4, 65536, true", "300000, 1, 65536, false",
        "3000, 300, 1, true", "3000, 300, 16, true", "3000, 300, 17, true", "6000, 300, 1500, true",
        "30000, 300, 10000, true", "2000, 1100, 40, true", "20000, 1100, 9000, true",
    })
    void fusedGivesTheCpuEnginesBits(int n, int d, int batch, boolean shuffle) {
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 1.1f, n + d);
        TrainConfig config = TrainConfig.builder().seed(n + batch).epochs(4).batchSize(batch).shuffle(shuffle).build();
        assertSameBits(Engines.cpu().train(data, config), fused(data, config), "fused vs cpu");
    }

    /** Schedules, momentum, clipping, validation and early stopping on each fused shape. */
    @ParameterizedTest(name = "{0}, batch {1}")
    @CsvSource({
        "invsqrt, 16", "step, 300", "momentum, 16", "momentum, 10000", "nesterov, 17", "nesterov, 10000",
        "clip, 16", "clip, 2000", "clip, 10000", "validation, 16", "validation, 10000", "early-stopping, 64",
        "early-stopping, 10000", "all, 16", "all, 1500", "all, 10000", "quantile, 16", "quantile, 1500",
        "quantile, 10000", "average, 16", "average, 1500", "average, 10000", "average-validation, 16",
        "average-validation, 10000", "quantile-average-all, 16", "quantile-average-all, 10000",
    })
    void fusedExtensionsGiveTheCpuEnginesBits(String name, int batch) {
        Dataset data = SyntheticData.generate(40_000, SyntheticData.trueW(6), 0.3f, 9);
        TrainConfig config = extension(TrainConfig.builder().seed(21).epochs(12).batchSize(batch), name).build();
        assertSameBits(Engines.cpu().train(data, config), fused(data, config), "fused vs cpu, " + name);
    }

    private static TrainConfig.Builder extension(TrainConfig.Builder b, String name) {
        return switch (name) {
            case "invsqrt" -> b.schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 2, 10, 0.5));
            case "step" -> b.schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 3, 0.5));
            case "momentum" -> b.momentum(0.9f);
            case "nesterov" -> b.momentum(0.8f).nesterov(true);
            case "clip" -> b.clipNorm(0.3f);
            case "validation" -> b.validation(0.2);
            case "early-stopping" -> b.validation(0.2).patience(2).tol(1e-3);
            case "quantile" -> b.objective(Objective.quantile(0.9));
            case "average" -> b.average(3);
            case "average-validation" -> b.average(2).validation(0.2).patience(2).tol(1e-3);
            case "quantile-average-all" -> b.objective(Objective.quantile(0.2)).average(1).momentum(0.5f).nesterov(true)
                    .clipNorm(1f).schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 2, 10, 0.5));
            default -> b.momentum(0.5f).nesterov(true).clipNorm(1f).validation(0.1).patience(3)
                    .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 4, 0.5));
        };
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"16", "1000", "65536"})
    void fusedIsDeterministic(int batch) {
        Dataset data = SyntheticData.generate(200_000, SyntheticData.TUTORIAL_W, 1.1f, 8);
        TrainConfig config = TrainConfig.builder().seed(8).epochs(3).batchSize(batch).build();
        assertSameBits(fused(data, config), fused(data, config), "two fused runs");
    }

    @Test
    void fusedCopiesOnlyTheEpochRecordsAndTheParameters() {
        int epochs = 5;
        int d = 4;
        Dataset data = SyntheticData.generate(10_000, SyntheticData.TUTORIAL_W, 1.1f, 1);
        try (GpuSession session = GpuSession.open(0)) {
            DeviceDataset onDevice = session.upload(data);
            for (int batch : new int[] {16, 500, 10_000}) {
                TransferLog before = session.transfers();
                session.train(onDevice, TrainConfig.builder().epochs(epochs).batchSize(batch).build(), EpochListener.NONE,
                        Strategy.fused);
                TransferLog copies = session.transfers().minus(before);
                assertEquals(1, copies.toDeviceCopies(), "the start w0, b0");
                assertEquals(epochs + 1, copies.toHostCopies(), "a record per epoch, then w and b");
                assertEquals(16L * epochs + 4L * (d + 1), copies.toHostBytes());
            }
        }
    }

    @Test
    void fusedSaysWhichShapeRan() {
        Dataset data = SyntheticData.generate(20_000, SyntheticData.TUTORIAL_W, 1.1f, 2);
        assertTrue(fused(data, TrainConfig.builder().epochs(1).batchSize(16).build()).detail().startsWith("fused, one warp"));
        assertTrue(fused(data, TrainConfig.builder().epochs(1).batchSize(100).build()).detail().startsWith("fused, one block"));
        String grid = fused(data, TrainConfig.builder().epochs(1).batchSize(10_000).build()).detail();
        assertTrue(grid.startsWith("fused, cooperative grid of ") || grid.contains("no grid: "), grid);
    }

    /** A replayed epoch runs the same kernels on the same numbers: the same bits as plain launches. */
    @ParameterizedTest(name = "{0}, batch {1}")
    @CsvSource({
        "plain, 16", "plain, 1000", "plain, 5000", "no-shuffle, 64", "momentum, 16", "nesterov, 300", "clip, 16",
        "step, 32", "validation, 16", "early-stopping, 64", "all, 128", "quantile, 16", "average, 16",
        "average-validation, 64", "quantile-average-all, 300",
    })
    void graphReplayGivesThePlainLaunchesBits(String name, int batch) {
        Dataset data = SyntheticData.generate(20_000, SyntheticData.trueW(5), 0.3f, 4);
        TrainConfig.Builder b = TrainConfig.builder().seed(5).epochs(8).batchSize(batch);
        TrainConfig config = switch (name) {
            case "plain" -> b.build();
            case "no-shuffle" -> b.shuffle(false).build();
            default -> extension(b, name).build();
        };
        TrainResult plain = pipeline(data, config, PipelineTrainer.Graphs.never);
        TrainResult replayed = pipeline(data, config, PipelineTrainer.Graphs.always);
        Assumptions.assumeFalse(replayed.detail().contains("no CUDA graphs: "), replayed::detail);
        assertTrue(replayed.detail().endsWith("; epochs replayed from a CUDA graph"), replayed.detail());
        assertSameBits(plain, replayed, "graph replay vs plain launches");
        // Against the CPU only the parameters: the pipeline's |r|, and so its losses, come from gemv.
        TrainResult cpu = Engines.cpu().train(data, config);
        assertArrayEquals(cpu.w(), replayed.w(), "graph replay vs cpu: w");
        assertEquals(cpu.b(), replayed.b(), "graph replay vs cpu: b");
    }

    /** Auto times both ways on the first epochs and names its choice; the bits do not depend on it. */
    @Test
    void autoNamesItsChoice() {
        Dataset data = SyntheticData.generate(20_000, SyntheticData.TUTORIAL_W, 1.1f, 6);
        TrainConfig config = TrainConfig.builder().seed(6).epochs(8).batchSize(16).build();
        TrainResult auto = pipeline(data, config, PipelineTrainer.Graphs.auto);
        assertTrue(auto.detail().matches(".*; (epochs replayed from a CUDA graph|plain launches) \\(.*\\)"), auto.detail());
        assertSameBits(pipeline(data, config, PipelineTrainer.Graphs.never), auto, "auto vs plain launches");
        System.out.println("pipeline, batch 16: " + auto.detail() + "; epoch seconds " + Arrays.toString(auto.epochSeconds()));
    }
}
