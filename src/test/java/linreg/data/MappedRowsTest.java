package linreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** float32 C-order .npy files read in place: the values of the in-heap reading, across map edges. */
class MappedRowsTest {
    @TempDir
    Path dir;

    private static final long SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    private static double[] values(int count) {
        SplittableRandom random = new SplittableRandom(SEED);
        double[] v = new double[count];
        for (int k = 0; k < count; k++) {
            v[k] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void mappedRowsAreTheRowsReadIntoTheHeap() throws Exception {
        int n = 1001;
        int c = 5;
        Path f = NpyWriter.matrix(dir.resolve("m.npy"), "<f4", n, c, values(n * c));
        for (int target : new int[] {TargetColumn.NONE, 0, 2, 4}) {
            TargetColumn column = (columns, names, where) -> target;
            Samples heap = NpyLoader.inHeap().load(f, column);
            assertTrue(heap.heapBytes() > 0);
            // Maps of 3 rows (60 bytes), and of 1 row: many edges.
            for (long mapBytes : new long[] {60, 20, 1 << 20}) {
                Samples mapped = NpyLoader.inSegments(mapBytes, 0).load(f, column);
                assertEquals(0, mapped.heapBytes(), "nothing on the heap");
                assertNull(mapped.featureRows().array());
                assertArrayEquals(heap.x(), mapped.x(), "target " + target + ", maps of " + mapBytes);
                assertArrayEquals(heap.y(), mapped.y());
                int last = n - 1;
                assertEquals(heap.featureRows().get(last, heap.features() - 1), mapped.featureRows().get(last, heap.features() - 1));
            }
        }
    }

    @Test
    void labelsInASecondFileAreMappedToo() throws Exception {
        double[] v = values(40 * 3 + 40);
        double[] x = java.util.Arrays.copyOf(v, 120);
        double[] y = java.util.Arrays.copyOfRange(v, 120, 160);
        Path fx = NpyWriter.matrix(dir.resolve("X.npy"), "<f4", 40, 3, x);
        Path fy = NpyWriter.vector(dir.resolve("y.npy"), "<f4", y);
        Samples mapped = NpyLoader.inSegments(36, 0).load(fx, fy);
        Samples heap = NpyLoader.inHeap().load(fx, fy);
        assertEquals(0, mapped.heapBytes());
        assertArrayEquals(heap.x(), mapped.x());
        assertArrayEquals(heap.y(), mapped.y());
        assertEquals(mapped.toDataset().mappedBytes(), 4L * 40 * 4);
    }

    @Test
    void aBadValueInAMappedFileIsNamedByItsIndex() throws Exception {
        double[] v = values(30 * 4);
        v[17 * 4 + 2] = Double.NaN;
        Path f = NpyWriter.matrix(dir.resolve("nan.npy"), "<f4", 30, 4, v);
        DataException e = assertThrows(DataException.class,
                () -> NpyLoader.inSegments(64, 0).load(f, TargetColumn.forTraining(null, null)));
        assertTrue(e.getMessage().endsWith("nan.npy: element [17, 2] is NaN, expected a finite number"), e.getMessage());
    }

    @Test
    void otherArraysConvertIntoHeapSegments() throws Exception {
        int n = 333;
        double[] v = values(n * 3);
        Path f8 = NpyWriter.matrix(dir.resolve("d.npy"), "<f8", n, 3, v);
        Samples one = NpyLoader.inHeap().load(f8, TargetColumn.forTraining(null, null));
        Samples segmented = NpyLoader.inSegments(1 << 20, 10).load(f8, TargetColumn.forTraining(null, null));
        assertEquals(34, ((HeapRows) segmented.featureRows()).segments());
        assertArrayEquals(one.x(), segmented.x());
        assertArrayEquals(one.y(), segmented.y());
    }

    @Test
    void theWriterWritesWhatNumPyWritesAndTheLoaderMaps() throws Exception {
        double[] v = {1.5, -2, 3.25, 0.1, 1e-3, 7};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Float32NpyWriter.header(2, 3));
        Float32NpyWriter.Rows rows = new Float32NpyWriter.Rows(out, dir.resolve("w.npy"), 3);
        for (int i = 0; i < 2; i++) {
            rows.reserveRow(i + 1);
            for (int j = 0; j < 3; j++) {
                rows.add((float) v[3 * i + j]);
            }
        }
        rows.flush();
        byte[] numpy = Files.readAllBytes(NpyWriter.matrix(dir.resolve("ref.npy"), "<f4", 2, 3, v));
        assertArrayEquals(numpy, out.toByteArray());
        Path f = Files.write(dir.resolve("w.npy"), out.toByteArray());
        Samples s = new NpyLoader().load(f, TargetColumn.forTraining(null, null));
        assertEquals(0, s.heapBytes());
        assertArrayEquals(new float[] {3.25f, 7f}, s.y());
    }

    @Test
    void moreRowsThanARunTakesAreRefusedBeforeAnythingIsRead() throws Exception {
        Path f = NpyWriter.write(dir.resolve("huge.npy"), NpyWriter.header(1, NpyWriter.dict("<f4", false, 1L << 31, 3)));
        DataException e = assertThrows(DataException.class, () -> new NpyLoader().load(f, TargetColumn.forTraining(null, null)));
        assertTrue(e.getMessage().endsWith("huge.npy: shape (2147483648, 3): more rows than a run takes (at most 2^31 - 1 = "
                + "2147483647)"), e.getMessage());
    }
}
