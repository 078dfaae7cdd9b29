package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --no-intercept, --l2 and --l1 through the real command line: --json, the model file, predict, bad values. */
class PenaltyAndInterceptOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultRunIsTheRunWithZeroPenaltiesAndRecordsThemOff() {
        String[] base = {"train", "--engine", "cpu", "--samples", "300", "--epochs", "3"};
        Cli.Run plain = Cli.run(base);
        Cli.Run zero = Cli.run(concat(base, "--l2", "0", "--l1", "0"));
        assertEquals(0, plain.code(), plain.err());
        assertEquals(withoutTimings(plain.out()), withoutTimings(zero.out()), "explicit zeros are off: the same bits");
        String json = Cli.run(concat(base, "--json")).out();
        assertTrue(json.contains("\"fit_intercept\": true") || json.contains("\"fit_intercept\":true"), json);
        assertTrue(json.contains("\"l2\": null") || json.contains("\"l2\":null"), json);
        assertTrue(json.contains("\"l1\": null") || json.contains("\"l1\":null"), json);
    }

    @Test
    void noInterceptIsInTheModelFileAndPredictUsesBZero() throws Exception {
        Path model = dir.resolve("model.json");
        Cli.Run run = Cli.run("train", "--engine", "cpu", "--samples", "300", "--epochs", "4", "--no-intercept",
                "--l2", "0.01", "--l1", "0.001", "--quiet", "--save-model", model.toString());
        assertEquals(0, run.code(), run.err());
        JsonObject saved = JsonParser.parseString(Files.readString(model)).getAsJsonObject();
        assertEquals(0.0, saved.get("b").getAsDouble(), "b");
        JsonObject t = saved.getAsJsonObject("training");
        assertFalse(t.get("fit_intercept").getAsBoolean(), t.toString());
        assertEquals(0.01f, t.get("l2").getAsFloat());
        assertEquals(0.001f, t.get("l1").getAsFloat());
        assertEquals(0.0, t.get("init_b").getAsDouble(), "b starts at 0");

        JsonArray w = saved.getAsJsonArray("w");
        Path features = Files.writeString(dir.resolve("x.csv"), "a,b,c,d\n1,0,0,0\n0,0,0,0\n");
        Cli.Run predicted = Cli.run("predict", "--model", model.toString(), "--data", features.toString());
        assertEquals(0, predicted.code(), predicted.err());
        String[] lines = predicted.out().split("\n");
        assertEquals(w.get(0).getAsDouble(), Double.parseDouble(lines[1]), 1e-6, "x = e_0: w_0 + 0");
        assertEquals(0.0, Double.parseDouble(lines[2]), "x = 0: the bias, 0");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--l1, -1", "--l2, nan", "--l2, inf", "--l2, -0.5", "--l1, inf"})
    void aBadPenaltyIsNamed(String flag, String value) {
        Cli.assertRejected(Cli.run("train", "--engine", "cpu", "--samples", "100", "--epochs", "1", flag, value), flag);
    }

    @Test
    void noInterceptAndStandardizeAreRefused() {
        Cli.assertRejected(Cli.run("train", "--engine", "cpu", "--samples", "100", "--epochs", "1", "--no-intercept",
                "--standardize"), "--no-intercept", "--standardize");
    }

    /** The run's text up to its timing line. */
    private static String withoutTimings(String out) {
        return out.substring(0, out.indexOf("\nengine: "));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
