package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.train.Engines;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Streamed GPU runs ({@code --streaming on}) on hardware: the CPU engine's bits (streaming computes
 * canonical residuals, no gemv), on rows in one array and in heap segments; small chunks so the
 * ring turns many times.
 */
@RequiresGpu
class StreamingGpuTest {
    private static TrainResult streamed(Dataset data, TrainConfig config, long chunkBytes) {
        try (GpuSession session = GpuSession.open(0)) {
            return new StreamingTrainer(session.context(), chunkBytes).train(data, config, EpochListener.NONE);
        }
    }

    @ParameterizedTest(name = "n={0} d={1} batch={2} shuffle={3} segments of {4}")
    @CsvSource({"20000, 4, 16, true, 0", "20000, 4, 16, false, 0", "30001, 7, 300, true, 1000", "5000, 64, 5000, true, 77",
        "100000, 3, 1024, true, 0"})
    void streamedRunsGiveTheCpuEnginesBits(int n, int d, int batch, boolean shuffle, int segmentRows) {
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.4f, n);
        if (segmentRows > 0) {
            data = data.inSegments(segmentRows);
        }
        TrainConfig config = TrainConfig.builder().seed(n + d).epochs(4).batchSize(batch).shuffle(shuffle).momentum(0.5f)
                .build();
        TrainResult cpu = Engines.cpu().train(data, config);
        TrainResult gpu = streamed(data, config, 4L * (d + 1) * batch * 5);
        assertTrue(gpu.detail().startsWith("streamed"), gpu.detail());
        assertArrayEquals(cpu.w(), gpu.w(), "w");
        assertEquals(cpu.b(), gpu.b(), "b");
        assertArrayEquals(cpu.epochLoss(), gpu.epochLoss(), "epoch losses");
        assertArrayEquals(cpu.epochMae(), gpu.epochMae(), "epoch mean |r|");
    }

    @Test
    void streamingOnThroughTheTrainerAndItsLimits() {
        Dataset data = SyntheticData.generate(3000, SyntheticData.TUTORIAL_W, 1.1f, 3);
        TrainConfig config = TrainConfig.builder().seed(3).epochs(3).batchSize(32).build();
        TrainResult on = new GpuTrainer(0, (n, d, b) -> Strategy.pipeline, Streaming.on).train(data, config);
        assertTrue(on.detail().startsWith("streamed"), on.detail());
        assertArrayEquals(Engines.cpu().train(data, config).w(), on.w());
        TrainResult auto = new GpuTrainer(0, (n, d, b) -> Strategy.pipeline, Streaming.auto).train(data, config);
        assertTrue(auto.detail().startsWith("pipeline"), "a problem that fits is not streamed: " + auto.detail());
        TrainConfig held = TrainConfig.builder().seed(3).epochs(3).batchSize(32).validation(0.2).build();
        assertThrows(IllegalArgumentException.class,
                () -> new GpuTrainer(0, (n, d, b) -> Strategy.pipeline, Streaming.on).train(data, held));
    }
}
