package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import linreg.data.NpyWriter;
import linreg.model.Metrics;
import linreg.model.Model;
import linreg.model.ModelFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code linreg predict} and {@code linreg evaluate} through the real command line. */
class PredictEvaluateTest {
    @TempDir
    Path dir;

    private Path model;

    /** y = 2·a − b + 0.5, with names a, b and target y. */
    @BeforeEach
    void saveAModel() throws Exception {
        model = dir.resolve("model.json");
        ModelFile.write(model, new Model(new double[] {2, -1}, 0.5, List.of("a", "b"), "y", null, null, "cpu",
                "test", "11.8.0", "train.csv", 3, null, null));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }


    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    @Test
    void predictsFeaturesOnlyOrWithTheTarget() throws Exception {
        Path features = write("f.csv", "a,b\n1,2\n3,-4\n");
        Cli.Run run = Cli.run("predict", "--model", model.toString(), "--data", features.toString());
        assertEquals(ExitCode.OK, run.code(), run.err());
        assertEquals("prediction\n0.5\n10.5\n", run.out());
        Path withTarget = write("t.csv", "a,b,y\n1,2,0\n3,-4,0\n");
        assertEquals("prediction\n0.5\n10.5\n", Cli.run("predict", "--model", model.toString(), "--data", withTarget.toString()).out());
        // The target is found by its name, wherever it is.
        Path targetFirst = write("tf.csv", "y,a,b\n0,1,2\n");
        assertEquals("prediction\n0.5\n", Cli.run("predict", "--model", model.toString(), "--data", targetFirst.toString()).out());
        Path semicolons = write("s.csv", "1;2\n");
        assertEquals("prediction\n0.5\n",
                Cli.run("predict", "--model", model.toString(), "--data", semicolons.toString(), "--delimiter", ";").out());
    }

    @Test
    void predictsFromNpy() throws Exception {
        Path x = NpyWriter.matrix(dir.resolve("X.npy"), "<f8", 2, 2, 1, 2, 3, -4);
        assertEquals("prediction\n0.5\n10.5\n", Cli.run("predict", "--model", model.toString(), "--data", x.toString()).out());
        Path y = NpyWriter.vector(dir.resolve("y.npy"), "<f4", 0.5, 10);
        Cli.Run run = Cli.run("evaluate", "--model", model.toString(), "--data", x.toString(), "--labels", y.toString(), "--json");
        assertEquals(ExitCode.OK, run.code(), run.err());
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(0.25, o.get("mae").getAsDouble(), 1e-15);
        assertEquals(Math.sqrt(0.125), o.get("rmse").getAsDouble(), 1e-15);
        assertEquals(2, o.get("n").getAsInt());
    }

    @Test
    void writesOutputAtomically() throws Exception {
        Path features = write("f.csv", "a,b\n1,2\n");
        Path out = dir.resolve("p.csv");
        Files.writeString(out, "old");
        Cli.Run run = Cli.run("predict", "--model", model.toString(), "--data", features.toString(), "--output", out.toString());
        assertEquals(ExitCode.OK, run.code(), run.err());
        assertEquals("", run.out());
        assertEquals("prediction\n0.5\n", Files.readString(out));
        assertEquals(List.of(features, model, out), list(dir));
    }

