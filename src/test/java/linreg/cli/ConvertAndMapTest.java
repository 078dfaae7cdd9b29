package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code linreg convert}, and .npy files used in place: a file bigger than the JVM's heap
 * trains to the bits of the same data read into the heap.
 */
class ConvertAndMapTest {
    @TempDir
    Path dir;

    private static final long SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    private static String json(Cli.Run run) {
        assertEquals(0, run.code(), run.err());
        return run.out().trim();
    }

    /** The value of {@code "key":} in a one-line JSON object, as text. */
    static String field(String json, String key) {
        int at = json.indexOf("\"" + key + "\":");
        assertTrue(at >= 0, key + " in " + json);
        int from = at + key.length() + 3;
        int depth = 0;
        int k = from;
        for (; k < json.length(); k++) {
            char ch = json.charAt(k);
            if (ch == '[') {
                depth++;
            } else if (ch == ']') {
                depth--;
            } else if ((ch == ',' || ch == '}') && depth == 0) {
                break;
            }
        }
        return json.substring(from, k);
    }

    @Test
    void aConvertedCsvTrainsToTheBitsOfTheCsv() throws Exception {
        Path csv = dir.resolve("t.csv");
        StringBuilder text = new StringBuilder("a,\"b,c\",y\n");
        Dataset data = SyntheticData.generate(700, new float[] {2, -1}, 0.5f, SEED);
        for (int i = 0; i < data.samples(); i++) {
            text.append(data.x()[2 * i]).append(',').append(data.x()[2 * i + 1]).append(',').append(data.y()[i]).append('\n');
        }
        Files.writeString(csv, text);
        Path npy = dir.resolve("t.npy");
        Cli.Run convert = Cli.run("convert", csv.toString(), npy.toString());
        assertEquals(0, convert.code(), convert.err());
        assertTrue(convert.out().contains("700 rows × 3 columns"), convert.out());
        assertEquals("a,\"b,c\",y\n", Files.readString(dir.resolve("t.header.csv")));
        String fromCsv = json(Cli.run("train", "--data", csv.toString(), "--engine", "cpu", "--epochs", "3", "--json"));
        String fromNpy = json(Cli.run("train", "--data", npy.toString(), "--engine", "cpu", "--epochs", "3", "--json"));
        assertEquals(field(fromCsv, "w"), field(fromNpy, "w"));
        assertEquals(field(fromCsv, "b"), field(fromNpy, "b"));
        assertEquals(field(fromCsv, "epoch_loss"), field(fromNpy, "epoch_loss"));
        assertEquals("0", field(fromNpy, "host_bytes"));
        assertEquals(Long.toString(4L * 700 * 3), field(fromNpy, "mapped_bytes"));
        assertEquals(Long.toString(4L * 700 * 3), field(fromCsv, "host_bytes"));
        // predict and evaluate read the mapped file too.
        Path model = dir.resolve("m.json");
        assertEquals(0, Cli.run("train", "--data", npy.toString(), "--engine", "cpu", "--quiet", "--save-model",
                model.toString()).code());
        Cli.Run evaluated = Cli.run("evaluate", "--model", model.toString(), "--data", npy.toString(), "--json");
        Cli.Run fromText = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json");
        assertEquals(field(json(fromText), "mae"), field(json(evaluated), "mae"));
    }

