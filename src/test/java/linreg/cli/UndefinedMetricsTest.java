package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R² of a constant target is undefined, and every output says so the same way: "n/a" in text,
 * null in JSON and in the model file, through train, the model file and evaluate.
 */
class UndefinedMetricsTest {
    @TempDir
    Path dir;

    private Path constantTarget() throws Exception {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 7).append(",5\n");
        }
        return Files.writeString(dir.resolve("constant.csv"), csv);
    }

    @Test
    void trainSaysNaInTextAndNullInJsonAndTheModelFile() throws Exception {
        Path data = constantTarget();
        Path model = dir.resolve("m.json");
        Cli.Run text = Cli.run("train", "--engine", "cpu", "--data", data.toString(), "--validation", "0.25", "--epochs", "3",
                "--save-model", model.toString());
        assertEquals(ExitCode.OK, text.code(), text.err());
        assertTrue(text.out().contains("epoch 002: loss: "), text.out());
        assertEquals(4, text.out().split("R² n/a", -1).length - 1, "three epoch lines and the summary: " + text.out());
        assertFalse(text.out().contains("Infinity") || text.out().contains("NaN"), text.out());

        Cli.Run json = Cli.run("train", "--engine", "cpu", "--data", data.toString(), "--validation", "0.25", "--epochs", "3",
                "--json");
        assertEquals(ExitCode.OK, json.code(), json.err());
        JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(3, o.get("validation_r2").getAsJsonArray().size());
        for (JsonElement r2 : o.get("validation_r2").getAsJsonArray()) {
            assertTrue(r2.isJsonNull(), json.out());
        }
        assertTrue(o.get("validation_mae").getAsJsonArray().get(2).getAsDouble() > 0);

        JsonObject metrics = JsonParser.parseString(Files.readString(model)).getAsJsonObject().getAsJsonObject("metrics");
        assertTrue(metrics.getAsJsonObject("train").get("r2").isJsonNull(), metrics.toString());
        assertTrue(metrics.getAsJsonObject("validation").get("r2").isJsonNull(), metrics.toString());
        assertTrue(metrics.getAsJsonObject("train").get("mae").getAsDouble() > 0, metrics.toString());
    }

    @Test
    void evaluateSaysNaInTextAndNullInJson() throws Exception {
        Path data = constantTarget();
        Path model = dir.resolve("m.json");
        assertEquals(ExitCode.OK, Cli.run("train", "--engine", "cpu", "--data", data.toString(), "--epochs", "2", "--quiet",
                "--save-model", model.toString()).code());
        Cli.Run text = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(ExitCode.OK, text.code(), text.err());
        assertTrue(text.out().contains("R²:   n/a"), text.out());
        Cli.Run json = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json");
        assertEquals(ExitCode.OK, json.code(), json.err());
        JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
        assertTrue(o.get("r2").isJsonNull(), json.out());
        assertTrue(o.get("mae").getAsDouble() > 0, json.out());
    }

    @Test
    void jsonWritesEveryNonFiniteNumberAsNull() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("nan", Double.NaN);
        o.put("doubles", new double[] {1.5, Double.NEGATIVE_INFINITY});
        o.put("float", Float.POSITIVE_INFINITY);
        o.put("floats", new float[] {0.05f, Float.NaN});
        o.put("long", 3L);
        assertEquals("{\"nan\":null,\"doubles\":[1.5,null],\"float\":null,\"floats\":[0.05,null],\"long\":3}", Json.object(o));
    }
}
