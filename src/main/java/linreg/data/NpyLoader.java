package linreg.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Reads samples from NumPy {@code .npy} files: float32 or float64, either byte order, C or
 * Fortran order, format versions 1.0 to 3.0. Either one (n, d + 1) array whose target is a
 * column (the last, by default), or features X of shape (n, d) with labels y of shape (n,) or
 * (n, 1) in a second file.
 *
 * <p>The elements stream from the file through a small buffer straight into the float32
 * arrays the dataset keeps, so the data is held once; float64 elements are rounded to float32
 * by the cast (round to nearest even). NaN, infinities and values beyond {@link Dataset#LIMIT}
 * are rejected with the element's index, as NumPy writes it: {@code [row, column]}.
 */
public final class NpyLoader {
    private static final int BUFFER_BYTES = 1 << 16;

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
            checkSize(n, d, name);
            checkLength(channel, header, name);
            float[] x = JavaHeap.floats((long) n * d, 0, name + ": holding " + n + "×" + d + " features");
            float[] y = t == TargetColumn.NONE ? null : JavaHeap.floats(n, 4L * n * d, name + ": holding the targets");
            new Elements(channel, header, name).readMatrix(n, columns, x, y, t);
            return new Samples(x, y, n, d, name, null, null);
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
            checkSize(n, d, xName);
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
            float[] x = JavaHeap.floats((long) n * d, 0, xName + ": holding " + n + "×" + d + " features");
            float[] y = JavaHeap.floats(n, 4L * n * d, yName + ": holding the labels");
            new Elements(xChannel, xHeader, xName).readMatrix(n, d, x, null, TargetColumn.NONE);
            new Elements(yChannel, yHeader, yName).readVector(n, y, yShape.length == 2);
            return new Samples(x, y, n, d, xName, null, null);
        } catch (IOException e) {
            throw new DataException(xName + ": cannot read: " + e.getMessage());
        }
    }

    private static int rows(NpyHeader header, String name) throws DataException {
        long n = header.shape()[0];
        if (n == 0) {
            throw new DataException(name + ": shape " + header.shapeText() + ": no samples");
        }
        if (n > Dataset.MAX_ELEMENTS) {
            throw new DataException(name + ": shape " + header.shapeText() + ": too many rows to hold in memory");
        }
        return (int) n;
    }

    private static int columns(NpyHeader header, String name) throws DataException {
        long c = header.shape()[1];
        if (c == 0) {
            throw new DataException(name + ": shape " + header.shapeText() + ": no columns");
        }
        if (c > Dataset.MAX_ELEMENTS) {
            throw new DataException(name + ": shape " + header.shapeText() + ": too many columns to hold in memory");
        }
        return (int) c;
    }

    private static void checkSize(int n, int d, String name) throws DataException {
        if ((long) n * d > Dataset.MAX_ELEMENTS) {
            throw new DataException(name + ": " + n + "×" + d + " = " + (long) n * d
                    + " features, more than a host array holds (" + Dataset.MAX_ELEMENTS + ")");
        }
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
        void readMatrix(int rows, int columns, float[] x, float[] y, int t) throws IOException, DataException {
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

        private static void store(float v, int i, int j, int d, float[] x, float[] y, int t) {
            if (j == t) {
                y[i] = v;
            } else {
                x[i * d + (t != TargetColumn.NONE && j > t ? j - 1 : j)] = v;
            }
        }

        /** n labels; {@code column} when they are an (n, 1) array (for the index in messages). */
        void readVector(int n, float[] y, boolean column) throws IOException, DataException {
            for (int i = 0; i < n; i++) {
                y[i] = next(i, column ? 0 : -1);
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

        private static String index(int i, int j) {
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