    @Test
    void badInputIsRefusedAndNothingIsWritten() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "a,y\n1,2\n3,x\n");
        Path npy = dir.resolve("bad.npy");
        Cli.assertRejected(Cli.run("convert", csv.toString(), npy.toString()), "bad.csv:3");
        assertFalse(Files.exists(npy));
        assertFalse(Files.exists(dir.resolve("bad.header.csv")));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("bad.csv"), files.map(p -> p.getFileName().toString()).toList(), "nothing left behind");
        }
        Cli.assertRejected(Cli.run("convert", dir.resolve("none.csv").toString(), npy.toString()), "none.csv", "no such file");
        Files.writeString(csv, "a,y\n1,2\n");
        Cli.assertRejected(Cli.run("convert", csv.toString(), dir.resolve("out.bin").toString()), "does not end in .npy");
        Cli.assertRejected(Cli.run("convert", csv.toString(), dir.resolve("no/such/dir/o.npy").toString()), "o.npy");
        Cli.assertRejected(Cli.run("convert", csv.toString(), csv.toString().replace(".csv", ".npy"),
                "--delimiter", "x"), "--delimiter");
        assertFalse(Files.exists(npy));
    }

    @Test
    void aCsvBiggerThanTheHeapConvertsInPlace() throws Exception {
        // 1 million rows of 10 one-digit columns: 40 MB of float32, given a child JVM of a 32 MB heap.
        int n = 1_000_000;
        int c = 10;
        Path csv = dir.resolve("wide.csv");
        try (java.io.Writer w = Files.newBufferedWriter(csv)) {
            w.write("c0,c1,c2,c3,c4,c5,c6,c7,c8,y\n");
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.setLength(0);
                for (int j = 0; j < c; j++) {
                    line.append(j == 0 ? "" : ",").append((i * 7 + j * 3) % 10);
                }
                w.write(line.append('\n').toString());
            }
        }
        Path npy = dir.resolve("wide.npy");
        Launcher.Result r = Launcher.run(new ProcessBuilder(Launcher.command(List.of("-Xmx32m"), "convert", csv.toString(),
                npy.toString())));
        assertEquals(0, r.code(), r.err());
        assertEquals(128 + 4L * n * c, Files.size(npy));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("wide.csv", "wide.header.csv", "wide.npy"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the rows' file is gone");
        }
        linreg.data.Samples s = new linreg.data.NpyLoader().load(npy, linreg.data.TargetColumn.forTraining(null, null));
        assertEquals(n, s.samples());
        int i = n - 1;
        assertEquals((i * 7 + 5 * 3) % 10, s.featureRows().get(i, 5));
        assertEquals((i * 7 + 9 * 3) % 10, s.targets().get(i, 0));
    }

    /** Rows 0..n-1 of c columns from a hash of the index: the same values in every file. */
    private static float value(long i, int j, int c) {
        long k = SyntheticDataSeed.mix(SEED + i * c + j);
        float v = (k >>> 40) * 0x1p-24f - 0.5f;
        return j == c - 1 ? v + 3 * value(i, 0, c) : v;
    }

    private static final class SyntheticDataSeed {
        static long mix(long z) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return z ^ (z >>> 33);
        }
    }

    /** An (n, c) float32 array, in C order or, with {@code fortran}, column by column. */
    private static Path write(Path file, int n, int c, boolean fortran) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + n + ", " + c + "), }";
        byte[] header = linreg.data.NpyWriter.header(1, dict);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(header);
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            long count = (long) n * c;
            for (long k = 0; k < count; k++) {
                long i = fortran ? k % n : k / c;
                int j = (int) (fortran ? k / n : k % c);
                b.clear();
                b.putFloat(value(i, j, c));
                out.write(b.array());
            }
        }
        return file;
    }

    @Test
    void aFileBiggerThanTheHeapTrainsInPlaceToTheBitsOfAnInHeapRun() throws Exception {
        // 1.2 million rows of 40 float32 columns: 192 MB, given a child JVM of a 128 MB heap.
        int n = 1_200_000;
        int c = 40;
        Path mapped = write(dir.resolve("big.npy"), n, c, false);
        try {
            assertTrue(Files.size(mapped) > 128L << 20);
            List<String> args = List.of("train", "--data", mapped.toString(), "--engine", "cpu", "--epochs", "2",
                    "--batch-size", "512", "--lr", "0.01", "--threads", "2", "--json");
            Launcher.Result small = Launcher.run(new ProcessBuilder(Launcher.command(List.of("-Xmx128m"),
                    args.toArray(new String[0]))));
            assertEquals(0, small.code(), small.err());
            String inPlace = small.out().trim();
            assertEquals("0", field(inPlace, "host_bytes"));
            assertEquals(Long.toString(4L * n * c), field(inPlace, "mapped_bytes"));
            Files.delete(mapped);
            // The same values column by column, which the loader reads into the heap (in this JVM).
            Path fortran = write(dir.resolve("big-f.npy"), n, c, true);
            String inHeap = json(Cli.run("train", "--data", fortran.toString(), "--engine", "cpu", "--epochs", "2",
                    "--batch-size", "512", "--lr", "0.01", "--threads", "2", "--json"));
            Files.delete(fortran);
            assertEquals(Long.toString(4L * n * c), field(inHeap, "host_bytes"));
            assertFalse(field(inHeap, "w").contains("NaN"));
            assertEquals(field(inHeap, "w"), field(inPlace, "w"));
            assertEquals(field(inHeap, "b"), field(inPlace, "b"));
            assertEquals(field(inHeap, "epoch_loss"), field(inPlace, "epoch_loss"));
        } finally {
            Files.deleteIfExists(mapped);
        }
    }
}
