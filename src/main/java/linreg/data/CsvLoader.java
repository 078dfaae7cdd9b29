package linreg.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Reads samples from a CSV file (FastCSV): one sample a row, the features, then the target in
 * the last column (or the column named by {@code target}). The first line is a header when
 * none of its cells is a number. Every value must be a finite float32; every problem is
 * reported as {@code file:line:column: what}.
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
     * Loads {@code file}.
     *
     * @param target the target column's header name, or null for the last column
     * @throws DataException naming the file, line and column of the first problem
     */
    public Dataset load(Path file, String target) throws DataException {
        String name = file.toString();
        checkReadable(file, name);
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .fieldSeparator(delimiter)
                .skipEmptyLines(true)
                .ignoreDifferentFieldCount(true)
                .ofCsvRecord(file)) {
            return read(reader.iterator(), name, target);
        } catch (CsvParseException e) {
            throw new DataException(name + ": not valid CSV: " + rootMessage(e));
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(name + ": cannot read: " + rootMessage(e));
        }
    }

    private static void checkReadable(Path file, String name) throws DataException {
        if (!Files.exists(file)) {
            throw new DataException(name + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new DataException(name + ": is a directory, expected a CSV file");
        }
        if (!Files.isReadable(file)) {
            throw new DataException(name + ": cannot be read (permission denied)");
        }
    }

    private Dataset read(Iterator<CsvRecord> records, String name, String target) throws DataException {
        if (!records.hasNext()) {
            throw new DataException(name + ": the file is empty");
        }
        CsvRecord first = records.next();
        int columns = first.getFieldCount();
        if (columns < 2) {
            throw new DataException(name + ":" + first.getStartingLineNumber() + ": " + columns
                    + " column, expected at least two (features, then the target)");
        }
        List<String> header = isHeader(first) ? first.getFields() : null;
        int targetColumn = targetColumn(header, target, name, first.getStartingLineNumber());
        int d = columns - 1;
        FloatBuffer x = new FloatBuffer(1024 * d);
        FloatBuffer y = new FloatBuffer(1024);
        float[] row = new float[columns];
        if (header == null) {
            addRow(first, columns, name, row, targetColumn, x, y);
        }
        while (records.hasNext()) {
            CsvRecord record = records.next();
            if (record.getFieldCount() != columns) {
                throw new DataException(name + ":" + record.getStartingLineNumber() + ": "
                        + record.getFieldCount() + " columns, expected " + columns + " as on line "
                        + first.getStartingLineNumber());
            }
            if ((long) (y.size() + 1) * d > Dataset.MAX_ELEMENTS) {
                throw new DataException(name + ":" + record.getStartingLineNumber()
                        + ": too many values to hold in memory (at most " + Dataset.MAX_ELEMENTS + ")");
            }
            addRow(record, columns, name, row, targetColumn, x, y);
        }
        if (y.size() == 0) {
            throw new DataException(name + ": no data rows after the header line");
        }
        List<String> featureNames = null;
        String targetName = null;
        if (header != null) {
            featureNames = new ArrayList<>(header);
            targetName = featureNames.remove(targetColumn);
        }
        return Dataset.of(x.toArray(), y.toArray(), d, name, featureNames, targetName);
    }

    private static int targetColumn(List<String> header, String target, String name, long line)
            throws DataException {
        if (target == null) {
            return header == null ? -1 : header.size() - 1;
        }
        if (header == null) {
            throw new DataException(name + ":" + line + ": --target " + target
                    + " needs a header line, but this line holds numbers");
        }
        int index = header.indexOf(target);
        if (index < 0) {
            throw new DataException(name + ":" + line + ": no column named \"" + target
                    + "\" (columns: " + String.join(", ", header) + ")");
        }
        return index;
    }

    /** A header line has no cell that reads as a number. */
    private static boolean isHeader(CsvRecord record) {
        for (String cell : record.getFields()) {
            if (parses(cell)) {
                return false;
            }
        }
        return true;
    }

    private static boolean parses(String cell) {
        try {
            Float.parseFloat(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void addRow(CsvRecord record, int columns, String name, float[] row,
            int targetColumn, FloatBuffer x, FloatBuffer y) throws DataException {
        for (int c = 0; c < columns; c++) {
            row[c] = parseCell(record.getField(c), name, record.getStartingLineNumber(), c + 1);
        }
        int t = targetColumn < 0 ? columns - 1 : targetColumn;
        for (int c = 0; c < columns; c++) {
            if (c != t) {
                x.add(row[c]);
            }
        }
        y.add(row[t]);
    }

    private static float parseCell(String cell, String name, long line, int column) throws DataException {
        float value;
        try {
            value = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new DataException(name + ":" + line + ":" + column + ": column " + column + " is \""
                    + cell + "\", expected a number");
        }
        if (!Float.isFinite(value)) {
            throw new DataException(name + ":" + line + ":" + column + ": column " + column + " is \""
                    + cell.strip() + "\", expected a finite float32 number");
        }
        return value;
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

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
