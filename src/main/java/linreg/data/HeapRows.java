package linreg.data;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link FloatRows} in Java arrays of at most {@link #MAX_SEGMENT_VALUES} values each: every data
 * set one array held before is still one segment, bigger ones take as many as they need.
 */
public final class HeapRows implements FloatRows {
    /** Most values one segment holds: the largest Java array. */
    public static final long MAX_SEGMENT_VALUES = Integer.MAX_VALUE - 8;

    private final float[][] segments;
    private final int rows;
    private final int width;
    private final int segmentRows;

    private HeapRows(float[][] segments, int rows, int width, int segmentRows) {
        if (rows < 0 || width < 1 || segmentRows < 1) {
            throw new IllegalArgumentException(rows + " rows of " + width + " values in segments of " + segmentRows);
        }
        this.segments = segments;
        this.rows = rows;
        this.width = width;
        this.segmentRows = segmentRows;
    }

    /** Rows of a segment for rows of {@code width} values: as many as one array holds. */
    public static int segmentRows(int width) {
        return (int) Math.min(Integer.MAX_VALUE, MAX_SEGMENT_VALUES / width);
    }

    /** One segment: {@code values} (row-major, taken, not copied). */
    public static HeapRows of(float[] values, int width) {
        if (values.length % width != 0) {
            throw new IllegalArgumentException(values.length + " values are not whole rows of " + width);
        }
        int rows = values.length / width;
        return new HeapRows(new float[][] {values}, rows, width, Math.max(1, rows));
    }

    /**
     * {@code rows} rows of zeros in segments of {@code segmentRows}.
     *
     * @param held bytes of the same data already held, for the message when the heap is short
     * @param what the message's start: where, and what the rows are for
     * @throws DataException when the heap cannot hold them
     */
    public static HeapRows allocate(int rows, int width, int segmentRows, long held, String what) throws DataException {
        int per = Math.min(segmentRows, segmentRows(width));
        int count = Math.max(1, (int) (((long) rows + per - 1) / per));
        float[][] segments = new float[count][];
        long total = 4L * rows * width;
        for (int s = 0; s < count; s++) {
            int in = (int) Math.min(per, rows - (long) s * per);
            // The message counts the other segments as held: it gives the total the rows need.
            segments[s] = JavaHeap.floats((long) in * width, held + total - 4L * in * width, what);
        }
        return new HeapRows(segments, rows, width, rows <= per ? Math.max(1, rows) : per);
    }

    /** Number of segments. */
    public int segments() {
        return segments.length;
    }

    /** Rows of every segment but the last, which may have fewer. */
    public int segmentRows() {
        return segmentRows;
    }

    /** Segment {@code s}, row-major (the array itself). */
    public float[] segment(int s) {
        return segments[s];
    }

    /** Sets the value in column {@code column} of row {@code row}. */
    public void set(int row, int column, float v) {
        segments[row / segmentRows][(row % segmentRows) * width + column] = v;
    }

    /** Copies {@code from[offset..offset+width)} into row {@code row}. */
    public void setRow(int row, float[] from, int offset) {
        System.arraycopy(from, offset, segments[row / segmentRows], (row % segmentRows) * width, width);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] array() {
        return segments.length == 1 && segments[0].length == (long) rows * width ? segments[0] : null;
    }

    @Override
    public void copyRows(int first, int count, float[] to, int offset) {
        while (count > 0) {
            int s = first / segmentRows;
            int local = first % segmentRows;
            int part = Math.min(count, segmentRows - local);
            System.arraycopy(segments[s], local * width, to, offset, part * width);
            first += part;
            count -= part;
            offset += part * width;
        }
    }

    @Override
    public void copyRow(int row, float[] to, int offset) {
        System.arraycopy(segments[row / segmentRows], (row % segmentRows) * width, to, offset, width);
    }

    @Override
    public float get(int row, int column) {
        return segments[row / segmentRows][(row % segmentRows) * width + column];
    }

    @Override
    public long heapBytes() {
        return 4L * rows * width;
    }

    @Override
    public long mappedBytes() {
        return 0;
    }

    /**
     * Rows appended one value at a time, of a count not known in advance (a CSV file): the last
     * segment starts at one row and doubles, up to the segment size, then a new one starts. What
     * it holds is what was read; when the heap cannot take the next step, the refusal says how
     * much was needed.
     */
    public static final class Builder implements RowSink {
        private final String name;
        private final int width;
        private final int segmentRows;
        private final List<float[]> full = new ArrayList<>();
        private float[] last;
        private int size;

        /** @param name where the values come from, for messages */
        public Builder(String name, int width, int segmentRows) {
            this.name = name;
            this.width = width;
            this.segmentRows = Math.min(segmentRows, segmentRows(width));
            this.last = new float[(int) Math.min((long) this.segmentRows * width, Math.max(width, 1024))];
        }

        @Override
        public void reserveRow(long line) throws DataException {
            long capacity = (long) segmentRows * width;
            if (size == capacity) {
                full.add(last);
                last = JavaHeap.floats(Math.min(capacity, Math.max(width, 1024)), held(), name + ":" + line
                        + ": holding the rows read so far");
                size = 0;
            } else if (size + width > last.length) {
                long grown = Math.min(capacity, Math.max(2L * last.length, (long) size + width));
                last = copy(grown, name + ":" + line + ": holding the rows read so far");
            }
        }

        @Override
        public void add(float v) {
            last[size++] = v;
        }

        /** The rows appended. */
        public HeapRows build(long line) throws DataException {
            float[] tail = size == last.length ? last : copy(size, name + ":" + line + ": holding the rows read");
            float[][] segments = new float[full.size() + 1][];
            full.toArray(segments);
            segments[full.size()] = tail;
            int rows = (int) (((long) full.size() * segmentRows * width + size) / width);
            return new HeapRows(segments, rows, width, full.isEmpty() ? Math.max(1, rows) : segmentRows);
        }

        private long held() {
            return 4L * ((long) full.size() * segmentRows * width + last.length);
        }

        private float[] copy(long length, String what) throws DataException {
            float[] copy = JavaHeap.floats(length, held(), what);
            System.arraycopy(last, 0, copy, 0, Math.min(size, copy.length));
            return copy;
        }
    }
}
