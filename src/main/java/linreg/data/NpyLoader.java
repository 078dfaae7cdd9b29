package linreg.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import linreg.train.SampleLimit;

/**
 * Reads samples from NumPy {@code .npy} files: float32 or float64, either byte order, C or
 * Fortran order, format versions 1.0 to 3.0. Either one (n, d + 1) array whose target is a
 * column (the last, by default), or features X of shape (n, d) with labels y of shape (n,) or
 * (n, 1) in a second file.
 *
 * <p>A float32 C-order array is used in place: its rows are {@link MappedRows}, read through
 * memory maps, never copied into the heap, so a file may be bigger than the heap. Other arrays
 * stream from the file through a small buffer straight into the float32 {@link HeapRows} the
 * dataset keeps, so the data is held once; float64 elements are rounded to float32 by the cast
 * (round to nearest even). NaN, infinities and values beyond {@link Dataset#LIMIT} are rejected
 * with the element's index, as NumPy writes it: {@code [row, column]}.
 */
public final class NpyLoader {
    private static final int BUFFER_BYTES = 1 << 16;

    private final boolean maps;
    private final long mapBytes;
    private final int segmentRows;

    /** A loader that maps float32 C-order files and reads the others into the heap. */
    public NpyLoader() {
        this(true, MappedRows.MAX_MAP_BYTES, 0);
    }

    private NpyLoader(boolean maps, long mapBytes, int segmentRows) {
        this.maps = maps;
        this.mapBytes = mapBytes;
        this.segmentRows = segmentRows;
    }

    /** A loader that reads every file into the heap, maps none (the in-heap run to compare with). */
    public static NpyLoader inHeap() {
        return new NpyLoader(false, MappedRows.MAX_MAP_BYTES, 0);
    }

    /**
     * A loader whose maps hold at most {@code mapBytes} and whose heap segments {@code segmentRows}
     * rows, so that small files cross segment edges (tests).
     */
    public static NpyLoader inSegments(long mapBytes, int segmentRows) {
        return new NpyLoader(true, mapBytes, segmentRows);
    }

    /** Whether the array's elements can be read in place: float32, C order. */
    private boolean mappable(NpyHeader header) {
        return maps && header.elementSize() == 4 && !header.fortranOrder();
    }

    private HeapRows heap(int rows, int width, long held, String what) throws DataException {
        return HeapRows.allocate(rows, width, segmentRows > 0 ? segmentRows : HeapRows.segmentRows(width), held, what);
    }

    /** Maps the file's rows and checks every value once, as reading them into the heap would. */
    private MappedRows map(FileChannel channel, NpyHeader header, int rows, int columns, String name, boolean vector)
            throws IOException, DataException {
        MappedRows mapped = MappedRows.map(channel, header.dataOffset(), rows, columns, header.order(), mapBytes);
        int block = Math.max(1, Math.min(rows, BUFFER_BYTES / 4 / columns));
        float[] values = new float[block * columns];
        for (int first = 0; first < rows; first += block) {
            int count = Math.min(block, rows - first);
            mapped.copyRows(first, count, values, 0);
            for (int k = 0; k < count * columns; k++) {
                if (!Dataset.usable(values[k])) {
                    int i = first + k / columns;
                    throw new DataException(name + ": element " + Elements.index(i, vector ? -1 : k % columns) + " is "
                            + values[k] + ", " + Dataset.problem(Float.isFinite(values[k])));
                }
            }
        }
        mapped.markChecked();
        return mapped;
    }

