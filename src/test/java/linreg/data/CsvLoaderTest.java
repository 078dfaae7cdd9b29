package linreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void everyDelimiter() throws Exception {
        for (char c : new char[] {',', ';', '\t', '|', ' '}) {
            Path p = dir.resolve("sep.txt");
            Files.writeString(p, String.join(String.valueOf(c), "a", "b", "y") + "\n"
                    + String.join(String.valueOf(c), "1", "-2.5", "3e2") + "\n");
            Dataset d = new CsvLoader(c).load(p, null);
            assertArrayEquals(new float[] {1f, -2.5f}, d.x(), "delimiter '" + c + "'");
            assertArrayEquals(new float[] {300f}, d.y());
            assertEquals(List.of("a", "b"), d.featureNames());
        }
    }

    @Test
    void theWrongDelimiterSaysWhere() throws Exception {
        Path p = dir.resolve("semi.csv");
        Files.writeString(p, "1;2;3\n4;5;6\n");
        DataException e = assertThrows(DataException.class, () -> new CsvLoader().load(p, null));
        assertTrue(e.getMessage().endsWith("semi.csv:1: 1 column, expected at least two (features, then the target)"), e.getMessage());
    }

    /** Cells outside the fast path's spelling still read exactly as Float.parseFloat reads them. */
    @Test
    void everySpellingOfTheCsvSyntax() throws Exception {
        Dataset d = load("x,y\n 1.5 ,.5\n5.,+5\n\"7\",+.5e1\n1e-40,1.8e19\n-0,1E+2\n007,0.1234567890123456789\n", null);
        assertArrayEquals(new float[] {1.5f, 5f, 7f, 1e-40f, -0f, 7f}, d.x());
        assertArrayEquals(new float[] {.5f, 5f, 5f, 1.8e19f, 100f, 0.1234567890123456789f}, d.y());
    }

    /** Java reads 5f as 5, 0x1p3 as 8: spellings no CSV tool writes, so they are errors naming the cell. */
    @Test
    void javaOnlySpellingsAreErrors() {
        for (String cell : new String[] {"5f", "5d", "0x1p3", "1.5F", "0X1P-2"}) {
            DataException e = assertThrows(DataException.class, () -> load("x,y\n1,2\n3," + cell + "\n", null), cell);
            assertTrue(e.getMessage().endsWith("d.csv:3:2: column 2 is \"" + cell + "\", expected a number"), e.getMessage());
        }
    }

    @Test
    void aHeaderIsALineWithNoNumber() throws Exception {
        // "NaN" reads as a number, so this first line is data, and its NaN is an error.
        DataException e = assertThrows(DataException.class, () -> load("NaN,y\n1,2\n", null));
        assertTrue(e.getMessage().endsWith("d.csv:1:1: column 1 is \"NaN\", expected a finite number; if line 1 is a header,"
                + " give --header"), e.getMessage());
        Dataset d = load("x1,\"y, the target\"\n1,2\n", null);
        assertEquals("y, the target", d.targetName());
    }

    @Test
    void randomFileReadsAsFloatParseFloat() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        StringBuilder s = new StringBuilder();
        int n = 20_000;
        String[] cells = new String[n * 3];
        for (int k = 0; k < cells.length; k++) {
            double v = random.nextGaussian() * Math.pow(10, random.nextInt(-8, 9));
            cells[k] = switch (k % 3) {
                case 0 -> Double.toString(v);
                case 1 -> Float.toString((float) v);
                default -> String.format(java.util.Locale.ROOT, "%.7f", v);
            };
            s.append(cells[k]).append(k % 3 == 2 ? "\n" : ",");
        }
        Dataset d = load(s.toString(), null);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.parseFloat(cells[3 * i]), d.x()[2 * i]);
            assertEquals(Float.parseFloat(cells[3 * i + 1]), d.x()[2 * i + 1]);
            assertEquals(Float.parseFloat(cells[3 * i + 2]), d.y()[i]);
        }
    }

    @Test
    void forAModelTheColumnCountDecides() throws Exception {
        Path p = dir.resolve("m.csv");
        Files.writeString(p, "a,y,b\n1,2,3\n");
        Samples features = new CsvLoader().loadSamples(p, TargetColumn.forModel(3, "y"));
        assertFalse(features.hasTarget());
        assertArrayEquals(new float[] {1, 2, 3}, features.x());
        assertEquals(List.of("a", "y", "b"), features.featureNames());
        Samples named = new CsvLoader().loadSamples(p, TargetColumn.forModel(2, "y"));
        assertArrayEquals(new float[] {1, 3}, named.x());
        assertArrayEquals(new float[] {2}, named.y());
        assertEquals("y", named.targetName());
        Samples last = new CsvLoader().loadSamples(p, TargetColumn.forModel(2, "price"));
        assertArrayEquals(new float[] {3}, last.y());
        DataException e = assertThrows(DataException.class, () -> new CsvLoader().loadSamples(p, TargetColumn.forModel(5, null)));
        assertTrue(e.getMessage().endsWith("m.csv:1: 3 columns, but the model has 5 features (expected 5 columns of features, "
                + "or 6 with the target)"), e.getMessage());
    }
}
