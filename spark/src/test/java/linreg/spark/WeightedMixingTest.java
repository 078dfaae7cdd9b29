package linreg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SampleWeights;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Test;

/** Weighted rows in several partitions: each partition's parameters weigh its share of the sample weights. */
class WeightedMixingTest {
    private static final long RUN_SEED = Long.getLong("linreg.test.seed", System.nanoTime());
    private static final int PARTITIONS = 2;

    @Test
    void aPartitionWeighsItsShareOfTheSampleWeights() throws DataException {
        SplittableRandom random = new SplittableRandom(RUN_SEED);
        Dataset plain = Problems.noisy(random, 2000, 3, 1);
        float[] v = new float[plain.samples()];
        for (int i = 0; i < v.length; i++) {
            // Partition 1 (the odd rows) weighs about three times partition 0.
            v[i] = (float) (i % 2 == 0 ? random.nextDouble(0.1, 1) : random.nextDouble(2, 4));
        }
        Dataset data = plain.withWeights(SampleWeights.of(v, "weightCol", "test"));
        TrainConfig config = TrainConfig.builder().seed(random.nextLong()).epochs(1).batchSize(16).build();

        // Row i goes to partition i mod P, in order: one epoch of each, from the same start.
        float[][] params = new float[PARTITIONS][];
        double[] weight = new double[PARTITIONS];
        long[] rows = new long[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            Dataset part = partition(data, p);
            TrainResult one = Engines.cpu().train(part, config);
            params[p] = new float[] {one.w()[0], one.w()[1], one.w()[2], one.b()};
            for (float x : part.weights().values()) {
                weight[p] += x;
            }
            rows[p] = part.samples();
        }
        float[] byWeight = mix(params, weight);
        float[] byRows = mix(params, new double[] {rows[0], rows[1]});

        LinregRegressionModel model = new LinregRegressor().setNumPartitions(PARTITIONS).setSeed(config.seed()).setEpochs(1)
                .setWeightCol("weight").fit(LocalSpark.frame(data, 3));
        String replay = "replay with -Dlinreg.test.seed=" + RUN_SEED;
        for (int j = 0; j < 3; j++) {
            assertEquals(byWeight[j], (float) model.weights()[j], "w" + j + ", " + replay);
        }
        assertEquals(byWeight[3], (float) model.bias(), replay);
        assertNotEquals(byRows[3], byWeight[3], "shares of the rows would mix otherwise, " + replay);
    }

    /** The rows of partition p, in order, with their weights. */
    private static Dataset partition(Dataset data, int p) throws DataException {
        int d = data.features();
        int n = (data.samples() - p + PARTITIONS - 1) / PARTITIONS;
        float[] x = new float[n * d];
        float[] y = new float[n];
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            int i = p + k * PARTITIONS;
            System.arraycopy(data.x(), i * d, x, k * d, d);
            y[k] = data.y()[i];
            v[k] = data.weights().values()[i];
        }
        return Dataset.of(x, y, d, "partition " + p, null, null).withWeights(SampleWeights.of(v, "weightCol", "test"));
    }

    /** As the tasks mix: each partition's share times its parameters, summed in float64 in partition order. */
    private static float[] mix(float[][] params, double[] weight) {
        double total = 0;
        for (double w : weight) {
            total += w;
        }
        double[] sum = new double[params[0].length];
        for (int p = 0; p < params.length; p++) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += weight[p] / total * params[p][j];
            }
        }
        float[] mixed = new float[sum.length];
        for (int j = 0; j < sum.length; j++) {
            mixed[j] = (float) sum[j];
        }
        return mixed;
    }
}