    /** --json with --output: a summary object; without --output the predictions own stdout, so it is refused. */
    @Test
    void jsonSummaryNeedsAnOutputFile() throws Exception {
        Path features = write("f.csv", "a,b\n1,2\n3,4\n");
        Path out = dir.resolve("p.csv");
        Cli.Run run = Cli.run("predict", "--model", model.toString(), "--data", features.toString(), "--output",
                out.toString(), "--json");
        assertEquals(ExitCode.OK, run.code(), run.err());
        com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(2, j.get("rows").getAsInt());
        assertEquals(2, j.get("features").getAsInt());
        assertEquals(out.toString(), j.get("output").getAsString());
        assertEquals(0.5, j.get("prediction_min").getAsDouble());
        assertEquals(Files.readString(out).lines().skip(1).mapToDouble(Double::parseDouble).max().orElseThrow(),
                j.get("prediction_max").getAsDouble());
        Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", features.toString(), "--json"),
                "--json needs --output");
    }

    @Test
    void outputInAMissingFolderFailsAndLeavesNothing() throws Exception {
        Path features = write("f.csv", "a,b\n1,2\n");
        List<Path> before = list(dir);
        Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", features.toString(),
                "--output", dir.resolve("no/p.csv").toString()), "p.csv: cannot write: the folder", "does not exist");
        Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", features.toString(),
                "--output", dir.toString()), "is a directory");
        assertEquals(before, list(dir));
    }

    @Test
    void outputInAReadOnlyFolderFailsAndLeavesItUnchanged() throws Exception {
        Path features = write("f.csv", "a,b\n1,2\n");
        Path folder = Files.createDirectory(dir.resolve("ro"));
        Files.writeString(folder.resolve("keep"), "x");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(folder), "running as a user who writes everywhere (root)");
            Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", features.toString(),
                    "--output", folder.resolve("p.csv").toString()), "p.csv: cannot write", "permission denied");
            assertEquals(List.of(folder.resolve("keep")), list(folder));
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void evaluatePrintsMaeRmseAndR2() throws Exception {
        Path data = write("t.csv", "a,b,y\n1,2,1.5\n3,-4,10.5\n0,0,0\n");
        Cli.Run run = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(ExitCode.OK, run.code(), run.err());
        Metrics m = Metrics.of(new double[] {2, -1}, 0.5, new float[] {1, 2, 3, -4, 0, 0}, new float[] {1.5f, 10.5f, 0}, 3);
        assertTrue(run.out().contains("3 samples × 2 features from " + data), run.out());
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "MAE:  %.6g", m.mae())), run.out());
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "RMSE: %.6g", m.rmse())), run.out());
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "R²:   %.6f", m.r2())), run.out());
    }

    @Test
    void badModelFiles() throws Exception {
        Path data = write("t.csv", "a,b,y\n1,2,3\n");
        Cli.assertRejected(Cli.run("predict", "--model", dir.resolve("none.json").toString(), "--data", data.toString()),
                "none.json: no such model file");
        Cli.assertRejected(Cli.run("evaluate", "--model", data.toString(), "--data", data.toString()), "t.csv: not a linreg model");
        Path other = write("other.json", "{\"weights\": [1, 2]}");
        Cli.assertRejected(Cli.run("predict", "--model", other.toString(), "--data", data.toString()),
                "other.json: not a linreg model");
        Path future = write("future.json", "{\"format\": \"linreg-model\", \"version\": 99, \"w\": [1], \"b\": 0}");
        Cli.assertRejected(Cli.run("predict", "--model", future.toString(), "--data", data.toString()), "version 99 is not supported");
    }

    @Test
    void dataOfAnotherWidth() throws Exception {
        Path five = write("five.csv", "1,2,3,4,5\n");
        Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", five.toString()),
                "five.csv:1: 5 columns, but the model has 2 features");
        Path x = NpyWriter.matrix(dir.resolve("X3.npy"), "<f4", 1, 3, 1, 2, 3);
        Path y = NpyWriter.vector(dir.resolve("y.npy"), "<f4", 1);
        Cli.assertRejected(Cli.run("evaluate", "--model", model.toString(), "--data", x.toString(), "--labels", y.toString()),
                "the model has 2 features but", "X3.npy has 3");
        Path swapped = write("swapped.csv", "b,a\n1,2\n");
        Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", swapped.toString()),
                "swapped.csv: feature 1 is \"b\" but the model's is \"a\"");
    }

    @Test
    void evaluateNeedsATarget() throws Exception {
        Path features = write("f.csv", "a,b\n1,2\n");
        Cli.assertRejected(Cli.run("evaluate", "--model", model.toString(), "--data", features.toString()),
                "f.csv: no target to evaluate against");
    }

    @Test
    void flagMisuse() throws Exception {
        Path csv = write("t.csv", "a,b,y\n1,2,3\n");
        Path y = NpyWriter.vector(dir.resolve("y.npy"), "<f4", 1);
        Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--labels", y.toString()),
                "--labels", ".npy");
        Cli.assertRejected(Cli.run("predict", "--model", model.toString()), "--data");
        Cli.assertRejected(Cli.run("evaluate", "--data", csv.toString()), "--model");
        Cli.assertRejected(Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--delimiter", "x"), "--delimiter");
        Cli.assertRejected(Cli.run("evaluate", "--model", model.toString(), "--data", dir.resolve("none.csv").toString()),
                "none.csv: no such file");
    }

    @Test
    void delimiterSpellings() {
        DataOptions.DelimiterConverter c = new DataOptions.DelimiterConverter();
        assertEquals(',', c.convert(","));
        assertEquals(';', c.convert(";"));
        assertEquals('|', c.convert("|"));
        assertEquals(' ', c.convert(" "));
        assertEquals(' ', c.convert("space"));
        assertEquals('\t', c.convert("\t"));
        assertEquals('\t', c.convert("\\t"));
        assertEquals('\t', c.convert("tab"));
        for (String bad : new String[] {"", ":", ",,", "\n", "comma"}) {
            String message = org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.TypeConversionException.class,
                    () -> c.convert(bad)).getMessage();
            assertFalse(message.contains("\n") && !message.contains("\\n"), message);
        }
    }
}
