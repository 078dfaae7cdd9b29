package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.LearningRateSchedule;
import linreg.train.Engines;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A running mean carried on the GPU (--average continued, as the Spark estimator trains epoch by
 * epoch): 2 epochs on the CPU engine, then 3 more from its last iterate, mean and steps on each
 * strategy (the pipeline with plain launches and replayed from a CUDA graph, every fused shape)
 * give the CPU engine's continued run: the mean, the last iterate and the steps averaged bit for
 * bit (and the fused strategy's epoch losses); without momentum that is the longer run's result
 * too (with it the continued run's velocities start at zero). KernelHostCodeTest checks the same
 * in the emulator; this settles the uploads and downloads on hardware. Not yet run on a GPU.
 */
@RequiresGpu
class CarriedAverageGpuTest {
    @ParameterizedTest(name = "{0}: n {1}, d {2}, batch {3}, momentum {4}")
    @CsvSource({"pipeline, 20000, 4, 16, 0", "pipeline, 20000, 4, 1000, 0.9", "replayed, 20000, 5, 64, 0",
        "replayed, 20000, 5, 64, 0.9", "fused, 20000, 4, 16, 0", "fused, 20000, 7, 32, 0.9", "fused, 20000, 4, 1000, 0",
        "fused, 100000, 4, 16384, 0.9"})
    void aCarriedMeanIsTheCpuEnginesContinuedRun(String how, int n, int d, int batch, float momentum) {
        Strategy strategy = how.equals("fused") ? Strategy.fused : Strategy.pipeline;
        GpuTestSupport.assumeGpu(strategy);
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 1.1f, n + d);
        TrainConfig.Builder builder = TrainConfig.builder().seed(n + batch).batchSize(batch).momentum(momentum)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 2, 0.5)).average(1);
        TrainResult whole = Engines.cpu().train(data, builder.epochs(5).build());
        TrainResult first = Engines.cpu().train(data, builder.epochs(2).build());
        float[] iterate = first.iterate();
        TrainConfig continued = builder.epochs(3).firstEpoch(2).initW(Arrays.copyOf(iterate, d))
                .initB(iterate[d]).startAverage(first.params(), first.averagedSteps()).build();
        TrainResult cpu = Engines.cpu().train(data, continued);
        TrainResult gpu = how.equals("replayed") ? replayed(data, continued) : new GpuTrainer(0, strategy).train(data, continued);
        String where = how + ", batch " + batch + ", momentum " + momentum + " (" + gpu.detail() + ")";
        assertArrayEquals(cpu.w(), gpu.w(), "w (the mean), " + where);
        assertEquals(cpu.b(), gpu.b(), "b (the mean), " + where);
        assertArrayEquals(cpu.iterate(), gpu.iterate(), "the last iterate, " + where);
        assertEquals(cpu.averagedSteps(), gpu.averagedSteps(), "steps averaged, " + where);
        if (strategy == Strategy.fused) {
            assertArrayEquals(cpu.epochLoss(), gpu.epochLoss(), 0.0, "epoch losses, " + where);
        }
        if (momentum == 0) {
            assertArrayEquals(whole.w(), gpu.w(), "w: the longer run's, " + where);
            assertEquals(whole.b(), gpu.b(), "b: the longer run's, " + where);
        }
    }

    /** The pipeline with every epoch replayed from a CUDA graph (the epoch number read from device memory). */
    private static TrainResult replayed(Dataset data, TrainConfig config) {
        try (CudaContext context = CudaContext.open(0)) {
            TrainResult r = new PipelineTrainer(context, PipelineTrainer.Graphs.always).train(
                    DeviceDataset.upload(context, data), config, EpochListener.NONE);
            assertTrue(r.detail().contains("replayed from a CUDA graph") || r.detail().contains("no CUDA graphs: "),
                    r.detail());
            return r;
        }
    }
}
