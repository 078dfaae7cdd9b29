package linreg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import linreg.cli.Main;
import linreg.data.Dataset;
import linreg.data.SampleWeights;
import linreg.model.Model;
import linreg.model.ModelFile;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With one partition the estimator computes the bits of {@code linreg train} on the same rows in the same order. */
class OnePartitionTest {
    private static final long RUN_SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void theCommandLinesBitsFromTheSameCsv() throws Exception {
        Dataset data = Problems.noisy(new SplittableRandom(RUN_SEED), 3000, 4, 1);
        Path csv = Problems.csv(dir.resolve("train.csv"), data);
        Path saved = dir.resolve("cli.json");
        long seed = RUN_SEED & 0xFFFF;
        run("train", "--data", csv.toString(), "--engine", "cpu", "--quiet", "--seed", Long.toString(seed),
                "--epochs", "7", "--batch-size", "32", "--lr", "0.02", "--lr-schedule", "invsqrt", "--lr-decay", "2",
                "--clip-norm", "5", "--save-model", saved.toString());
        Model cli = ModelFile.read(saved);

        // The same rows, read back from the CSV as the command line read them, in four input slices.
        LinregRegressionModel model = new LinregRegressor().setNumPartitions(1).setEngine("cpu").setSeed(seed)
                .setEpochs(7).setBatchSize(32).setLr(0.02).setLrSchedule("invsqrt").setLrDecay(2).setClipNorm(5)
                .fit(LocalSpark.frame(Problems.read(csv), 4));
        assertArrayEquals(cli.w(), model.weights(), "replay with -Dlinreg.test.seed=" + RUN_SEED);
        assertEquals(cli.b(), model.bias());
    }

