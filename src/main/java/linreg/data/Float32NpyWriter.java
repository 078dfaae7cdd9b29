package linreg.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes rows as a float32 little-endian C-order {@code .npy} array of shape (rows, width): the
 * layout {@link NpyLoader} reads in place through memory maps.
 */
public final class Float32NpyWriter {
    private static final int BUFFER_BYTES = 1 << 20;

    private Float32NpyWriter() {}

    /** Writes the header and every row of {@code rows} to {@code out} (which the caller closes). */
    public static void write(FloatRows rows, OutputStream out) throws IOException {
        int w = rows.width();
        out.write(NpyHeader.bytes(1, NpyHeader.dict("<f4", false, rows.rows(), w)));
        int block = Math.max(1, Math.min(rows.rows(), BUFFER_BYTES / 4 / w));
        float[] values = new float[block * w];
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int first = 0; first < rows.rows(); first += block) {
            int count = Math.min(block, rows.rows() - first);
            rows.copyRows(first, count, values, 0);
            bytes.clear();
            bytes.asFloatBuffer().put(values, 0, count * w);
            out.write(bytes.array(), 0, 4 * count * w);
        }
    }
}
