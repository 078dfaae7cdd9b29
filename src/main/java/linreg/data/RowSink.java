package linreg.data;

/**
 * Where a table's rows go as a reader parses them, a value at a time: onto the heap
 * ({@link HeapRows.Builder}) or into a file ({@link Float32NpyWriter.Rows}).
 */
public interface RowSink {
    /** Room for one more row of the sink's width; {@code line} names it in messages. */
    void reserveRow(long line) throws DataException;

    /** Appends a value; {@link #reserveRow} made room for it. */
    void add(float v);
}