    @Test
    void everyEpochsLossAndTheParametersOfTheCoreEngine() {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ 1);
        Dataset data = Problems.noisy(random, 5000, 3, 0.5);
        TrainConfig config = TrainConfig.builder().seed(random.nextLong()).epochs(6).batchSize(16)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 2, 0.5)).build();
        TrainResult core = Engines.cpu().train(data, config);
        LinregRegressionModel model = new LinregRegressor().setNumPartitions(1).setEngine("cpu")
                .setSeed(config.seed()).setEpochs(6).setLrSchedule("step").setLrStepEvery(2)
                .fit(LocalSpark.frame(data, 3));
        String replay = "replay with -Dlinreg.test.seed=" + RUN_SEED;
        assertArrayEquals(core.epochLoss(), model.epochLoss(), replay);
        assertArrayEquals(core.epochMae(), model.epochMae(), replay);
        for (int j = 0; j < 3; j++) {
            assertEquals(core.w()[j], (float) model.weights()[j], replay);
        }
        assertEquals(core.b(), (float) model.bias(), replay);
    }

    @Test
    void weightedRowsGiveTheCoreEnginesWeightedBits() throws Exception {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ 3);
        Dataset plain = Problems.noisy(random, 3000, 3, 1);
        float[] v = new float[plain.samples()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextDouble(0.1, 3);  // a quarter of the rows left out
        }
        Dataset data = plain.withWeights(SampleWeights.of(v, "weightCol", "test"));
        TrainConfig config = TrainConfig.builder().seed(random.nextLong()).epochs(4).batchSize(16).build();
        TrainResult core = Engines.cpu().train(data, config);
        LinregRegressionModel model = new LinregRegressor().setNumPartitions(1).setSeed(config.seed()).setEpochs(4)
                .setWeightCol("weight").fit(LocalSpark.frame(data, 2));
        String replay = "replay with -Dlinreg.test.seed=" + RUN_SEED;
        assertArrayEquals(core.epochLoss(), model.epochLoss(), replay);
        for (int j = 0; j < 3; j++) {
            assertEquals(core.w()[j], (float) model.weights()[j], replay);
        }
        assertEquals(core.b(), (float) model.bias(), replay);
        TrainResult unweighted = Engines.cpu().train(plain, config);
        assertNotEquals(unweighted.b(), core.b(), "the weights change the run");

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new LinregRegressor()
                .setNumPartitions(1).setEpochs(1).setWeightCol("weight")
                .fit(LocalSpark.frame(data, 1).withColumn("weight", functions.lit(-1.0))));
        assertTrue(bad.getMessage().contains("partition 0: the weight of row 0 is -1.0: a weight must not be negative"),
                bad.getMessage());
    }

    @Test
    void theQuantileLossTooGivesTheCoreEnginesBits() {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ 2);
        Dataset data = Problems.noisy(random, 4000, 3, 1);
        double tau = random.nextDouble(0.05, 0.95);
        TrainConfig config = TrainConfig.builder().seed(random.nextLong()).epochs(5).batchSize(16).lr(0.02f)
                .objective(Objective.quantile(tau)).build();
        TrainResult core = Engines.cpu().train(data, config);
        LinregRegressionModel model = new LinregRegressor().setNumPartitions(1).setEngine("cpu").setSeed(config.seed())
                .setEpochs(5).setLr(0.02).setLoss("quantile").setQuantile(tau).fit(LocalSpark.frame(data, 2));
        String replay = "tau " + tau + "; replay with -Dlinreg.test.seed=" + RUN_SEED;
        assertArrayEquals(core.epochLoss(), model.epochLoss(), replay);
        for (int j = 0; j < 3; j++) {
            assertEquals(core.w()[j], (float) model.weights()[j], replay);
        }
        assertEquals(core.b(), (float) model.bias(), replay);
    }

    /** l2, l1 and fitIntercept are linreg train's --l2, --l1 and --no-intercept: one partition gives the core's bits. */
    @Test
    void penaltiesAndNoInterceptToo() {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ 4);
        Dataset data = Problems.noisy(random, 3000, 3, 1);
        float l2 = (float) random.nextDouble(0.001, 0.1);
        float l1 = (float) random.nextDouble(0.001, 0.1);
        TrainConfig config = TrainConfig.builder().seed(random.nextLong()).epochs(4).batchSize(16).lr(0.02f).l2(l2).l1(l1)
                .intercept(false).build();
        TrainResult core = Engines.cpu().train(data, config);
        LinregRegressionModel model = new LinregRegressor().setNumPartitions(1).setEngine("cpu").setSeed(config.seed())
                .setEpochs(4).setLr(0.02).setL2(l2).setL1(l1).setFitIntercept(false).fit(LocalSpark.frame(data, 2));
        String replay = "l2 " + l2 + ", l1 " + l1 + "; replay with -Dlinreg.test.seed=" + RUN_SEED;
        assertArrayEquals(core.epochLoss(), model.epochLoss(), replay);
        for (int j = 0; j < 3; j++) {
            assertEquals(core.w()[j], (float) model.weights()[j], replay);
        }
        assertEquals(0.0, model.bias(), replay);
        assertEquals(core.b(), (float) model.bias(), replay);
    }

    /** With averaging the running mean is carried from epoch to epoch: one partition is the core's averaged run. */
    @Test
    void averagingToo() {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ 3);
        Dataset data = Problems.noisy(random, 3000, 3, 1);
        TrainConfig config = TrainConfig.builder().seed(random.nextLong()).epochs(6).batchSize(16).lr(0.02f).average(2)
                .build();
        TrainResult core = Engines.cpu().train(data, config);
        LinregRegressionModel model = new LinregRegressor().setNumPartitions(1).setEngine("cpu").setSeed(config.seed())
                .setEpochs(6).setLr(0.02).setAverageStart(2).fit(LocalSpark.frame(data, 2));
        String replay = "replay with -Dlinreg.test.seed=" + RUN_SEED;
        assertArrayEquals(core.epochLoss(), model.epochLoss(), replay);
        for (int j = 0; j < 3; j++) {
            assertEquals(core.w()[j], (float) model.weights()[j], replay);
        }
        assertEquals(core.b(), (float) model.bias(), replay);
    }

    private static void run(String... args) throws IOException {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, String.join(" ", args) + ": " + err);
    }
}
