package linreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyLoaderTest {
    @TempDir
    Path dir;

    private final NpyLoader loader = new NpyLoader();

    private static final double[] SIX = {1.5, -2, 3.25, 0.1, 1e-3, 7};

    private Samples loadTraining(Path file) throws DataException {
        return loader.load(file, TargetColumn.forTraining(null, null));
    }

    private String error(Executable e) {
        return assertThrows(DataException.class, e::run).getMessage();
    }

    private interface Executable {
        void run() throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"<f4", ">f4", "<f8", ">f8"})
    void everyDtypeAndByteOrder(String descr) throws Exception {
        Path f = NpyWriter.matrix(dir.resolve("a.npy"), descr, 2, 3, SIX);
        Samples s = loadTraining(f);
        assertEquals(2, s.samples());
        assertEquals(2, s.features());
        assertArrayEquals(new float[] {1.5f, -2f, 0.1f, 1e-3f}, s.x());
        assertArrayEquals(new float[] {3.25f, 7f}, s.y());
        assertNull(s.featureNames());
        assertTrue(s.source().endsWith("a.npy"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void formatVersions(int major) throws Exception {
        Path f = NpyWriter.write(dir.resolve("v.npy"), major, "<f4", false, new long[] {2, 3}, SIX);
        assertArrayEquals(new float[] {3.25f, 7f}, loadTraining(f).y());
    }

    @Test
    void fortranOrderIsRead() throws Exception {
        // Column-major: column 0 (1.5, 0.1), column 1 (-2, 1e-3), column 2 (3.25, 7).
        Path f = NpyWriter.write(dir.resolve("f.npy"), "<f8", true, new long[] {2, 3}, 1.5, 0.1, -2, 1e-3, 3.25, 7);
        Samples s = loadTraining(f);
        assertArrayEquals(new float[] {1.5f, -2f, 0.1f, 1e-3f}, s.x());
        assertArrayEquals(new float[] {3.25f, 7f}, s.y());
    }

    @Test
    void filesWrittenByNumPy() throws Exception {
        float[] x = {1.5f, -2f, 0.1f, 1e-3f};
        float[] y = {3.25f, 7f};
        for (String name : new String[] {"c_f4_v1.npy", "fortran_be_f8.npy"}) {
            Samples s = loadTraining(resource(name));
            assertArrayEquals(x, s.x(), name);
            assertArrayEquals(y, s.y(), name);
        }
        assertArrayEquals(new float[] {0.1f, 0.3f}, loadTraining(resource("v3_f8.npy")).x());
        assertArrayEquals(new float[] {0.2f, 0.4f}, loadTraining(resource("v2_f4.npy")).y());
        assertTrue(error(() -> loadTraining(resource("int64.npy"))).contains("'<i8'"));
    }

    @Test
    void ourWriterMatchesNumPysBytes() throws Exception {
        byte[] numpy = Files.readAllBytes(resource("c_f4_v1.npy"));
        byte[] ours = Files.readAllBytes(NpyWriter.matrix(dir.resolve("ours.npy"), "<f4", 2, 3, SIX));
        assertArrayEquals(numpy, ours);
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = NpyLoaderTest.class.getResourceAsStream("/npy/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void float64IsRoundedToNearestFloat32() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * Math.pow(10, random.nextInt(-20, 18)); // within Dataset.LIMIT
        }
        Samples s = loadTraining(NpyWriter.matrix(dir.resolve("r.npy"), "<f8", 1000, 2, values));
        for (int i = 0; i < 1000; i++) {
            assertEquals((float) values[2 * i], s.x()[i]);
            assertEquals((float) values[2 * i + 1], s.y()[i]);
        }
    }

    @Test
    void largerThanTheBufferAndTargetInTheMiddle() throws Exception {
        int n = 50_000;
        int c = 3;
        double[] values = new double[n * c];
        Arrays.setAll(values, k -> k);
        Path f = NpyWriter.matrix(dir.resolve("big.npy"), "<f8", n, c, values);
        Samples s = loader.load(f, (columns, header, where) -> 1);
        assertEquals(n, s.samples());
        assertEquals(2, s.features());
        int i = n - 1;
        assertEquals(3f * i, s.x()[2 * i]);
        assertEquals(3f * i + 2, s.x()[2 * i + 1]);
        assertEquals(3f * i + 1, s.y()[i]);
    }

    @Test
    void featuresAndLabels() throws Exception {
        Path x = NpyWriter.matrix(dir.resolve("X.npy"), "<f4", 3, 2, 1, 2, 3, 4, 5, 6);
        Path y = NpyWriter.vector(dir.resolve("y.npy"), ">f8", 10, 20, 30);
        Samples s = loader.load(x, y);
        assertEquals(3, s.samples());
        assertEquals(2, s.features());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, s.x());
        assertArrayEquals(new float[] {10, 20, 30}, s.y());
        Path column = NpyWriter.write(dir.resolve("ycol.npy"), "<f4", false, new long[] {3, 1}, 7, 8, 9);
        assertArrayEquals(new float[] {7, 8, 9}, loader.load(x, column).y());
    }

    @Test
    void featuresOnlyForAModel() throws Exception {
        Path f = NpyWriter.matrix(dir.resolve("a.npy"), "<f4", 2, 3, SIX);
        Samples s = loader.load(f, TargetColumn.forModel(3, null));
        assertFalse(s.hasTarget());
        assertEquals(3, s.features());
        assertTrue(error(s::toDataset).contains("no target"));
        Samples withTarget = loader.load(f, TargetColumn.forModel(2, null));
        assertArrayEquals(new float[] {3.25f, 7f}, withTarget.y());
        assertTrue(error(() -> loader.load(f, TargetColumn.forModel(5, null))).contains("model has 5 features"));
    }

    @Test
    void wrongDtype() throws Exception {
        for (String descr : new String[] {"<i8", "<f2", "|b1", "<c16", "|u1", "<U3"}) {
            Path f = NpyWriter.write(dir.resolve("t.npy"), NpyWriter.header(1, NpyWriter.dict(descr, false, 1, 2)), new byte[64]);
            String message = error(() -> loadTraining(f));
            assertTrue(message.contains("dtype '" + descr + "' is not supported") && message.contains("float32"), message);
        }
        Path structured = NpyWriter.write(dir.resolve("s.npy"),
                NpyWriter.header(1, "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (2,), }"), new byte[16]);
        assertTrue(error(() -> loadTraining(structured)).contains("structured"));
    }

    @Test
    void wrongShapes() throws Exception {
        Path vector = NpyWriter.vector(dir.resolve("v.npy"), "<f4", 1, 2, 3);
        assertTrue(error(() -> loadTraining(vector)).contains("shape (3,), expected a 2-D array"));
        Path cube = NpyWriter.write(dir.resolve("c.npy"), "<f4", false, new long[] {2, 2, 2}, new double[8]);
        assertTrue(error(() -> loadTraining(cube)).contains("shape (2, 2, 2)"));
        Path oneColumn = NpyWriter.matrix(dir.resolve("one.npy"), "<f4", 3, 1, 1, 2, 3);
        assertTrue(error(() -> loadTraining(oneColumn)).contains("1 column, expected at least two"));
        Path empty = NpyWriter.matrix(dir.resolve("e.npy"), "<f4", 0, 3);
        assertTrue(error(() -> loadTraining(empty)).contains("no samples"));
        Path x = NpyWriter.matrix(dir.resolve("X.npy"), "<f4", 3, 2, new double[6]);
        Path wide = NpyWriter.matrix(dir.resolve("y2.npy"), "<f4", 3, 2, new double[6]);
        assertTrue(error(() -> loader.load(x, wide)).contains("shape (3, 2), expected labels of shape (3,) or (3, 1)"));
        Path xVector = NpyWriter.vector(dir.resolve("xv.npy"), "<f4", 1, 2, 3);
        assertTrue(error(() -> loader.load(xVector, wide)).contains("expected a 2-D array (samples, features)"));
    }

    @Test
    void labelsOfAnotherLength() throws Exception {
        Path x = NpyWriter.matrix(dir.resolve("X.npy"), "<f4", 3, 2, new double[6]);
        Path y = NpyWriter.vector(dir.resolve("y.npy"), "<f4", 1, 2);
        String message = error(() -> loader.load(x, y));
        assertTrue(message.contains("y.npy: 2 labels, but") && message.contains("X.npy has 3 rows"), message);
    }

    @Test
    void truncated() throws Exception {
        byte[] whole = Files.readAllBytes(NpyWriter.matrix(dir.resolve("w.npy"), "<f4", 2, 3, SIX));
        Path data = NpyWriter.write(dir.resolve("t.npy"), Arrays.copyOf(whole, whole.length - 3));
        String message = error(() -> loadTraining(data));
        assertTrue(message.contains("t.npy: truncated") && message.contains("24 bytes") && message.contains("21"), message);
        Path header = NpyWriter.write(dir.resolve("h.npy"), Arrays.copyOf(whole, 40));
        assertTrue(error(() -> loadTraining(header)).contains("ends inside the header"));
        Path magicOnly = NpyWriter.write(dir.resolve("m.npy"), Arrays.copyOf(whole, 7));
        assertTrue(error(() -> loadTraining(magicOnly)).contains("truncated"));
    }

    @Test
    void notAnNpyFile() throws Exception {
        Path csv = dir.resolve("csv.npy");
        Files.writeString(csv, "a,b\n1,2\n");
        assertTrue(error(() -> loadTraining(csv)).contains("not an .npy file"));
        Path zip = NpyWriter.write(dir.resolve("z.npy"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        assertTrue(error(() -> loadTraining(zip)).contains(".npz archive"));
        Path empty = NpyWriter.write(dir.resolve("empty.npy"));
        assertTrue(error(() -> loadTraining(empty)).contains("not an .npy file"));
        Path v9 = NpyWriter.write(dir.resolve("v9.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0, 0});
        assertTrue(error(() -> loadTraining(v9)).contains("version 9.0 is not supported"));
        assertTrue(error(() -> loadTraining(dir.resolve("missing.npy"))).contains("no such file"));
    }

    @Test
    void badHeaders() throws Exception {
        for (String dict : new String[] {"not a dict", "{'descr': '<f4', 'shape': (2, 3), }",
            "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2, 3), }", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", "{'descr': '<f4\n"}) {
            Path f = NpyWriter.write(dir.resolve("b.npy"), NpyWriter.header(1, dict), new byte[24]);
            String message = error(() -> loadTraining(f));
            assertTrue(message.contains("bad .npy header"), message);
            assertFalse(message.contains("\n"), message);
        }
        Path python2 = NpyWriter.write(dir.resolve("p2.npy"),
                NpyWriter.header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }"), NpyWriter.data("<f4", SIX));
        assertEquals(2, loadTraining(python2).samples());
    }

    @Test
    void nonFiniteValuesNameTheirElement() throws Exception {
        Path nan = NpyWriter.matrix(dir.resolve("nan.npy"), "<f4", 2, 3, 1, 2, 3, 4, Double.NaN, 6);
        assertTrue(error(() -> loadTraining(nan)).contains("nan.npy: element [1, 1] is NaN"));
        Path inf = NpyWriter.matrix(dir.resolve("inf.npy"), ">f8", 2, 3, 1, 2, Double.NEGATIVE_INFINITY, 4, 5, 6);
        assertTrue(error(() -> loadTraining(inf)).contains("element [0, 2] is -Infinity"));
        Path big = NpyWriter.matrix(dir.resolve("big.npy"), "<f8", 2, 3, 1, 2, 3, 4, 5, 1e39);
        assertTrue(error(() -> loadTraining(big)).contains("element [1, 2] is 1.0E39, too large"));
        Path fortran = NpyWriter.write(dir.resolve("fo.npy"), "<f4", true, new long[] {2, 3}, 1, 2, 3, Double.NaN, 5, 6);
        assertTrue(error(() -> loadTraining(fortran)).contains("element [1, 1] is NaN"));
        Path x = NpyWriter.matrix(dir.resolve("X.npy"), "<f4", 2, 1, 1, 2);
        Path y = NpyWriter.vector(dir.resolve("y.npy"), "<f4", 1, Double.POSITIVE_INFINITY);
        assertTrue(error(() -> loader.load(x, y)).contains("y.npy: element [1] is Infinity"));
    }

    @Test
    void trailingBytesAreIgnoredAsNumPyDoes() throws Exception {
        Path f = NpyWriter.write(dir.resolve("t.npy"), NpyWriter.header(1, NpyWriter.dict("<f4", false, 2, 3)),
                NpyWriter.data("<f4", SIX), "extra".getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, loadTraining(f).samples());
    }

    @Test
    void npyIsRecognisedByExtensionOrMagic() throws Exception {
        Path named = NpyWriter.matrix(dir.resolve("a.NPY"), "<f4", 2, 3, SIX);
        Path unnamed = NpyWriter.matrix(dir.resolve("a.bin"), "<f4", 2, 3, SIX);
        Path csv = dir.resolve("a.csv");
        Files.writeString(csv, "1,2\n");
        assertTrue(NpyLoader.isNpy(named));
        assertTrue(NpyLoader.isNpy(unnamed));
        assertFalse(NpyLoader.isNpy(csv));
        assertTrue(NpyLoader.isNpy(dir.resolve("missing.npy")));
        assertFalse(NpyLoader.isNpy(dir.resolve("missing.csv")));
        Samples s = DataFiles.load(unnamed, null, new CsvLoader(), TargetColumn.forTraining(null, null));
        assertArrayEquals(new float[] {3.25f, 7f}, s.y());
        assertArrayEquals(new float[] {2f}, DataFiles.load(csv, null, new CsvLoader(), TargetColumn.forTraining(null, null)).y());
        assertTrue(error(() -> DataFiles.load(csv, named, new CsvLoader(), TargetColumn.forTraining(null, null))).contains("--labels"));
    }
}
