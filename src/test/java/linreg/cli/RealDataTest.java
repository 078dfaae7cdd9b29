package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import linreg.data.CsvLoader;
import linreg.train.LeastAbsoluteDeviations;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On public data with features of very different scales (src/test/resources/datasets), training
 * with --standardize and a decaying schedule ends within 1% of the exact least-absolute-deviations
 * optimum, computed by a linear program; measured: 0.28% (diabetes) and 0.15% (auto-mpg) above it.
 * Without --standardize the same run ends far off (measured: 4.7× and 2900× the optimum), which
 * is why the option exists.
 *
 * <p>With a constant step, which never settles on the MAE's kinks, averaging the iterates
 * (--average) brings the same 100 epochs within 1% (measured: constant lr 0.05 ends 6.1% and
 * 1.8% above the optimum, with --average 0.28% and 0.34%). And the quantile loss at τ = 0.1 and
 * 0.9 with constant lr 0.02 and --average 30 for 300 epochs ends within 2% of the exact
 * quantile-regression optimum, another linear program, with the fraction of targets below the
 * fit within 0.03 of τ (measured: 0.12% / 1.02% above on diabetes, 0.09% / 0.31% on auto-mpg;
 * fractions 0.0995 / 0.905 and 0.094 / 0.911).
 */
class RealDataTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"diabetes.csv", "auto-mpg.csv"})
    void standardizedTrainingReachesTheLadOptimum(String name) throws Exception {
        Path data = dir.resolve(name);
        Files.copy(Path.of("src/test/resources/datasets", name), data);
        double optimum = LeastAbsoluteDeviations.optimalMae(new CsvLoader().load(data, null));

        Path model = dir.resolve("model.json");
        String[] recipe = {"train", "--engine", "cpu", "--data", data.toString(), "--standardize", "--lr-schedule", "invsqrt",
            "--lr", "0.05", "--batch-size", "8", "--epochs", "100", "--quiet", "--save-model", model.toString()};
        Cli.Run train = Cli.run(recipe);
        assertEquals(0, train.code(), train.err());
        Cli.Run evaluate = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json");
        assertEquals(0, evaluate.code(), evaluate.err());
        double mae = JsonParser.parseString(evaluate.out()).getAsJsonObject().get("mae").getAsDouble();
        assertTrue(mae <= 1.01 * optimum, name + ": MAE " + mae + " vs the LAD optimum " + optimum);

        String[] raw = java.util.Arrays.stream(recipe).filter(a -> !a.equals("--standardize")).toArray(String[]::new);
        Cli.Run unscaled = Cli.run(raw);
        assertEquals(0, unscaled.code(), unscaled.err());
        Cli.Run rawEvaluate = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json");
        double rawMae = JsonParser.parseString(rawEvaluate.out()).getAsJsonObject().get("mae").getAsDouble();
        assertTrue(rawMae > 2 * optimum, name + ": without --standardize, MAE " + rawMae + " vs " + optimum);
    }

    /** Trains on {@code name} with {@code recipe} after the common flags, then evaluates the saved model. */
    private JsonObject trainAndEvaluate(String name, String... recipe) throws Exception {
        Path data = dir.resolve(name);
        if (!Files.exists(data)) {
            Files.copy(Path.of("src/test/resources/datasets", name), data);
        }
        Path model = dir.resolve("model.json");
        String[] common = {"train", "--engine", "cpu", "--data", data.toString(), "--standardize", "--batch-size", "8",
            "--quiet", "--save-model", model.toString()};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(common), java.util.Arrays.stream(recipe))
                .toArray(String[]::new);
        Cli.Run train = Cli.run(args);
        assertEquals(0, train.code(), train.err());
        Cli.Run evaluate = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json");
        assertEquals(0, evaluate.code(), evaluate.err());
        return JsonParser.parseString(evaluate.out()).getAsJsonObject();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"diabetes.csv", "auto-mpg.csv"})
    void averagingAConstantStepReachesTheLadOptimum(String name) throws Exception {
        double optimum = LeastAbsoluteDeviations.optimalMae(new CsvLoader().load(Path.of("src/test/resources/datasets", name), null));
        double constant = trainAndEvaluate(name, "--lr", "0.05", "--epochs", "100").get("mae").getAsDouble();
        double averaged = trainAndEvaluate(name, "--lr", "0.05", "--epochs", "100", "--average").get("mae").getAsDouble();
        assertTrue(averaged <= 1.01 * optimum, name + ": averaged MAE " + averaged + " vs the LAD optimum " + optimum);
        assertTrue(constant > averaged, name + ": the last iterate " + constant + " vs the average " + averaged);
    }

    @ParameterizedTest(name = "{0}, tau {1}")
    @CsvSource({"diabetes.csv, 0.1", "diabetes.csv, 0.9", "auto-mpg.csv, 0.1", "auto-mpg.csv, 0.9"})
    void quantileTrainingReachesTheQuantileRegressionOptimum(String name, double tau) throws Exception {
        double optimum = LeastAbsoluteDeviations.optimalPinball(
                new CsvLoader().load(Path.of("src/test/resources/datasets", name), null), tau);
        JsonObject fit = trainAndEvaluate(name, "--loss", "quantile", "--quantile", Double.toString(tau), "--lr", "0.02",
                "--epochs", "300", "--average", "30");
        double pinball = fit.get("pinball_loss").getAsDouble();
        double below = fit.get("fraction_below").getAsDouble();
        assertTrue(pinball <= 1.02 * optimum, name + ": pinball loss " + pinball + " vs the optimum " + optimum);
        assertTrue(pinball >= optimum * (1 - 1e-9), name + ": below the LP optimum? " + pinball + " < " + optimum);
        assertTrue(Math.abs(below - tau) <= 0.03, name + ": fraction below the fit " + below + " vs tau " + tau);
    }
}
