package linreg.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes .npy files for tests, per the NPY format specification: the magic, the version, the
 * header length (2 bytes little-endian in version 1, 4 in versions 2 and 3), then the header
 * dict padded with spaces and ended by a newline so that the data starts at a multiple of 64.
 */
public final class NpyWriter {
    private NpyWriter() {}

    /** The header dict as NumPy writes it. */
    public static String dict(String descr, boolean fortranOrder, long... shape) {
        return NpyHeader.dict(descr, fortranOrder, shape);
    }

    /** Magic, version and the padded header for {@code dict}. */
    public static byte[] header(int major, String dict) {
        return NpyHeader.bytes(major, dict);
    }

    /** The elements in file order as {@code descr} ('<f4', '>f8', ...) stores them. */
    public static byte[] data(String descr, double... values) {
        int size = descr.endsWith("8") ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(values.length * size)
                .order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (size == 8) {
                b.putDouble(v);
            } else {
                b.putFloat((float) v);
            }
        }
        return b.array();
    }

    /** A version 1.0 file of a float array. */
    public static Path write(Path file, String descr, boolean fortranOrder, long[] shape, double... values) throws IOException {
        return write(file, 1, descr, fortranOrder, shape, values);
    }

    /** A file of format version {@code major}.0. */
    public static Path write(Path file, int major, String descr, boolean fortranOrder, long[] shape, double... values)
            throws IOException {
        return write(file, header(major, dict(descr, fortranOrder, shape)), data(descr, values));
    }

    /** Raw parts, for broken files. */
    public static Path write(Path file, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    /** A C-order (rows × columns) matrix, row-major values. */
    public static Path matrix(Path file, String descr, int rows, int columns, double... rowMajor) throws IOException {
        return write(file, descr, false, new long[] {rows, columns}, rowMajor);
    }

    /** A vector of shape (n,). */
    public static Path vector(Path file, String descr, double... values) throws IOException {
        return write(file, descr, false, new long[] {values.length}, values);
    }
}
