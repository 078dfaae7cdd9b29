package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.LearningRateSchedule;
import linreg.train.Agreement;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whole GPU runs: against the CPU engine on shared data, against themselves, and what they copy. */
@RequiresGpu(Strategy.pipeline)  // new GpuTrainer(0) runs the pipeline
class GpuTrainerTest {
    @ParameterizedTest(name = "n={0} d={1} batch={2} shuffle={3}")
    @CsvSource({
        "500, 4, 16, true", "500, 4, 16, false", "1001, 3, 1, true", "20000, 4, 1000, true",
        "30000, 300, 64, true", "100000, 4, 4096, true", "50000, 2, 50000, true",
    })
    void agreesWithTheCpuEngineOnTheSameData(int n, int d, int batch, boolean shuffle) {
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 1.1f, n);
        TrainConfig config = TrainConfig.builder().seed(n + d).epochs(6).batchSize(batch).shuffle(shuffle).build();
        TrainResult cpu = Engines.cpu().train(data, config);
        TrainResult gpu = new GpuTrainer(0).train(data, config);
        Agreement.Verdict v = Agreement.verdict(data, config, cpu, gpu);
        assertArrayEquals(cpu.w(), gpu.w(), "w: the parameters must be bit-identical");
        assertEquals(cpu.b(), gpu.b(), "b");
        assertTrue(v.agree(), "epoch losses " + Arrays.toString(v.difference().epochLossRelative()) + " beyond "
                + Arrays.toString(v.lossTolerance()));
    }

    /** Schedules, momentum, clipping, validation and early stopping: the same bits as the CPU engine. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"invsqrt", "step", "momentum", "nesterov", "clip", "validation", "early-stopping", "all"})
    void extensionsAgreeWithTheCpuEngine(String name) {
        TrainConfig.Builder b = TrainConfig.builder().seed(21).epochs(12).batchSize(64);
        switch (name) {
            case "invsqrt" -> b.schedule(new linreg.spec.LearningRateSchedule(linreg.spec.LearningRateSchedule.Kind.invsqrt, 2, 10, 0.5));
            case "step" -> b.schedule(new linreg.spec.LearningRateSchedule(linreg.spec.LearningRateSchedule.Kind.step, 1, 3, 0.5));
            case "momentum" -> b.momentum(0.9f);
            case "nesterov" -> b.momentum(0.8f).nesterov(true);
            case "clip" -> b.clipNorm(0.3f);
            case "validation" -> b.validation(0.2);
            case "early-stopping" -> b.validation(0.2).patience(2).tol(1e-3);
            default -> b.momentum(0.5f).nesterov(true).clipNorm(1f).validation(0.1).patience(3);
        }
        TrainConfig config = b.build();
        Dataset data = SyntheticData.generate(20_000, SyntheticData.trueW(6), 0.3f, 9);
        TrainResult cpu = Engines.cpu().train(data, config);
        TrainResult gpu = new GpuTrainer(0).train(data, config);
        assertEquals(cpu.epochs(), gpu.epochs(), "epochs trained");
        assertEquals(cpu.stoppedEarly(), gpu.stoppedEarly());
        assertArrayEquals(cpu.w(), gpu.w(), "w");
        assertEquals(cpu.b(), gpu.b(), "b");
        if (config.holdOut().validates()) {
            for (int e = 0; e < cpu.epochs(); e++) {
                assertEquals(cpu.validation()[e], gpu.validation()[e], "validation metrics of epoch " + e);
            }
        }
    }

    @Test
    void sameSeedSameBitsOnTheGpu() {
        TrainConfig config = TrainConfig.builder().seed(8).epochs(4).batchSize(256).build();
        GpuTrainer gpu = new GpuTrainer(0);
        TrainResult a = gpu.trainSynthetic(200_000, SyntheticData.TUTORIAL_W, 1.1f, 8, config, (e, l, m, s) -> { });
        TrainResult b = gpu.trainSynthetic(200_000, SyntheticData.TUTORIAL_W, 1.1f, 8, config, (e, l, m, s) -> { });
        assertArrayEquals(a.w(), b.w());
        assertEquals(a.b(), b.b());
        assertArrayEquals(a.epochLoss(), b.epochLoss());
    }

    @Test
    void onlyTheEpochLossesAndTheParametersComeBack() {
        int epochs = 7;
        int d = 4;
        Dataset data = SyntheticData.generate(10_000, SyntheticData.TUTORIAL_W, 1.1f, 1);
        GpuTrainer gpu = new GpuTrainer(0);
        gpu.train(data, TrainConfig.builder().epochs(epochs).batchSize(16).build());
        TransferLog copies = gpu.lastTransfers();
        assertEquals(epochs + 1, copies.toHostCopies(), "one copy per epoch and the final parameters");
        assertEquals(16L * epochs + 4L * (d + 1), copies.toHostBytes(), "16 bytes per epoch, then w and b");
        gpu.train(data, TrainConfig.builder().epochs(epochs).batchSize(16).validation(0.1).build());
        copies = gpu.lastTransfers();
        assertEquals(epochs + 2, copies.toHostCopies(), "the validation targets once, a record per epoch, w and b");
        assertEquals(4L * 1000 + 24L * epochs + 4L * (d + 1), copies.toHostBytes());
        assertEquals(1, copies.toDeviceCopies(), "the start w0, b0");
    }

    @Test
    void tutorialProblemOnGeneratedDataConverges() {
        TrainResult r = new GpuTrainer(0).trainSynthetic(500, SyntheticData.TUTORIAL_W, 1.1f, 0,
                TrainConfig.builder().build(), (e, l, m, s) -> { });
        for (int j = 0; j < 4; j++) {
            assertTrue(Math.abs(r.w()[j] - SyntheticData.TUTORIAL_W[j]) < 0.08, "w" + j + " = " + r.w()[j]);
        }
        assertTrue(Math.abs(r.b() - 1.1f) < 0.08, "b = " + r.b());
    }
}
