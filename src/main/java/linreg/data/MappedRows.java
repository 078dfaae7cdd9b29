package linreg.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;

/**
 * {@link FloatRows} read in place from a float32 C-order array in a file, through read-only
 * memory maps: nothing is copied into the heap, and the operating system loads pages as they are
 * read. A file row of {@code stride} values gives this view's row from up to two runs of its
 * columns, so that the features of an (n, d + 1) array skip its target column, and the target is
 * a view of one column. A map holds at most {@link #MAX_MAP_BYTES}, so the rows come in segments
 * of whole rows, one map each.
 */
public final class MappedRows implements FloatRows {
    /** Most bytes one map holds (a Java buffer is int-indexed). */
    public static final long MAX_MAP_BYTES = Integer.MAX_VALUE;

    private final FloatBuffer[] segments;
    private final int rows;
    private final int stride;
    private final int firstFrom;
    private final int firstCount;
    private final int secondFrom;
    private final int secondCount;
    private final int segmentRows;
    private boolean checked;

    private MappedRows(FloatBuffer[] segments, int rows, int stride, int firstFrom, int firstCount, int secondFrom,
            int secondCount, int segmentRows) {
        this.segments = segments;
        this.rows = rows;
        this.stride = stride;
        this.firstFrom = firstFrom;
        this.firstCount = firstCount;
        this.secondFrom = secondFrom;
        this.secondCount = secondCount;
        this.segmentRows = segmentRows;
    }

    /**
     * Maps {@code rows} rows of {@code stride} float32 values starting at byte {@code offset} of
     * {@code channel}, whose elements are in {@code order}.
     *
     * @param mapBytes most bytes per map ({@link #MAX_MAP_BYTES}; less in tests of segment edges)
     */
    static MappedRows map(FileChannel channel, long offset, int rows, int stride, ByteOrder order, long mapBytes)
            throws IOException {
        int segmentRows = (int) Math.max(1, Math.min(rows, mapBytes / (4L * stride)));
        int count = (int) (((long) rows + segmentRows - 1) / segmentRows);
        FloatBuffer[] segments = new FloatBuffer[count];
        for (int s = 0; s < count; s++) {
            long first = (long) s * segmentRows;
            int in = (int) Math.min(segmentRows, rows - first);
            segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, offset + 4L * stride * first, 4L * stride * in)
                    .order(order).asFloatBuffer();
        }
        return new MappedRows(segments, rows, stride, 0, stride, 0, 0, segmentRows);
    }

    /** The same rows without column {@code column}: the features of an array whose target it is. */
    MappedRows without(int column) {
        return withChecked(new MappedRows(segments, rows, stride, 0, column, column + 1, stride - column - 1, segmentRows));
    }

    /** Column {@code column} alone: the target. */
    MappedRows column(int column) {
        return withChecked(new MappedRows(segments, rows, stride, column, 1, 0, 0, segmentRows));
    }

    private MappedRows withChecked(MappedRows view) {
        view.checked = checked;
        return view;
    }

    /** Every value was found {@link Dataset#usable} (by the loader, once). */
    void markChecked() {
        checked = true;
    }

    @Override
    public boolean valuesChecked() {
        return checked;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int width() {
        return firstCount + secondCount;
    }

    @Override
    public float[] array() {
        return null;
    }

    @Override
    public void copyRows(int first, int count, float[] to, int offset) {
        int w = width();
        for (int i = 0; i < count; i++) {
            copyRow(first + i, to, offset + i * w);
        }
    }

    @Override
    public void copyRow(int row, float[] to, int offset) {
        FloatBuffer segment = segments[row / segmentRows];
        int at = (row % segmentRows) * stride;
        segment.get(at + firstFrom, to, offset, firstCount);
        if (secondCount > 0) {
            segment.get(at + secondFrom, to, offset + firstCount, secondCount);
        }
    }

    @Override
    public float get(int row, int column) {
        int j = column < firstCount ? firstFrom + column : secondFrom + column - firstCount;
        return segments[row / segmentRows].get((row % segmentRows) * stride + j);
    }

    @Override
    public long heapBytes() {
        return 0;
    }

    @Override
    public long mappedBytes() {
        return 4L * rows * width();
    }
}