    /** Whether {@code file} is to be read as .npy: its name ends in .npy, or it starts with the magic. */
    public static boolean isNpy(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return true;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return NpyHeader.hasMagic(in.readNBytes(NpyHeader.MAGIC.length));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One (n, c) array; {@code targetColumn} picks the target column, if any.
     *
     * @throws DataException naming the file and the problem
     */
    public Samples load(Path file, TargetColumn targetColumn) throws DataException {
        String name = file.toString();
        DataFiles.checkReadable(file, name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = NpyHeader.read(channel, name);
            if (header.shape().length != 2) {
                throw new DataException(name + ": shape " + header.shapeText() + ", expected a 2-D array (samples, columns)");
            }
            int n = rows(header, name);
            int columns = columns(header, name);
            int t = targetColumn.choose(columns, null, name);
            int d = t == TargetColumn.NONE ? columns : columns - 1;
            checkLength(channel, header, name);
            if (mappable(header)) {
                MappedRows all = map(channel, header, n, columns, name, false);
                return t == TargetColumn.NONE ? new Samples(all, null, name, null, null)
                        : new Samples(all.without(t), all.column(t), name, null, null);
            }
            HeapRows x = heap(n, d, 0, name + ": holding " + n + "×" + d + " features");
            HeapRows y = t == TargetColumn.NONE ? null : heap(n, 1, 4L * n * d, name + ": holding the targets");
            new Elements(channel, header, name).readMatrix(n, columns, x, y, t);
            return new Samples(x, y, name, null, null);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Features {@code features} of shape (n, d) and their labels, shape (n,) or (n, 1).
     *
     * @throws DataException naming the file and the problem
     */
    public Samples load(Path features, Path labels) throws DataException {
        String xName = features.toString();
        String yName = labels.toString();
        DataFiles.checkReadable(features, xName);
        DataFiles.checkReadable(labels, yName);
        try (FileChannel xChannel = FileChannel.open(features, StandardOpenOption.READ);
                FileChannel yChannel = FileChannel.open(labels, StandardOpenOption.READ)) {
            NpyHeader xHeader = NpyHeader.read(xChannel, xName);
            if (xHeader.shape().length != 2) {
                throw new DataException(xName + ": shape " + xHeader.shapeText()
                        + ", expected a 2-D array (samples, features)");
            }
            int n = rows(xHeader, xName);
            int d = columns(xHeader, xName);
            NpyHeader yHeader = NpyHeader.read(yChannel, yName);
            long[] yShape = yHeader.shape();
            if (!(yShape.length == 1 || (yShape.length == 2 && yShape[1] == 1))) {
                throw new DataException(yName + ": shape " + yHeader.shapeText() + ", expected labels of shape ("
                        + n + ",) or (" + n + ", 1)");
            }
            if (yShape[0] != n) {
                throw new DataException(yName + ": " + yShape[0] + " labels, but " + xName + " has " + n + " rows");
            }
            checkLength(xChannel, xHeader, xName);
            checkLength(yChannel, yHeader, yName);
            FloatRows x;
            if (mappable(xHeader)) {
                x = map(xChannel, xHeader, n, d, xName, false);
            } else {
                HeapRows hx = heap(n, d, 0, xName + ": holding " + n + "×" + d + " features");
                new Elements(xChannel, xHeader, xName).readMatrix(n, d, hx, null, TargetColumn.NONE);
                x = hx;
            }
            FloatRows y;
            if (mappable(yHeader)) {
                y = map(yChannel, yHeader, n, 1, yName, yShape.length == 1);
            } else {
                HeapRows hy = heap(n, 1, x.heapBytes(), yName + ": holding the labels");
                new Elements(yChannel, yHeader, yName).readVector(n, hy, yShape.length == 2);
                y = hy;
            }
            return new Samples(x, y, xName, null, null);
        } catch (IOException e) {
            throw new DataException(xName + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * One value per row of {@code dataName}'s n rows, from {@code file} of shape (n,) or (n, 1),
     * into a heap array ({@code what}: "weights", for messages).
     *
     * @throws DataException naming the file and the problem (an element: its index)
     */
    public float[] loadVector(Path file, int n, String dataName, String what) throws DataException {
        String name = file.toString();
        DataFiles.checkReadable(file, name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = NpyHeader.read(channel, name);
            long[] shape = header.shape();
            if (!(shape.length == 1 || (shape.length == 2 && shape[1] == 1))) {
                throw new DataException(name + ": shape " + header.shapeText() + ", expected " + what + " of shape ("
                        + n + ",) or (" + n + ", 1)");
            }
            if (shape[0] != n) {
                throw new DataException(name + ": " + shape[0] + " " + what + ", but " + dataName + " has " + n + " rows");
            }
            checkLength(channel, header, name);
            HeapRows column = HeapRows.allocate(n, 1, n, 0, name + ": holding the " + what);
            new Elements(channel, header, name).readVector(n, column, shape.length == 2);
            float[] v = new float[n];
            column.copyRows(0, n, v, 0);
            return v;
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage());
        }
    }

    private static int rows(NpyHeader header, String name) throws DataException {
        long n = header.shape()[0];
        if (n == 0) {
            throw new DataException(name + ": shape " + header.shapeText() + ": no samples");
        }
        if (n > SampleLimit.MAX_SAMPLES) {
            throw new DataException(name + ": shape " + header.shapeText() + ": more rows than a run takes (at most 2^31 - 1 = "
                    + SampleLimit.MAX_SAMPLES + ")");
        }
        return (int) n;
    }

    private static int columns(NpyHeader header, String name) throws DataException {
        long c = header.shape()[1];
        if (c == 0) {
            throw new DataException(name + ": shape " + header.shapeText() + ": no columns");
        }
        if (c > HeapRows.MAX_SEGMENT_VALUES) {
            throw new DataException(name + ": shape " + header.shapeText() + ": more columns than a row holds (at most "
                    + HeapRows.MAX_SEGMENT_VALUES + ")");
        }
        return (int) c;
    }

    /** The file must hold every element the header promises (more may follow: NumPy ignores it). */
    private static void checkLength(FileChannel channel, NpyHeader header, String name) throws IOException, DataException {
        long count = 1;
        for (long dim : header.shape()) {
            count *= dim;
        }
        long needed = count * header.elementSize();
        long present = Math.max(0, channel.size() - header.dataOffset());
        if (present < needed) {
            throw new DataException(name + ": truncated: shape " + header.shapeText() + " of " + header.typeName()
                    + " needs " + needed + " bytes of data, the file has " + present);
        }
    }

    /** The array's elements in file order, through a small buffer. */
    private static final class Elements {
        private final FileChannel channel;
        private final NpyHeader header;
        private final String name;
        private final ByteBuffer buffer;
        private final boolean wide;
        private long position;

        Elements(FileChannel channel, NpyHeader header, String name) {
            this.channel = channel;
            this.header = header;
            this.name = name;
            this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(header.order());
            this.buffer.limit(0);
            this.wide = header.elementSize() == 8;
            this.position = header.dataOffset();
        }

        /** Rows × columns into x (row-major, without column t) and y (column t, if any). */
        void readMatrix(int rows, int columns, HeapRows x, HeapRows y, int t) throws IOException, DataException {
            int d = t == TargetColumn.NONE ? columns : columns - 1;
            if (!header.fortranOrder()) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < columns; j++) {
                        store(next(i, j), i, j, d, x, y, t);
                    }
                }
            } else {
                for (int j = 0; j < columns; j++) {
                    for (int i = 0; i < rows; i++) {
                        store(next(i, j), i, j, d, x, y, t);
                    }
                }
            }
        }

        private static void store(float v, int i, int j, int d, HeapRows x, HeapRows y, int t) {
            if (j == t) {
                y.set(i, 0, v);
            } else {
                x.set(i, t != TargetColumn.NONE && j > t ? j - 1 : j, v);
            }
        }

        /** n labels; {@code column} when they are an (n, 1) array (for the index in messages). */
        void readVector(int n, HeapRows y, boolean column) throws IOException, DataException {
            for (int i = 0; i < n; i++) {
                y.set(i, 0, next(i, column ? 0 : -1));
            }
        }

        /** The next element as float32; {@code i, j} name it in messages (j < 0: a vector). */
        private float next(int i, int j) throws IOException, DataException {
            if (buffer.remaining() < header.elementSize()) {
                refill();
            }
            if (!wide) {
                float v = buffer.getFloat();
                if (!Dataset.usable(v)) {
                    throw new DataException(name + ": element " + index(i, j) + " is " + v + ", " + Dataset.problem(Float.isFinite(v)));
                }
                return v;
            }
            double v = buffer.getDouble();
            float f = (float) v;
            if (!Dataset.usable(f)) {
                throw new DataException(name + ": element " + index(i, j) + " is " + v + ", "
                        + Dataset.problem(Double.isFinite(v)));
            }
            return f;
        }

        static String index(int i, int j) {
            return j < 0 ? "[" + i + "]" : "[" + i + ", " + j + "]";
        }

        private void refill() throws IOException, DataException {
            buffer.compact();
            while (buffer.position() < header.elementSize()) {
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new DataException(name + ": truncated: the file ended while reading its elements");
                }
                position += read;
            }
            buffer.flip();
        }
    }
}
