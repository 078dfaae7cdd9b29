package linreg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import linreg.cli.Cli;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one spelling of a configuration: written, read back, and the same run again. */
class TrainingCodecTest {
    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    @TempDir
    Path dir;

    static Stream<TrainConfig> configs() {
        SplittableRandom random = new SplittableRandom();
        return Stream.of(TrainConfig.builder().build(),
                TrainConfig.builder().lr(0.0123f).epochs(9).batchSize(7).seed(random.nextLong()).shuffle(false)
                        .threads(2).initW(new float[] {0.1f, -0.2f, 1e-7f, 3f}).initB(-0.5f).build(),
                TrainConfig.builder().seed(random.nextLong()).lr((float) random.nextDouble(1e-3, 1))
                        .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 2.5, 10, 0.5))
                        .momentum(0.9f).nesterov(true).clipNorm(0.7f).build(),
                TrainConfig.builder().seed(Long.MIN_VALUE)
                        .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 3, 0.25))
                        .validation(0.2).patience(3).tol(1e-4).epochs(20).build(),
                TrainConfig.builder().objective(Objective.quantile(random.nextDouble(0.01, 0.99))).average(30).epochs(40)
                        .build(),
                TrainConfig.builder().firstEpoch(12).epochs(5).initW(new float[] {1f, 2f, 3f, 4f}).initB(0.25f).build(),
                TrainConfig.builder().intercept(false).l2((float) random.nextDouble(1e-4, 1)).l1(1e-3f).clipNorm(2f)
                        .build());
    }

    /** What a reader sees: the map as JSON text, parsed again. */
    private static JsonObject asRead(Map<String, Object> written) {
        return JsonParser.parseString(GSON.toJson(written)).getAsJsonObject();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void writtenThenReadIsTheSameConfiguration(TrainConfig config) throws Exception {
        Map<String, Object> written = TrainingCodec.write(config, 4);
        TrainConfig read = TrainingCodec.read(asRead(written), "test");
        assertEquals(GSON.toJson(written), GSON.toJson(TrainingCodec.write(read, 4)));
        assertEquals(config.optimiser().lr(), read.optimiser().lr());
        assertEquals(config.seed(), read.seed());
        assertEquals(config.optimiser().schedule(), read.optimiser().schedule());
        assertEquals(config.optimiser().clip(), read.optimiser().clip());
        assertEquals(config.stopping().tol(), read.stopping().tol());
        assertEquals(config.objective().describe(), read.objective().describe());
        assertEquals(config.optimiser().averageStart(), read.optimiser().averageStart());
        assertEquals(config.start().firstEpoch(), read.start().firstEpoch(), "a continued run's first epoch");
        assertEquals(config.optimiser().intercept(), read.optimiser().intercept());
        assertEquals(config.optimiser().l2Alpha(), read.optimiser().l2Alpha());
        assertEquals(config.optimiser().l1Alpha(), read.optimiser().l1Alpha());
        assertArrayEquals(config.initialParams(4), read.initialParams(4), "the drawn start is written as taken");
    }

    @ParameterizedTest
    @MethodSource("configs")
    void toBuilderKeepsEverySetting(TrainConfig config) {
        assertEquals(GSON.toJson(TrainingCodec.write(config, 4)), GSON.toJson(TrainingCodec.write(config.toBuilder().build(), 4)));
    }

    /** Model files from before continued runs have no first_epoch: they started at epoch 0. */
    @Test
    void aFileWithoutAFirstEpochStartedAtEpochZero() throws Exception {
        JsonObject c = asRead(TrainingCodec.write(TrainConfig.builder().firstEpoch(3).build(), 2));
        c.remove("first_epoch");
        assertEquals(0, TrainingCodec.read(c, "test").start().firstEpoch());
    }

    @Test
    void offIsNullAndOnlyNull() {
        Map<String, Object> c = TrainingCodec.write(TrainConfig.builder().build(), 2);
        for (String key : List.of("quantile", "average", "clip_norm", "l2", "l1", "validation", "patience", "tol", "lr_decay", "lr_step_every", "lr_gamma")) {
            assertTrue(c.containsKey(key), key);
            assertNull(c.get(key), key);
        }
        assertEquals("constant", c.get("lr_schedule"));
        assertEquals(true, c.get("fit_intercept"));
    }

    @Test
    void aModelFileTrainsTheSameBitsAgain() throws Exception {
        Dataset data = SyntheticData.generate(300, SyntheticData.TUTORIAL_W, SyntheticData.TUTORIAL_B, 3);
        Path file = dir.resolve("model.json");
        Cli.Run run = Cli.run("train", "--engine", "cpu", "--samples", "300", "--seed", "3", "--epochs", "6",
                "--batch-size", "10", "--momentum", "0.5", "--clip-norm", "2", "--lr-schedule", "step",
                "--lr-step-every", "2", "--quiet", "--save-model", file.toString());
        assertEquals(0, run.code(), run.err());
        JsonObject training = JsonParser.parseString(Files.readString(file)).getAsJsonObject().getAsJsonObject("training");
        TrainConfig config = TrainingCodec.read(training, "model.json: training");
        TrainResult again = Engines.cpu().train(data, config);
        JsonObject saved = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        float[] w = new float[4];
        for (int j = 0; j < 4; j++) {
            w[j] = again.w()[j];
            assertEquals(saved.getAsJsonArray("w").get(j).getAsDouble(), (double) w[j], "w[" + j + "]");
        }
        assertEquals(saved.get("b").getAsDouble(), (double) again.b());
    }

    /**
     * Every part off its default (the loss and the hold-out in turn: the hold-out takes the MAE
     * only; the intercept and a start for b in turn: without an intercept b starts at 0), through a
     * model file and back: the same configuration, part for part.
     */
    static Stream<TrainConfig> everyPartSet() {
        TrainConfig.Builder base = TrainConfig.builder().seed(-77).epochs(13).batchSize(5).shuffle(false).threads(3)
                .lr(0.031f).schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 4, 0.3)).momentum(0.6f)
                .nesterov(true).clipNorm(1.5f).l2(2e-3f).l1(7e-4f).average(2).patience(4).tol(1e-3)
                .initW(new float[] {0.5f, -1f, 1e-9f, 2f}).firstEpoch(6);
        return Stream.of(base.objective(Objective.quantile(0.8)).intercept(false).build(),
                base.objective(Objective.MAE).intercept(true).initB(-0.375f).validation(0.25).build());
    }

    @ParameterizedTest
    @MethodSource("everyPartSet")
    void everyPartComesBackFromTheModelFile(TrainConfig config) throws Exception {
        Path file = dir.resolve("parts.json");
        ModelFile.write(file, new Model(new double[] {1, 2, 3, 4}, 0.5, null, null, null, TrainingCodec.write(config, 4),
                "cpu", "test", null, "synthetic", 100, null, null));
        Map<String, Object> training = ModelFile.read(file).training();
        TrainConfig read = TrainingCodec.read(JsonParser.parseString(GSON.toJson(training)).getAsJsonObject(),
                "parts.json: training");
        assertEquals(config.optimiser(), read.optimiser());
        assertEquals(config.stopping(), read.stopping());
        assertEquals(config.holdOut(), read.holdOut());
        assertEquals(config.start(), read.start());
        assertEquals(config, read);
    }

    @Test
    void aBadSettingIsNamed() {
        JsonObject c = asRead(TrainingCodec.write(TrainConfig.builder().build(), 2));
        c.addProperty("batch_size", 0);
        DataException e = assertThrows(DataException.class, () -> TrainingCodec.read(c, "m.json: training"));
        assertEquals("m.json: training: batch_size must be at least 1, got 0", e.getMessage());
        c.addProperty("batch_size", 1.5);
        assertEquals("m.json: training: \"batch_size\" is 1.5, expected an integer",
                assertThrows(DataException.class, () -> TrainingCodec.read(c, "m.json: training")).getMessage());
        c.remove("seed");
        c.addProperty("batch_size", 4);
        assertEquals("m.json: training: \"seed\" is missing",
                assertThrows(DataException.class, () -> TrainingCodec.read(c, "m.json: training")).getMessage());
    }
}
