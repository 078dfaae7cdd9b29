package linreg.data;

import java.util.Locale;

/**
 * Arrays as big as the data, and what to say when the Java heap cannot hold them: how much was
 * needed, how much the heap has, and how to give it more ({@code LINREG_JAVA_OPTS}, which
 * bin/linreg passes to the JVM).
 */
public final class JavaHeap {
    private JavaHeap() {}

    /**
     * {@code new float[count]}.
     *
     * @param held bytes of the data already held, which stay while this array is filled
     * @param what the message's start: where, and what the array is for
     * @throws DataException when the heap cannot hold it
     */
    static float[] floats(long count, long held, String what) throws DataException {
        if (count > Dataset.MAX_ELEMENTS) {
            throw new DataException(what + ": " + count + " values, more than a Java array holds (" + Dataset.MAX_ELEMENTS + ")");
        }
        try {
            return new float[(int) count];
        } catch (OutOfMemoryError e) {
            throw new DataException(what + " " + needs(4 * count, held));
        }
    }

    /**
     * "needs 4.0 GiB more (6.0 GiB in all), which the Java heap (4.0 GiB at most) cannot give;
     * give it more with LINREG_JAVA_OPTS=-Xmx12g".
     *
     * @param more the bytes asked for now
     * @param held the bytes of the same data already held
     */
    public static String needs(long more, long held) {
        long max = Runtime.getRuntime().maxMemory();
        long gib = Math.max(1, (2 * (more + held) + (1L << 30) - 1) >> 30); // twice as much, for what training adds
        return "needs " + size(more) + (held > 0 ? " more (" + size(more + held) + " in all)" : "")
                + ", which the Java heap (" + size(max) + " at most) cannot give; give it more with LINREG_JAVA_OPTS=-Xmx"
                + gib + "g";
    }

    /** "the Java heap (4.0 GiB at most) is full; give it more with LINREG_JAVA_OPTS=-Xmx<size>". */
    public static String full() {
        return "the Java heap (" + size(Runtime.getRuntime().maxMemory())
                + " at most) is full; give it more with LINREG_JAVA_OPTS=-Xmx<size>";
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
