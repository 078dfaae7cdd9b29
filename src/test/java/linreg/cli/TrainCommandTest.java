package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void defaultRunIsTheTutorialsOutput() {
        Cli.Run run = Cli.run("train");
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().split("\\R");
        Pattern epoch = Pattern.compile("epoch \\d{3}: loss: \\d+\\.\\d{6}");
        for (int e = 0; e < 50; e++) {
            assertTrue(epoch.matcher(lines[e]).matches(), lines[e]);
            assertTrue(lines[e].startsWith(String.format("epoch %03d: ", e)), lines[e]);
        }
        assertTrue(lines[50].startsWith("true w:    [10.000000, 7.000000, 5.000000, 2.000000]  true b:    1.100000"), lines[50]);
        assertTrue(lines[51].startsWith("learned w: ["), lines[51]);
        assertTrue(lines[52].startsWith("max |w - w*| = "), lines[52]);
        assertTrue(run.out().contains("engine: cpu"), run.out());
        assertTrue(run.err().contains("training on the CPU"), run.err());
    }

    @Test
    void jsonHasEveryDocumentedField() {
        Cli.Run run = Cli.run("train", "--json", "--epochs", "3", "--samples", "100", "--seed", "7");
        assertEquals(0, run.code(), run.err());
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        for (String field : new String[] {"engine", "engine_detail", "data", "n", "d", "n_train", "n_validation", "batch_size", "lr", "epochs",
            "seed", "shuffle", "threads", "init_w", "init_b", "epoch_loss", "epoch_mae", "epoch_seconds", "w", "b",
            "true_w", "true_b", "max_abs_dw", "abs_db", "feature_names", "target_name", "load_seconds",
            "train_seconds"}) {
            assertTrue(o.has(field), "missing " + field);
        }
        assertEquals("cpu", o.get("engine").getAsString());
        assertEquals(100, o.get("n").getAsInt());
        assertEquals(4, o.get("d").getAsInt());
        assertEquals(3, o.get("epoch_loss").getAsJsonArray().size());
        assertEquals(0.05f, o.get("lr").getAsFloat());
        assertEquals(7, o.get("seed").getAsLong());
        assertTrue(o.has("engine_reason"), "why this engine");
        Cli.Run cpu = Cli.run("train", "--json", "--epochs", "1", "--engine", "cpu");
        assertEquals("--engine cpu", JsonParser.parseString(cpu.out()).getAsJsonObject().get("engine_reason").getAsString());
    }

    @Test
    void explicitStartAndNoShuffleAreReproducibleAcrossSeeds() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x1,x2,target\n1,2,5\n2,1,4\n3,3,9\n0,1,1\n");
        String[] common = {"train", "--data", csv.toString(), "--init-w", "0.5,0.5", "--init-b", "0",
            "--no-shuffle", "--batch-size", "3", "--epochs", "4", "--json"};
        Cli.Run a = Cli.run(concat(common, "--seed", "1"));
        Cli.Run b = Cli.run(concat(common, "--seed", "2"));
        assertEquals(0, a.code(), a.err());
        JsonObject oa = JsonParser.parseString(a.out()).getAsJsonObject();
        JsonObject ob = JsonParser.parseString(b.out()).getAsJsonObject();
        assertEquals(oa.get("w"), ob.get("w"), "no randomness is left once start and order are fixed");
        assertEquals("target", oa.get("target_name").getAsString());
        assertTrue(oa.get("true_w").isJsonNull());
    }

    @Test
    void quietPrintsOnlyTheSummary() {
        Cli.Run run = Cli.run("train", "--quiet", "--epochs", "2");
        assertEquals(0, run.code());
        assertTrue(!run.out().contains("epoch 000"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void featuresOption() {
        Cli.Run run = Cli.run("train", "--features", "9", "--samples", "2000", "--epochs", "40", "--batch-size", "32", "--json");
        assertEquals(0, run.code(), run.err());
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(9, o.get("w").getAsJsonArray().size());
        assertTrue(o.get("max_abs_dw").getAsDouble() < 0.1, run.out());
    }

    @Test
    void savesModelAndPlotAtomicallyOrNotAtAll() throws Exception {
        Path model = dir.resolve("m.json");
        Path plot = dir.resolve("loss.png");
        Cli.Run run = Cli.run("train", "--epochs", "5", "--quiet", "--validation", "0.2", "--save-model", model.toString(),
                "--plot", plot.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.size(model) > 0 && Files.size(plot) > 0);
        assertTrue(linreg.model.ModelFile.read(model).validationMetrics() != null);
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "no temporary files left behind");
        }

        Path missing = dir.resolve("no-such-folder").resolve("m.json");
        Cli.Run bad = Cli.run("train", "--epochs", "2", "--save-model", missing.toString());
        assertEquals(ExitCode.BAD_INPUT, bad.code());
        assertEquals(1, bad.errLines().length, bad.err());
        assertTrue(bad.err().contains("does not exist"), bad.err());
        assertEquals("", bad.out(), "nothing trained, nothing printed");
    }

    @Test
    void standardizeNamesAConstantColumn() throws Exception {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "a,rate,y\n1,0.5,3\n2,0.5,5\n3,0.5,7\n");
        Cli.Run run = Cli.run("train", "--data", csv.toString(), "--standardize");
        assertEquals(ExitCode.BAD_INPUT, run.code());
        assertTrue(run.err().contains("\"rate\"") && run.err().contains("constant"), run.err());
    }

    @Test
    void standardizeReportsOriginalUnits() throws Exception {
        // y = 1000·a + 0.001·b + 5 exactly, a and b on scales a million apart.
        StringBuilder s = new StringBuilder("a,b,y\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            double a = random.nextGaussian();
            double b = 1e6 * random.nextGaussian();
            s.append(a).append(',').append(b).append(',').append(1000 * a + 0.001 * b + 5).append('\n');
        }
        Path csv = dir.resolve("scales.csv");
        Files.writeString(csv, s.toString());
        Cli.Run run = Cli.run("train", "--data", csv.toString(), "--standardize", "--engine", "cpu", "--json",
                "--lr-schedule", "step", "--lr-step-every", "10", "--epochs", "60", "--batch-size", "8");
        assertEquals(0, run.code(), run.err());
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        double w0 = o.getAsJsonArray("w").get(0).getAsDouble();
        double w1 = o.getAsJsonArray("w").get(1).getAsDouble();
        assertEquals(1000, w0, 1, "w_a in original units");
        assertEquals(0.001, w1, 1e-5, "w_b in original units");
        assertEquals(5, o.get("b").getAsDouble(), 1, "b in original units");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
