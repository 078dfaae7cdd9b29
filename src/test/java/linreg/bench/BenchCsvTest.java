package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import linreg.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCsvTest {
    @TempDir
    Path dir;

    /** Each run on one day gets files of its own: the yardstick's one Markdown file, as the bench's CSV and Markdown pair. */
    @Test
    void aSecondRunOnTheSameDayGetsAFreeName() throws Exception {
        assertEquals("d-cpu-yardstick", BenchReport.freeBase(dir, "d-cpu-yardstick", ".md"));
        Files.writeString(dir.resolve("d-cpu-yardstick.md"), "first");
        assertEquals("d-cpu-yardstick-2", BenchReport.freeBase(dir, "d-cpu-yardstick", ".md"));
        Files.writeString(dir.resolve("d-cpu-yardstick-2.md"), "second");
        assertEquals("d-cpu-yardstick-3", BenchReport.freeBase(dir, "d-cpu-yardstick", ".md"));
        // the bench's pair: either file takes the name
        Files.writeString(dir.resolve("m-bench.md"), "report only");
        assertEquals("m-2", BenchReport.freeBase(dir, "m"));
    }

    @Test
    void writesTheColumnsAndReadsBackTheSameRows() throws Exception {
        BenchResults results = BenchRows.sample();
        Path file = dir.resolve("x-bench.csv");
        BenchCsv.write(file, results);

        List<String> lines = Files.readAllLines(file);
        assertEquals(String.join(",", BenchCsv.COLUMNS), lines.get(0));
        assertTrue(BenchCsv.COLUMNS.containsAll(List.of("engine", "strategy", "device", "n", "d", "batch", "epochs",
                "seconds_per_epoch", "samples_per_second", "steps_per_second", "status")));
        assertEquals(results.rows().size() + 1, lines.size());
        // The device holds a comma: quoted, and read back whole.
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("cpu,,\"AMD EPYC, 2 cores\",1000,4,16,3,")), lines.get(2));
        assertEquals(0, Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temp file left");

        BenchResults back = BenchCsv.read(file);
        assertEquals(results.rows().size(), back.rows().size());
        for (int i = 0; i < results.rows().size(); i++) {
            BenchRow a = results.rows().get(i);
            BenchRow b = back.rows().get(i);
            assertEquals(a.key(), b.key());
            assertEquals(a.device(), b.device());
            assertEquals(a.n(), b.n());
            assertEquals(a.d(), b.d());
            assertEquals(a.batch(), b.batch());
            assertEquals(a.status(), b.status());
            if (a.ok()) {
                assertEquals(a.secondsPerEpoch(), b.secondsPerEpoch(), 1e-5 * a.secondsPerEpoch());
            }
        }
    }

    @Test
    void rowByRowTheFileHasEachRowAsSoonAsItIsAppended() throws Exception {
        Path csv = dir.resolve("rows-bench.csv");
        List<BenchRow> rows = BenchRows.sample().rows();
        try (BenchCsv.RowWriter writer = BenchCsv.rowWriter(csv)) {
            for (int i = 0; i < rows.size(); i++) {
                writer.append(rows.get(i));
                // Read while it is still open: what a bench that is killed leaves behind.
                assertEquals(i + 1, BenchCsv.read(csv).rows().size());
            }
        }
        Path whole = dir.resolve("whole-bench.csv");
        BenchCsv.write(whole, BenchRows.sample());
        assertEquals(Files.readString(whole), Files.readString(csv), "the same file as written whole");
    }

    @Test
    void derivedColumnsAreComputedFromTheRow() throws Exception {
        BenchRow r = BenchRows.gpu(1_000_000, 4, "16", 0.01);
        assertEquals(62_500, r.steps());
        assertEquals(1e8, r.samplesPerSecond(), 1);
        assertEquals(6.25e6, r.stepsPerSecond(), 1e-3);
        assertEquals(2e9, r.gbPerSecond() * 1e9, 1);
        BenchResults results = new BenchResults(List.of(r,
                new BenchRow("copy", "dtod", "g", 0, 0, "", 10, 1.0, 4e9, 0, BenchRow.OK)));
        assertEquals(0.5, results.utilisation(r), 1e-12);
        assertEquals(Double.NaN, results.utilisation(BenchRows.cpu(1000, 4, "16", 1)));

        Path file = dir.resolve("y.csv");
        BenchCsv.write(file, results);
        String row = Files.readAllLines(file).get(1);
        assertEquals("gpu,pipeline,NVIDIA Test GPU,1000000,4,16,3,0.01,100000000,6250000,20000000,2,0.5,,ok", row);
    }

    @Test
    void fullBatchIsOneStep() {
        BenchRow r = BenchRows.cpu(12345, 4, BenchRow.FULL, 1);
        assertEquals(1, r.steps());
        assertEquals(12345, r.rowsPerStep());
        assertEquals(1, BenchRows.cpu(1000, 4, "65536", 1).steps());
        assertEquals(63, BenchRows.cpu(1000, 4, "16", 1).steps());
    }

    @Test
    void aMissingColumnNamesTheColumn() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "engine,n\ncpu,1000\n");
        DataException e = assertThrows(DataException.class, () -> BenchCsv.read(file));
        assertTrue(e.getMessage().contains("no column \"strategy\""), e.getMessage());
    }

    @Test
    void aBadNumberNamesTheLineAndColumn() throws Exception {
        Path file = dir.resolve("bad.csv");
        BenchCsv.write(file, new BenchResults(List.of(BenchRows.cpu(1000, 4, "16", 1e-3))));
        Files.writeString(file, Files.readString(file).replace(",1000,", ",1k,"));
        DataException e = assertThrows(DataException.class, () -> BenchCsv.read(file));
        assertTrue(e.getMessage().contains("bad.csv:2: column n is \"1k\""), e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() throws IOException {
        Path file = dir.resolve("empty.csv");
        Files.writeString(file, "");
        assertThrows(DataException.class, () -> BenchCsv.read(file));
    }

    @Test
    void numbersAreWrittenPlainWithSixDigits() {
        assertEquals("0.000123457", BenchFormat.cell(0.000123456789));
        assertEquals("123457000", BenchFormat.cell(123456789));
        assertEquals("", BenchFormat.cell(Double.NaN));
        assertEquals("1e6", BenchFormat.count(1_000_000));
        assertEquals("250000", BenchFormat.count(250_000));
        assertEquals("3.2e5", BenchFormat.approxCount(3.2e5));
    }
}
