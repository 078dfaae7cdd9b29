package linreg.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes rows as a float32 little-endian C-order {@code .npy} array of shape (rows, width): the
 * layout {@link NpyLoader} reads in place through memory maps.
 */
public final class Float32NpyWriter {
    private static final int BUFFER_BYTES = 1 << 20;

    private Float32NpyWriter() {}

    /** The header of an (rows, width) float32 C-order array (format 1.0, as NumPy writes it). */
    public static byte[] header(long rows, int width) {
        return NpyHeader.bytes(1, NpyHeader.dict("<f4", false, rows, width));
    }

    /**
     * A {@link RowSink} that writes the elements of the array, without its header, to a stream as
     * they come (float32 little-endian), through a buffer of its own: a table of any size is
     * held by the file, not the heap.
     */
    public static final class Rows implements RowSink {
        private final OutputStream out;
        private final Path file;
        private final int width;
        private final ByteBuffer buffer;

        /** @param file what {@code out} writes, for messages */
        public Rows(OutputStream out, Path file, int width) {
            this.out = out;
            this.file = file;
            this.width = width;
            // Room for one row at least, so that a reserved row always fits.
            this.buffer = ByteBuffer.allocate((int) Math.max(BUFFER_BYTES, 4L * width)).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void reserveRow(long line) throws DataException {
            if (buffer.remaining() < 4L * width) {
                flush();
            }
        }

        @Override
        public void add(float v) {
            buffer.putFloat(v);
        }

        /** Writes what the buffer holds. */
        public void flush() throws DataException {
            try {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            } catch (IOException e) {
                throw new DataException(file + ": cannot write: " + AtomicFiles.reason(e));
            }
        }
    }
}
