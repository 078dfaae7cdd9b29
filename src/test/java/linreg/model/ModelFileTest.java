package linreg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import linreg.data.DataException;
import linreg.data.Standardizer;
import linreg.train.TrainConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    static Model sample(Standardizer standardizer) {
        TrainConfig config = TrainConfig.builder().lr(0.05f).epochs(7).batchSize(16).seed(42).build();
        return new Model(new double[] {10.000000000000002, -7.1, 0.1 + 0.2}, Math.PI, List.of("a", "b", "c"), "price",
                standardizer, TrainingCodec.write(config, 3), "cpu", Model.thisLinregVersion(), Model.thisJcudaVersion(),
                "data.csv", 500, new Metrics(0.25, 0.3, 0.99), null);
    }

    @Test
    void roundTripKeepsEveryBit() throws Exception {
        Standardizer z = new Standardizer(new double[] {1.5, 1e-7, -3}, new double[] {2, 0.1, 1e9}, 4.25, 1.0 / 3);
        Model model = sample(z);
        Path file = dir.resolve("m.json");
        ModelFile.write(file, model);
        Model read = ModelFile.read(file);
        assertArrayEquals(model.w(), read.w());
        assertEquals(model.b(), read.b());
        assertEquals(List.of("a", "b", "c"), read.featureNames());
        assertEquals("price", read.targetName());
        assertArrayEquals(z.featureMeans(), read.standardization().featureMeans());
        assertArrayEquals(z.featureStds(), read.standardization().featureStds());
        assertEquals(z.targetStd(), read.standardization().targetStd());
        assertEquals("cpu", read.engine());
        assertEquals("11.8.0", read.jcudaVersion());
        assertEquals("data.csv", read.data());
        assertEquals(500, read.samples());
        assertEquals(new Metrics(0.25, 0.3, 0.99), read.trainMetrics());
        assertNull(read.validationMetrics());
        Map<String, Object> training = read.training();
        assertEquals(42L, training.get("seed"));
        assertEquals(7L, training.get("epochs"));
        assertEquals(0.05, (Double) training.get("lr"), 1e-9);
        assertEquals("constant", training.get("lr_schedule"));
    }

    @Test
    void theFileSaysWhatItIs() throws Exception {
        Path file = dir.resolve("m.json");
        ModelFile.write(file, sample(null));
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals("linreg-model", o.get("format").getAsString());
        assertEquals(1, o.get("version").getAsInt());
        assertEquals(3, o.get("d").getAsInt());
        assertTrue(o.get("standardization").isJsonNull());
        assertEquals(List.of("format", "version"), o.keySet().stream().limit(2).toList());
    }

    @Test
    void writingReplacesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "old");
        ModelFile.write(file, sample(null));
        assertEquals(List.of(file), list(dir));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void writingIntoAMissingFolderFailsAndCreatesNothing() throws Exception {
        Path file = dir.resolve("no/such/m.json");
        DataException e = assertThrows(DataException.class, () -> ModelFile.write(file, sample(null)));
        assertTrue(e.getMessage().contains("m.json: cannot write: the folder") && e.getMessage().endsWith("does not exist"),
                e.getMessage());
        assertEquals(List.of(), list(dir));
        Files.writeString(dir.resolve("plain"), "x");
        e = assertThrows(DataException.class, () -> ModelFile.write(dir.resolve("plain/m.json"), sample(null)));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
        e = assertThrows(DataException.class, () -> ModelFile.write(dir, sample(null)));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void writingIntoAReadOnlyFolderFailsAndLeavesItUnchanged() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("ro"));
        Files.writeString(folder.resolve("keep.txt"), "x");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(folder), "running as a user who writes everywhere (root)");
            DataException e = assertThrows(DataException.class, () -> ModelFile.write(folder.resolve("m.json"), sample(null)));
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
            assertEquals(List.of(folder.resolve("keep.txt")), list(folder));
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private String readError(String content) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content);
        String message = assertThrows(DataException.class, () -> ModelFile.read(file)).getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith(file.toString() + ": "), message);
        return message;
    }

    @Test
    void readErrorsAreOneLineAndSayWhat() throws Exception {
        assertTrue(assertThrows(DataException.class, () -> ModelFile.read(dir.resolve("none.json"))).getMessage()
                .endsWith("none.json: no such model file"));
        assertTrue(assertThrows(DataException.class, () -> ModelFile.read(dir)).getMessage().contains("is a directory"));
        assertTrue(readError("").contains("not a linreg model: the file is empty"));
        assertTrue(readError("a,b\n1,2\n").contains("not a linreg model: not JSON"));
        assertTrue(readError("{\"format\": \"linreg-model\",").contains("not JSON"));
        assertTrue(readError("{} {}").contains("not JSON"));
        assertTrue(readError("[1, 2]").contains("not a linreg model: not a JSON object"));
        assertTrue(readError("{\"w\": [1], \"b\": 0}").contains("not a linreg model (no \"format\": \"linreg-model\")"));
        assertTrue(readError("{\"format\": \"keras\"}").contains("not a linreg model"));
        assertTrue(readError("{\"format\": \"linreg-model\", \"version\": 2, \"w\": [1], \"b\": 0}")
                .contains("model format version 2 is not supported (this linreg reads version 1)"));
        assertTrue(readError("{\"format\": \"linreg-model\", \"w\": [1], \"b\": 0}").contains("bad linreg model: no \"version\""));
        String v1 = "{\"format\": \"linreg-model\", \"version\": 1, ";
        assertTrue(readError(v1 + "\"b\": 0}").contains("no \"w\""));
        assertTrue(readError(v1 + "\"w\": [], \"b\": 0}").contains("\"w\" is empty"));
        assertTrue(readError(v1 + "\"w\": [1, \"x\"], \"b\": 0}").contains("\"w\"[1] is \"x\", expected a number"));
        assertTrue(readError(v1 + "\"w\": [1], \"b\": \"NaN\"}").contains("\"b\" is \"NaN\", expected a number"));
        assertTrue(readError(v1 + "\"w\": [1], \"b\": 1e999}").contains("expected a finite number"));
        assertTrue(readError(v1 + "\"w\": [1, 2], \"d\": 3, \"b\": 0}").contains("\"d\" is 3 but \"w\" has 2 values"));
        assertTrue(readError(v1 + "\"w\": [1, 2], \"b\": 0, \"feature_names\": [\"a\"]}").contains("not an array of 2 names"));
        assertTrue(readError(v1 + "\"w\": [1], \"b\": 0, \"standardization\": {\"feature_means\": [0], \"feature_stds\": [0],"
                + " \"target_mean\": 0, \"target_std\": 1}}").contains("\"standardization\""));
    }

    @Test
    void aMinimalModelReads() throws Exception {
        Path file = dir.resolve("min.json");
        Files.writeString(file, "{\"format\": \"linreg-model\", \"version\": 1, \"w\": [2, 3], \"b\": 1}");
        Model m = ModelFile.read(file);
        assertEquals(2, m.features());
        assertEquals(1 + 2 * 1 + 3 * 2, m.predict(new float[] {1, 2}, 0));
        assertNull(m.featureNames());
        assertNull(m.standardization());
    }

    @Test
    void checkFeatures() throws Exception {
        Model m = sample(null);
        m.checkFeatures(3);
        DataException e = assertThrows(DataException.class, () -> m.checkFeatures(5));
        assertEquals("the model has 3 features but the data has 5", e.getMessage());
        e = assertThrows(DataException.class, () -> m.checkFeatureNames(List.of("a", "c", "b"), "x.csv"));
        assertTrue(e.getMessage().startsWith("x.csv: feature 2 is \"c\" but the model's is \"b\""), e.getMessage());
        m.checkFeatureNames(null, "x.npy");
    }
}
