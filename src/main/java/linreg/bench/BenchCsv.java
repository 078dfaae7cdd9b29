package linreg.bench;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import linreg.data.AtomicFiles;
import linreg.data.DataException;

/**
 * The bench's CSV: one row per case, written row by row as a bench measures (or atomically, whole),
 * and read back for {@code --charts-from}.
 * Derived columns (rates, GB/s, utilisation) are written for readers and recomputed on reading.
 */
public final class BenchCsv {
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("engine", "strategy", "device", "n", "d", "batch", "epochs",
            "seconds_per_epoch", "samples_per_second", "steps_per_second", "bytes_per_epoch", "gb_per_second",
            "bandwidth_utilisation", "threads", "status");

    private static final List<String> REQUIRED = List.of("engine", "strategy", "device", "n", "d", "batch", "epochs",
            "seconds_per_epoch", "bytes_per_epoch", "threads", "status");

    private BenchCsv() {}

    /** Writes the rows to {@code file} (through a temporary file, then an atomic rename). */
    public static void write(Path file, BenchResults results) throws IOException {
        AtomicFiles.write(file, stream -> {
            CsvWriter csv = withHeader(CsvWriter.builder().lineDelimiter(LineDelimiter.LF)
                    .build(new OutputStreamWriter(stream, StandardCharsets.UTF_8)));
            for (BenchRow r : results.rows()) {
                record(csv, r, results.utilisation(r));
            }
            csv.flush();
        });
    }

    /**
     * Starts {@code file} (replacing it) for rows written as they are measured: each row reaches
     * the file before {@link RowWriter#append} returns, so a bench that is killed keeps the rows
     * it measured.
     */
    public static RowWriter rowWriter(Path file) throws IOException {
        return new RowWriter(file);
    }

    /** A bench CSV written row by row (see {@link #rowWriter}). */
    public static final class RowWriter implements Closeable {
        private final CsvWriter csv;
        private final List<BenchRow> rows = new ArrayList<>();

        private RowWriter(Path file) throws IOException {
            AtomicFiles.check(file);  // the output rule: never a directory, socket or block device
            csv = withHeader(CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(file, StandardCharsets.UTF_8));
            csv.flush();
        }

        /** Appends a row and flushes it to the file. */
        public void append(BenchRow row) throws IOException {
            rows.add(row);
            // The copy anchor runs first, so a GPU row's share of its bandwidth is known by now.
            try {
                record(csv, row, new BenchResults(rows).utilisation(row));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            csv.flush();
        }

        @Override
        public void close() throws IOException {
            csv.close();
        }
    }

    private static CsvWriter withHeader(CsvWriter csv) {
        csv.writeRecord(COLUMNS);
        return csv;
    }

    private static void record(CsvWriter csv, BenchRow r, double utilisation) {
        csv.writeRecord(r.engine(), r.strategy(), r.device(), r.n() > 0 ? Long.toString(r.n()) : "",
                r.d() > 0 ? Integer.toString(r.d()) : "", r.batch(), Integer.toString(r.epochs()),
                BenchFormat.cell(r.secondsPerEpoch()), BenchFormat.cell(r.samplesPerSecond()),
                BenchFormat.cell(r.stepsPerSecond()), wholeBytes(r.bytesPerEpoch()),
                BenchFormat.cell(r.gbPerSecond()), BenchFormat.cell(utilisation),
                r.threads() > 0 ? Integer.toString(r.threads()) : "", r.status());
    }

    /** Byte counts whole, not rounded to six digits: a 1 GiB copy should read back as 1 GiB. */
    private static String wholeBytes(double bytes) {
        return bytes > 0 ? String.format(Locale.ROOT, "%.0f", bytes) : "";
    }

    /**
     * Reads a bench CSV.
     *
     * @throws DataException naming the file, line and column of the first problem
     */
    public static BenchResults read(Path file) throws DataException {
        List<BenchRow> rows = new ArrayList<>();
        try (CsvReader<NamedCsvRecord> reader = CsvReader.builder().ofNamedCsvRecord(file)) {
            for (NamedCsvRecord record : reader) {
                if (rows.isEmpty()) {
                    for (String column : REQUIRED) {
                        if (!record.getHeader().contains(column)) {
                            throw new DataException(file + ": no column \"" + column + "\"; is it a linreg bench CSV?");
                        }
                    }
                }
                try {
                    rows.add(row(file, record));
                } catch (java.util.NoSuchElementException e) {
                    throw new DataException(file + ":" + record.getStartingLineNumber() + ": " + e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException | CsvParseException e) {
            throw new DataException(file + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        if (rows.isEmpty()) {
            throw new DataException(file + ": no rows");
        }
        return new BenchResults(rows);
    }

    private static BenchRow row(Path file, NamedCsvRecord r) throws DataException {
        String where = file + ":" + r.getStartingLineNumber();
        String batch = r.getField("batch").strip();
        if (!batch.isEmpty() && !BenchRow.FULL.equals(batch)) {
            integer(where, "batch", batch);
        }
        return new BenchRow(r.getField("engine"), r.getField("strategy"), r.getField("device"),
                integer(where, "n", r.getField("n")), (int) integer(where, "d", r.getField("d")), batch,
                (int) integer(where, "epochs", r.getField("epochs")), number(where, "seconds_per_epoch",
                        r.getField("seconds_per_epoch")), orZero(number(where, "bytes_per_epoch", r.getField("bytes_per_epoch"))),
                (int) integer(where, "threads", r.getField("threads")), r.getField("status"));
    }

    private static long integer(String where, String column, String text) throws DataException {
        if (text.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DataException(where + ": column " + column + " is \"" + text + "\", expected a whole number >= 0");
        }
    }

    private static double number(String where, String column, String text) throws DataException {
        if (text.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new DataException(where + ": column " + column + " is \"" + text + "\", expected a number");
        }
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
