package linreg.data;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import linreg.train.SampleLimit;

/**
 * Reads samples from a CSV file (FastCSV): one sample a row, the features, then the target in
 * the last column (or the column that {@link TargetColumn} picks). The first line is a header
 * when none of its cells is a number, unless {@link Header} says. Header names are trimmed; a
 * name on two columns is a warning (an error where a column is picked by it). Every value is a
 * number in {@link FloatParser}'s syntax, correctly rounded to float32 and {@link Dataset#usable};
 * every problem is reported as {@code file:line:column: what}.
 *
 * <p>Cells are parsed from FastCSV's buffer by {@link NumericRecordHandler}, without a String
 * per cell: about 4 million rows of 5 numbers a second on one core ({@code linreg.bench.CsvSpeed}).
 * Memory grows with what is read, never reserved ahead for a guessed number of rows, in heap
 * segments ({@link HeapRows.Builder}), so a table is not limited to what one array holds.
 */
public final class CsvLoader {
    /** Whether the first line is a header: guessed (no cell of it is a number), or as the user says. */
    public enum Header { GUESS, YES, NO }

    private final char delimiter;
    private final Header header;
    private final Consumer<String> warnings;
    /** Rows per heap segment; 0: as many as one array holds. */
    private final int segmentRows;

    /** A loader for comma-separated files. */
    public CsvLoader() {
        this(',');
    }

    /** A loader for files separated by {@code delimiter}. */
    public CsvLoader(char delimiter) {
        this(delimiter, Header.GUESS, warning -> { });
    }

    /**
     * @param warnings told of what is odd but not wrong (a name on two columns), as {@code file:line: what}
     */
    public CsvLoader(char delimiter, Header header, Consumer<String> warnings) {
        this(delimiter, header, warnings, 0);
    }

    private CsvLoader(char delimiter, Header header, Consumer<String> warnings, int segmentRows) {
        this.delimiter = delimiter;
        this.header = header;
        this.warnings = warnings;
        this.segmentRows = segmentRows;
    }

    /** This loader, holding the rows in heap segments of {@code rows} rows (tests of segment edges). */
    public CsvLoader withSegmentRows(int rows) {
        return new CsvLoader(delimiter, header, warnings, rows);
    }

    private HeapRows.Builder rows(String name, int width) {
        return new HeapRows.Builder(name, width, segmentRows > 0 ? segmentRows : HeapRows.segmentRows(width));
    }

    /**
     * Loads {@code file} for training.
     *
     * @param target the target column's header name, or null for the last column
     * @throws DataException naming the file, line and column of the first problem
     */
    public Dataset load(Path file, String target) throws DataException {
        return loadSamples(file, TargetColumn.forTraining(target, null)).toDataset();
    }

    /**
     * Loads {@code file}, the target (if any) where {@code targetColumn} says.
     *
     * @throws DataException naming the file, line and column of the first problem
     */
    public Samples loadSamples(Path file, TargetColumn targetColumn) throws DataException {
        return loadSamples(file, targetColumn, WeightsOption.NONE);
    }

