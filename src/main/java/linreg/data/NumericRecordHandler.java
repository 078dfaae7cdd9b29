package linreg.data;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.util.Arrays;
import java.util.List;

/**
 * FastCSV's callback for numeric tables: each cell is parsed to float32 straight from the
 * parser's buffer, so a row of numbers costs no String. The handler itself is the record, valid
 * until the next one is read. A cell keeps its text only where it did not read as a usable
 * number ({@link Dataset#usable}), for error messages and the header, and in a first record that
 * is a header whatever it holds ({@code --header}).
 */
final class NumericRecordHandler extends AbstractBaseCsvCallbackHandler<NumericRecordHandler> {
    private final char delimiter;
    private final boolean numberedHeader;
    private float[] values = new float[16];
    private String[] text = new String[16];
    private boolean[] numeric = new boolean[16];
    private int nonNumeric;
    /** Cells that are neither numbers nor blank. */
    private int words;
    private long records;
    /** Whether this record keeps the text of every cell: a --header record. */
    private boolean keepText;
    /** The first quoted cell of the record that holds a line break, or -1. */
    private int quoteColumn;
    private int quoteLineBreaks;
    private boolean quoteRunsToTheEnd;

    /**
     * @param numberedHeader whether the first record is a header even where its cells are
     *     numbers (then their text is kept too)
     */
    NumericRecordHandler(char delimiter, boolean numberedHeader) {
        this.delimiter = delimiter;
        this.numberedHeader = numberedHeader;
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
        nonNumeric = 0;
        words = 0;
        quoteColumn = -1;
        keepText = numberedHeader && records == 0;
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int length, boolean quoted) {
        if (index == values.length) {
            grow(index);
        }
        float value = FloatParser.fast(buf, offset, length);
        if (Dataset.usable(value) && !quoted && !keepText) {
            values[index] = value;
            numeric[index] = true;
            text[index] = null;
            return;
        }
        otherField(index, buf, offset, length, quoted, value);
    }

    /** Apart from the hot path above, which stays small enough for the JIT to inline. */
    private void otherField(int index, char[] buf, int offset, int length, boolean quoted, float fastValue) {
        if (quoted && quoteColumn < 0) {
            noteLineBreaks(index, buf, offset, length);
        }
        text[index] = new String(buf, offset, length);
        boolean number = fastValue == fastValue || FloatParser.isNumber(buf, offset, length);
        numeric[index] = number;
        if (number) {
            values[index] = fastValue == fastValue ? fastValue : FloatParser.parse(buf, offset, length);
        } else {
            values[index] = Float.NaN;
            nonNumeric++;
            words += text[index].isBlank() ? 0 : 1;
        }
    }

    private void grow(int index) {
        int grown = (int) Math.min(Integer.MAX_VALUE - 8, 2L * index);
        values = Arrays.copyOf(values, grown);
        text = Arrays.copyOf(text, grown);
        numeric = Arrays.copyOf(numeric, grown);
    }

    /** A quoted cell over several lines: a quote that was never closed, or closed far too late. */
    private void noteLineBreaks(int index, char[] buf, int offset, int length) {
        int breaks = 0;
        for (int i = offset; i < offset + length; i++) {
            if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == offset + length || buf[i + 1] != '\n'))) {
                breaks++;
            }
        }
        if (breaks > 0) {
            quoteColumn = index;
            quoteLineBreaks = breaks;
            char last = buf[offset + length - 1];
            quoteRunsToTheEnd = last == '\n' || last == '\r';
        }
    }

    @Override
    protected RecordWrapper<NumericRecordHandler> buildRecord() {
        records++;
        return wrapRecord(this);
    }

    /** The record's first line in the file (1-based). */
    long line() {
        return getStartingLineNumber();
    }

    int columns() {
        return getFieldCount();
    }

    /** Whether no cell of the record reads as a number (then it may be a header line). */
    boolean allText() {
        return nonNumeric == getFieldCount();
    }

    /**
     * With {@code --delimiter space}, where the record has empty cells: that a run of spaces
     * makes them ("; with --delimiter space ..."); else "".
     */
    String spaceHint() {
        return delimiter == ' ' && words < nonNumeric
                ? "; with --delimiter space every space separates two cells, so a run of spaces makes empty ones:"
                        + " squeeze them (tr -s ' ') or use --delimiter tab"
                : "";
    }

    /** Whether some cells are numbers and some are words, as in a header with a year in it. */
    boolean mixed() {
        return words > 0 && nonNumeric < getFieldCount();
    }

    /** The cells' text, trimmed; for a header record. */
    List<String> texts() {
        String[] names = new String[getFieldCount()];
        for (int c = 0; c < names.length; c++) {
            names[c] = text[c].strip();
        }
        return List.of(names);
    }

    /** Cell {@code c}'s value: NaN where it is not a number. */
    float value(int c) {
        return values[c];
    }

    /**
     * A quote left open: on any record when it runs to the end of the input, on a data record
     * (whose cells hold one number each) when it spans lines at all; else null.
     *
     * @param where {@code file} for the message
     */
    DataException quoteProblem(String where, boolean dataRecord) {
        if (quoteColumn < 0 || !(quoteRunsToTheEnd || dataRecord)) {
            return null;
        }
        int column = quoteColumn + 1;
        String at = where + ":" + line() + ":" + column + ": the quote that opens column " + column + " on line " + line();
        return new DataException(at + (quoteRunsToTheEnd ? " is never closed"
                : " closes only on line " + (line() + quoteLineBreaks) + "; a cell holds one number, on one line"));
    }

    /**
     * What is wrong with cell {@code c}, which is not a {@link Dataset#usable} number.
     *
     * @param where {@code file:line} for the message
     * @param hint said after the message (with "; "), or null
     */
    DataException problem(int c, String where, String hint) {
        int column = c + 1;
        String at = where + ":" + column + ": column " + column;
        String message;
        if (numeric[c]) {
            // nan and inf are words; a number with digits (1e39) is finite, however large
            message = at + " is \"" + text[c].strip() + "\", " + Dataset.problem(text[c].chars().anyMatch(Character::isDigit));
        } else if (text[c].isBlank()) {
            message = at + " is empty, expected a number" + spaceHint();
        } else {
            message = at + " is \"" + text[c] + "\", expected a number";
        }
        return new DataException(hint == null ? message : message + "; " + hint);
    }
}
