package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SampleWeights;
import linreg.data.SyntheticData;
import linreg.spec.Permutation;
import linreg.train.Agreement;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sample weights on the GPU (docs/algorithm.md §4, "Sample weights"): a weighted run of each
 * strategy, with a hold-out and the extensions, against the CPU engine's weighted run on the same
 * rows. KernelHostCodeTest checks the same kernels bit for bit in the emulator; this settles it on
 * hardware. Not yet run on a GPU.
 */
@RequiresGpu
class WeightedGpuTest {
    /** Weights in [0, 3) with every fifth 0; with {@code zeroBatch}, every row of epoch 0's second batch weighs 0. */
    private static Dataset weighted(Dataset data, TrainConfig config, boolean zeroBatch) throws DataException {
        int n = data.samples();
        SplittableRandom r = new SplittableRandom(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 5 == 2 ? 0f : r.nextInt(96) / 32f;
        }
        v[0] = 1f;
        if (zeroBatch) {
            Permutation order = Permutation.of(config.permutationSeed(), 0, n);
            for (int p = config.batchSize(); p < 2 * config.batchSize(); p++) {
                v[order.apply(p)] = 0f;
            }
        }
        return data.withWeights(SampleWeights.of(v, "test", "test"));
    }

    @ParameterizedTest(name = "{0}: n {1}, d {2}, batch {3}, {4}")
    @CsvSource({"pipeline, 20000, 4, 16, plain", "pipeline, 20000, 4, 1000, zero batch", "pipeline, 30000, 300, 64, plain",
        "pipeline, 100000, 4, 4096, momentum", "pipeline, 20000, 6, 64, validation", "pipeline, 20000, 6, 64, all",
        "fused, 20000, 4, 16, plain", "fused, 20000, 7, 32, zero batch", "fused, 20000, 4, 1000, momentum",
        "fused, 100000, 4, 16384, plain", "fused, 20000, 6, 64, validation", "fused, 20000, 6, 64, all"})
    void aWeightedRunIsTheCpuEnginesWeightedRun(Strategy strategy, int n, int d, int batch, String rule)
            throws DataException {
        GpuTestSupport.assumeGpu(strategy);
        TrainConfig.Builder b = TrainConfig.builder().seed(n + d).epochs(5).batchSize(batch);
        switch (rule) {
            case "momentum" -> b.momentum(0.9f).average(1);
            case "validation" -> b.validation(0.2);
            case "all" -> b.momentum(0.5f).nesterov(true).clipNorm(1f).validation(0.1).average(2).l2(0.01f);
            default -> { }
        }
        TrainConfig config = b.build();
        Dataset data = weighted(SyntheticData.generate(n, SyntheticData.trueW(d), 1.1f, n), config,
                rule.equals("zero batch"));
        TrainResult cpu = Engines.cpu().train(data, config);
        TrainResult gpu = new GpuTrainer(0, strategy).train(data, config);
        String where = strategy + ", " + rule;
        assertArrayEquals(cpu.w(), gpu.w(), "w: bit-identical, " + where);
        assertEquals(cpu.b(), gpu.b(), "b, " + where);
        if (strategy == Strategy.fused) {
            assertArrayEquals(cpu.epochLoss(), gpu.epochLoss(), 0.0, "epoch losses, " + where);
            assertArrayEquals(cpu.epochMae(), gpu.epochMae(), 0.0, "epoch mean losses ΣS/ΣV, " + where);
        } else {
            Agreement.Verdict v = Agreement.verdict(data, config, cpu, gpu);
            assertTrue(v.agree(), "epoch losses " + Arrays.toString(v.difference().epochLossRelative()) + ", " + where);
        }
        for (int e = 0; config.holdOut().validates() && e < cpu.epochs(); e++) {
            assertEquals(cpu.validation()[e], gpu.validation()[e], "weighted validation metrics of epoch " + e + ", " + where);
        }
    }
}