    /**
     * Loads {@code file}, the target (if any) where {@code targetColumn} says and the sample
     * weights (if asked for) from the column {@code weights} names.
     *
     * @throws DataException naming the file, line and column of the first problem
     */
    public Samples loadSamples(Path file, TargetColumn targetColumn, WeightsOption weights) throws DataException {
        String name = file.toString();
        DataFiles.checkReadable(file, name);
        try (InputStream in = Files.newInputStream(file)) {
            return loadSamples(in, name, targetColumn, weights);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + AtomicFiles.reason(e));
        }
    }

    /**
     * Loads a table from {@code in} (stdin, say), called {@code name} in messages.
     *
     * @throws DataException naming the input, line and column of the first problem
     */
    public Samples loadSamples(InputStream in, String name, TargetColumn targetColumn) throws DataException {
        return loadSamples(in, name, targetColumn, WeightsOption.NONE);
    }

    /** {@link #loadSamples(InputStream, String, TargetColumn)} with the weights column {@code weights} names. */
    public Samples loadSamples(InputStream in, String name, TargetColumn targetColumn, WeightsOption weights)
            throws DataException {
        Read r = parse(in, name, targetColumn, weights.csvColumn(), width -> rows(name, width));
        List<String> featureNames = null;
        String targetName = null;
        if (r.names() != null) {
            featureNames = new ArrayList<>(r.names());
            // the higher column first, so that the lower keeps its place
            int high = Math.max(r.target(), r.weights());
            int low = Math.min(r.target(), r.weights());
            String highName = high == TargetColumn.NONE ? null : featureNames.remove(high);
            String lowName = low == TargetColumn.NONE ? null : featureNames.remove(low);
            if (r.target() != TargetColumn.NONE) {
                targetName = r.target() == high ? highName : lowName;
            }
        }
        SampleWeights w = null;
        if (r.w() != null) {
            HeapRows column = ((HeapRows.Builder) r.w()).build(r.lastLine());
            float[] values = new float[column.rows()];
            column.copyRows(0, values.length, values, 0);
            w = SampleWeights.of(values, WeightsOption.columnOrigin(r.names(), r.weights()), name);
        }
        return new Samples(((HeapRows.Builder) r.x()).build(r.lastLine()),
                r.y() == null ? null : ((HeapRows.Builder) r.y()).build(r.lastLine()), name, featureNames, targetName, w);
    }

    /** A table read into a {@link RowSink}: its header's names (or null), its columns and rows. */
    public record Table(List<String> names, int columns, long rows) {}

    /**
     * Reads every column of {@code file} (standard input for {@link DataFiles#STDIN}) into
     * {@code sink}, row by row, as they are parsed: nothing is held.
     *
     * @param sink made for the table's width, once the first line is read
     * @throws DataException naming the input, line and column of the first problem, or the sink's
     */
    public Table loadInto(Path file, IntFunction<RowSink> sink) throws DataException {
        TargetColumn all = (columns, names, where) -> TargetColumn.NONE;
        if (DataFiles.isStdin(file)) {
            Read r = parse(System.in, "stdin", all, all, sink);
            return new Table(r.names(), r.columns(), r.rows());
        }
        String name = file.toString();
        DataFiles.checkReadable(file, name);
        try (InputStream in = Files.newInputStream(file)) {
            Read r = parse(in, name, all, all, sink);
            return new Table(r.names(), r.columns(), r.rows());
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + AtomicFiles.reason(e));
        }
    }

    /**
     * What {@link #read} found: the sinks it filled (features, target, weights), the header's
     * names, the target and weights columns, the rows.
     */
    private record Read(RowSink x, RowSink y, RowSink w, List<String> names, int target, int weights, int columns,
            long rows, long lastLine) {}

    private Read parse(InputStream in, String name, TargetColumn targetColumn, TargetColumn weightsColumn,
            IntFunction<RowSink> sinks)
            throws DataException {
        NumericRecordHandler handler = new NumericRecordHandler(delimiter, header == Header.YES);
        try (Reader text = TextInput.open(in, name);
                CsvReader<NumericRecordHandler> reader = CsvReader.builder()
                        .fieldSeparator(delimiter)
                        .skipEmptyLines(true)
                        .ignoreDifferentFieldCount(true)
                        .build(handler, text)) {
            return read(reader.iterator(), name, targetColumn, weightsColumn, sinks);
        } catch (CsvParseException e) {
            throw new DataException(name + ": not valid CSV: " + rootMessage(e));
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(name + ": cannot read: " + rootMessage(e));
        }
    }

    private Read read(CloseableIterator<NumericRecordHandler> records, String name, TargetColumn targetColumn,
            TargetColumn weightsColumn, IntFunction<RowSink> sinks) throws DataException {
        if (!records.hasNext()) {
            throw new DataException(name + ": the file is empty");
        }
        NumericRecordHandler row = records.next();
        int columns = row.columns();
        long firstLine = row.line();
        boolean isHeader = header == Header.GUESS ? row.allText() : header == Header.YES;
        check(row.quoteProblem(name, !isHeader));
        List<String> names = isHeader ? row.texts() : null;
        int wc = weightsColumn.choose(columns, names, name + ":" + firstLine);
        // A model's columns are counted without the weights; training's as the file has them.
        int t = wc != TargetColumn.NONE && targetColumn instanceof TargetColumn.ModelTarget model
                ? model.chooseBesides(columns, names, name + ":" + firstLine, wc)
                : targetColumn.choose(columns, names, name + ":" + firstLine);
        if (wc != TargetColumn.NONE && wc == t) {
            throw new DataException(name + ":" + firstLine + ": the weights column " + WeightsOption.columnOrigin(names, wc)
                    + " is also the target; pick the target with --target or --target-column");
        }
        if (names != null) {
            for (String duplicate : ColumnNames.duplicates(names)) {
                warnings.accept(name + ":" + firstLine + ": " + duplicate);
            }
        }
        int d = columns - (t == TargetColumn.NONE ? 0 : 1) - (wc == TargetColumn.NONE ? 0 : 1);
        if (d < 1) {
            throw new DataException(name + ":" + firstLine + ": " + Words.count(columns, "column")
                    + ": the target and the weights, and no feature");
        }
        RowSink x = sinks.apply(d);
        RowSink y = t == TargetColumn.NONE ? null : sinks.apply(1);
        RowSink w = wc == TargetColumn.NONE ? null : sinks.apply(1);
        long rows = 0;
        if (!isHeader) {
            // a line 1 with numbers and words is more likely a header with a number in it than bad data
            String hint = header == Header.GUESS && row.mixed() ? "if line 1 is a header, give --header" : null;
            addRow(row, name, columns, t, wc, x, y, w, hint);
            rows++;
        }
        while (records.hasNext()) {
            row = records.next();
            check(row.quoteProblem(name, true));
            if (row.columns() != columns) {
                throw new DataException(name + ":" + row.line() + ": " + Words.count(row.columns(), "column")
                        + ", expected " + columns + " as on line " + firstLine + row.spaceHint());
            }
            if (rows + 1 > SampleLimit.MAX_SAMPLES) {
                throw new DataException(name + ":" + row.line() + ": more rows than a run takes (at most 2^31 - 1 = "
                        + SampleLimit.MAX_SAMPLES + ")");
            }
            addRow(row, name, columns, t, wc, x, y, w, null);
            rows++;
        }
        if (rows == 0) {
            throw new DataException(name + ": no data rows after the header line");
        }
        return new Read(x, y, w, names, t, wc, columns, rows, row.line());
    }

    private static void check(DataException problem) throws DataException {
        if (problem != null) {
            throw problem;
        }
    }

    /** Appends one row's features to x, its target (column t, if any) to y and its weight (column wc) to w. */
    private static void addRow(NumericRecordHandler row, String name, int columns, int t, int wc, RowSink x,
            RowSink y, RowSink w, String hint) throws DataException {
        x.reserveRow(row.line());
        if (y != null) {
            y.reserveRow(row.line());
        }
        if (w != null) {
            w.reserveRow(row.line());
        }
        for (int c = 0; c < columns; c++) {
            float v = row.value(c);
            if (!Dataset.usable(v)) {
                throw row.problem(c, name + ":" + row.line(), hint);
            }
            if (c == t) {
                y.add(v);
            } else if (c == wc) {
                String problem = SampleWeights.problem(v);
                if (problem != null) {
                    throw new DataException(name + ":" + row.line() + ":" + (c + 1) + ": the weight is " + v + ": " + problem);
                }
                w.add(v);
            } else {
                x.add(v);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return (message == null ? t.getClass().getSimpleName() : message).replace('\n', ' ');
    }
}
