package linreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {
    @TempDir
    Path dir;

    private Dataset load(String content, String target) throws IOException, DataException {
        Path p = dir.resolve("d.csv");
        Files.writeString(p, content);
        return new CsvLoader().load(p, target);
    }

    @Test
    void headerAndLastColumnTarget() throws Exception {
        Dataset d = load("a,b,y\n1,2,3\n4,5,6\n", null);
        assertEquals(2, d.samples());
        assertEquals(2, d.features());
        assertArrayEquals(new float[] {1, 2, 4, 5}, d.x());
        assertArrayEquals(new float[] {3, 6}, d.y());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals("y", d.targetName());
        assertTrue(d.source().endsWith("d.csv"));
    }

    @Test
    void noHeader() throws Exception {
        Dataset d = load("1,2,3\n4,5,6\n", null);
        assertEquals(2, d.samples());
        assertNull(d.featureNames());
        assertArrayEquals(new float[] {3, 6}, d.y());
    }

    @Test
    void targetByName() throws Exception {
        Dataset d = load("price,a,b\n10,1,2\n20,3,4\n", "price");
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.x());
        assertArrayEquals(new float[] {10, 20}, d.y());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals("price", d.targetName());
    }

    @Test
    void quotesCrlfBlankLinesAndSpaces() throws Exception {
        Dataset d = load("\"x one\",\"y\"\r\n\r\n 1.5 ,\"-2e-3\"\r\n\n3,4\r\n", null);
        assertArrayEquals(new float[] {1.5f, 3f}, d.x());
        assertArrayEquals(new float[] {-2e-3f, 4f}, d.y());
        assertEquals(List.of("x one"), d.featureNames());
    }

    @Test
    void otherDelimiter() throws Exception {
        Path p = dir.resolve("d.tsv");
        Files.writeString(p, "a\tb\n1\t2\n");
        Dataset d = new CsvLoader('\t').load(p, null);
        assertArrayEquals(new float[] {1f}, d.x());
        assertArrayEquals(new float[] {2f}, d.y());
    }

    @Test
    void valuesAreCorrectlyRoundedFloat32() throws Exception {
        Dataset d = load("0.1,16777217\n", null);
        assertEquals(0.1f, d.x()[0]);
        assertEquals(16777216f, d.y()[0]);
    }

    @Test
    void errorsNameFileLineAndColumn() {
        DataException e = assertThrows(DataException.class, () -> load("a,b\n1,2\n3,x\n", null));
        assertTrue(e.getMessage().endsWith("d.csv:3:2: column 2 is \"x\", expected a number"), e.getMessage());
    }

    @Test
    void manyRows() throws Exception {
        StringBuilder s = new StringBuilder("a,b,c,d,y\n");
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            s.append(i).append(',').append(i + 1).append(',').append(i + 2).append(',').append(i + 3).append(',').append(-i).append('\n');
        }
        Dataset d = load(s.toString(), null);
        assertEquals(n, d.samples());
        assertEquals(4 * (n - 1) + 3, d.x()[4 * (n - 1) + 3] + 4 * (n - 1) + 3 - (n - 1 + 3));
        assertEquals(-(n - 1), d.y()[n - 1]);
    }
}
