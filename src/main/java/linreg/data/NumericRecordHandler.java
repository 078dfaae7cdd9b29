package linreg.data;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.util.Arrays;
import java.util.List;

/**
 * FastCSV's callback for numeric tables: each cell is parsed to float32 straight from the
 * parser's buffer, so a row of numbers costs no String. The handler itself is the record, valid
 * until the next one is read. A cell keeps its text only where it did not read as a finite
 * number, for the header and for error messages.
 */
final class NumericRecordHandler extends AbstractBaseCsvCallbackHandler<NumericRecordHandler> {
    private float[] values = new float[16];
    private String[] text = new String[16];
    private boolean[] numeric = new boolean[16];
    private int nonNumeric;

    @Override
    protected void handleBegin(long startingLineNumber) {
        nonNumeric = 0;
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int length, boolean quoted) {
        if (index == values.length) {
            values = Arrays.copyOf(values, 2 * index);
            text = Arrays.copyOf(text, 2 * index);
            numeric = Arrays.copyOf(numeric, 2 * index);
        }
        float value = FloatParser.fast(buf, offset, length);
        if (value == value) {
            values[index] = value;
            numeric[index] = true;
            text[index] = null;
            return;
        }
        String cell = new String(buf, offset, length);
        text[index] = cell;
        try {
            values[index] = Float.parseFloat(cell);
            numeric[index] = true;
        } catch (NumberFormatException e) {
            values[index] = Float.NaN;
            numeric[index] = false;
            nonNumeric++;
        }
    }

    @Override
    protected RecordWrapper<NumericRecordHandler> buildRecord() {
        return wrapRecord(this);
    }

    /** The record's first line in the file (1-based). */
    long line() {
        return getStartingLineNumber();
    }

    int columns() {
        return getFieldCount();
    }

    /** Whether no cell of the record reads as a number (then it is a header line). */
    boolean allText() {
        return nonNumeric == getFieldCount();
    }

    /** The cells' text; for a record of which {@link #allText()} holds. */
    List<String> texts() {
        return List.of(Arrays.copyOf(text, getFieldCount()));
    }

    /** Cell {@code c}'s value: NaN where it is not a number. */
    float value(int c) {
        return values[c];
    }

    /**
     * What is wrong with cell {@code c}, which is not a finite number.
     *
     * @param where {@code file:line} for the message
     */
    DataException problem(int c, String where) {
        int column = c + 1;
        if (!numeric[c]) {
            return new DataException(where + ":" + column + ": column " + column + " is \"" + text[c] + "\", expected a number");
        }
        return new DataException(where + ":" + column + ": column " + column + " is \"" + text[c].strip()
                + "\", expected a finite float32 number");
    }
}
