package linreg.spark;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import linreg.data.Dataset;
import linreg.spec.LearningRateSchedule;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;

/**
 * The README's local-mode numbers (a benchmark, not a test): on the 200,000-row problem of
 * ParameterMixingTest, for the tutorial's settings and for ParameterMixingTest's, one machine's
 * run against 1, 2 and 4 partitions in local[4]: wall time of fit (the frame cached), the largest
 * relative difference of w, b from the single run, and the MAE over the IRLS optimum.
 * Run by {@code make bench-spark}.
 */
public final class MixingBench {
    private MixingBench() {}

    public static void main(String[] args) {
        Dataset data = Problems.noisy(new SplittableRandom(7), 200_000, 4, 1);
        double optimum = LeastAbsoluteDeviationsIrls.mae(LeastAbsoluteDeviationsIrls.fit(data), data);
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame = LocalSpark.frame(data, 4).cache();
        frame.count();
        System.out.printf(Locale.ROOT, "machine: %d cores; Spark local[4]; 200000 rows x 4 features, noise sd 1;"
                + " LAD optimum MAE %.6f%n", Runtime.getRuntime().availableProcessors(), optimum);
        for (boolean tutorial : new boolean[] {true, false}) {
            TrainConfig config = tutorial ? TrainConfig.builder().seed(3).build()
                    : TrainConfig.builder().seed(3).epochs(20).batchSize(256)
                            .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 1, 10, 0.5)).build();
            String name = tutorial ? "tutorial (lr 0.05 constant, batch 16, 50 epochs)"
                    : "lr 0.05 invsqrt T=1, batch 256, 20 epochs";
            long start = System.nanoTime();
            TrainResult single = Engines.cpu().train(data, config);
            double singleSeconds = (System.nanoTime() - start) * 1e-9;
            double[] s = Arrays.copyOf(toDouble(single.w()), 5);
            s[4] = single.b();
            System.out.printf(Locale.ROOT, "%s: single machine %.2f s, MAE/optimum %.5f%n", name, singleSeconds,
                    LeastAbsoluteDeviationsIrls.mae(s, data) / optimum);
            for (int partitions : new int[] {1, 2, 4}) {
                LinregRegressor estimator = new LinregRegressor().setNumPartitions(partitions).setEngine("cpu")
                        .setSeed(3).setEpochs(config.epochs()).setBatchSize(config.batchSize())
                        .setLrSchedule(config.optimiser().schedule().kind().name());
                start = System.nanoTime();
                LinregRegressionModel model = estimator.fit(frame);
                double seconds = (System.nanoTime() - start) * 1e-9;
                double[] m = Arrays.copyOf(model.weights(), 5);
                m[4] = model.bias();
                double worst = 0;
                for (int j = 0; j < 5; j++) {
                    worst = Math.max(worst, Math.abs(m[j] - s[j]) / Math.abs(s[j]));
                }
                System.out.printf(Locale.ROOT, "  %d partitions: fit %.2f s, max |param - single|/|single| %.4f%%,"
                        + " MAE/optimum %.5f%n", partitions, seconds, 100 * worst, LeastAbsoluteDeviationsIrls.mae(m, data) / optimum);
            }
        }
        LocalSpark.session().stop();
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            d[j] = v[j];
        }
        return d;
    }
}
