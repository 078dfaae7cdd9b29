package linreg.data;

/**
 * Rows of float32 values, {@link #width()} to a row, held in segments of whole rows (a row
 * never spans two), so that the rows of a data set are limited by memory, not by the size of
 * one Java array. On the heap ({@link HeapRows}) or mapped from a .npy file ({@link MappedRows}).
 */
public interface FloatRows {
    /** Number of rows. */
    int rows();

    /** Values per row. */
    int width();

    /** All the values as one row-major array, when they are held in one heap array; else null. */
    float[] array();

    /** Copies rows {@code first..first+count-1} row-major into {@code to} from {@code offset} on. */
    void copyRows(int first, int count, float[] to, int offset);

    /** Copies row {@code row} into {@code to} from {@code offset} on. */
    void copyRow(int row, float[] to, int offset);

    /** The value in column {@code column} of row {@code row}. */
    float get(int row, int column);

    /** Bytes of the values held on the Java heap. */
    long heapBytes();

    /** Bytes of the values read in place from a file through memory maps. */
    long mappedBytes();

    /**
     * Whether every value is known to be {@link Dataset#usable}: a file's loader checked it as it
     * mapped the file, and a second pass over a file bigger than the page cache would read it
     * from disk again.
     */
    default boolean valuesChecked() {
        return false;
    }
}
