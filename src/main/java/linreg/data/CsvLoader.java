package linreg.data;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads samples from a CSV file (FastCSV): one sample a row, the features, then the target in
 * the last column (or the column named by {@code target}). The first line is a header when
 * none of its cells is a number. Every value must be a finite float32, read exactly as
 * {@link Float#parseFloat} reads it; every problem is reported as {@code file:line:column: what}.
 *
 * <p>Cells are parsed from FastCSV's buffer by {@link NumericRecordHandler}, without a String
 * per cell: about 4 million rows of 5 numbers a second on one core ({@code linreg.bench.CsvSpeed}).
 */
public final class CsvLoader {
    private final char delimiter;

    /** A loader for comma-separated files. */
    public CsvLoader() {
        this(',');
    }

    /** A loader for files separated by {@code delimiter}. */
    public CsvLoader(char delimiter) {
        this.delimiter = delimiter;
    }

    /**
     * Loads {@code file} for training.
     *
     * @param target the target column's header name, or null for the last column
     * @throws DataException naming the file, line and column of the first problem
     */
    public Dataset load(Path file, String target) throws DataException {
        return loadSamples(file, TargetColumn.forTraining(target)).toDataset();
    }

    /**
     * Loads {@code file}, the target (if any) where {@code targetColumn} says.
     *
     * @throws DataException naming the file, line and column of the first problem
     */
    public Samples loadSamples(Path file, TargetColumn targetColumn) throws DataException {
        String name = file.toString();
        DataFiles.checkReadable(file, name);
        NumericRecordHandler handler = new NumericRecordHandler();
        try (CsvReader<NumericRecordHandler> reader = CsvReader.builder()
                .fieldSeparator(delimiter)
                .skipEmptyLines(true)
                .ignoreDifferentFieldCount(true)
                .build(handler, file)) {
            return read(reader.iterator(), name, targetColumn);
        } catch (CsvParseException e) {
            throw new DataException(name + ": not valid CSV: " + rootMessage(e));
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(name + ": cannot read: " + rootMessage(e));
        }
    }

    private static Samples read(CloseableIterator<NumericRecordHandler> records, String name,
            TargetColumn targetColumn) throws DataException {
        if (!records.hasNext()) {
            throw new DataException(name + ": the file is empty");
        }
        NumericRecordHandler row = records.next();
        int columns = row.columns();
        long firstLine = row.line();
        List<String> header = row.allText() ? row.texts() : null;
        int t = targetColumn.choose(columns, header, name + ":" + firstLine);
        int d = t == TargetColumn.NONE ? columns : columns - 1;
        FloatBuffer x = new FloatBuffer(1024 * d);
        FloatBuffer y = t == TargetColumn.NONE ? null : new FloatBuffer(1024);
        long rows = 0;
        if (header == null) {
            addRow(row, name, columns, t, x, y);
            rows++;
        }
        while (records.hasNext()) {
            row = records.next();
            if (row.columns() != columns) {
                throw new DataException(name + ":" + row.line() + ": " + row.columns() + " columns, expected "
                        + columns + " as on line " + firstLine);
            }
            if ((rows + 1) * d > Dataset.MAX_ELEMENTS) {
                throw new DataException(name + ":" + row.line()
                        + ": too many values to hold in memory (at most " + Dataset.MAX_ELEMENTS + ")");
            }
            addRow(row, name, columns, t, x, y);
            rows++;
        }
        if (rows == 0) {
            throw new DataException(name + ": no data rows after the header line");
        }
        List<String> featureNames = null;
        String targetName = null;
        if (header != null) {
            featureNames = new ArrayList<>(header);
            if (t != TargetColumn.NONE) {
                targetName = featureNames.remove(t);
            }
        }
        return new Samples(x.toArray(), y == null ? null : y.toArray(), (int) rows, d, name, featureNames, targetName);
    }

    /** Appends one row's features to x and its target (column t, if any) to y. */
    private static void addRow(NumericRecordHandler row, String name, int columns, int t, FloatBuffer x,
            FloatBuffer y) throws DataException {
        for (int c = 0; c < columns; c++) {
            float v = row.value(c);
            if (!Float.isFinite(v)) {
                throw row.problem(c, name + ":" + row.line());
            }
            if (c == t) {
                y.add(v);
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

    /** A growable float array. */
    private static final class FloatBuffer {
        private float[] data;
        private int size;

        FloatBuffer(int capacity) {
            data = new float[capacity];
        }

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Dataset.MAX_ELEMENTS, 2L * data.length));
            }
            data[size++] = v;
        }

        float[] toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }
}
