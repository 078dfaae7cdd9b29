package linreg.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import linreg.spec.Seeds;

/**
 * The tutorial's {@code create_data(w, b, n)} on the CPU: {@code X ~ N(0, 1)} (n×d) and
 * {@code y = X·w + b + N(0, 0.01)}, reproducible from the seed whatever the thread count.
 *
 * <p>Rows are generated in chunks of {@link #CHUNK_ROWS}, each from its own SplittableRandom
 * seeded by the chunk's index, so the chunks can run in parallel and still give the same data.
 * Within a row: d features, then the noise; y is computed in double and rounded once.
 */
public final class SyntheticData {
    /** The tutorial's true w. */
    public static final float[] TUTORIAL_W = {10f, 7f, 5f, 2f};
    /** The tutorial's true b. */
    public static final float TUTORIAL_B = 1.1f;
    /** The tutorial's n. */
    public static final int TUTORIAL_SAMPLES = 500;
    /** Standard deviation of the noise added to y. */
    public static final double NOISE_STD = 0.01;
    /** Rows per independently seeded chunk. */
    public static final int CHUNK_ROWS = 1 << 16;

    private SyntheticData() {}

    /**
     * The true w of {@code --features d}: the tutorial's for d = 4, else {@code (j mod 7) - 3},
     * as the PyTorch anchor (anchors/seed_torch.py) does.
     */
    public static float[] trueW(int d) {
        if (d == TUTORIAL_W.length) {
            return TUTORIAL_W.clone();
        }
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (j % 7) - 3;
        }
        return w;
    }

    /** n samples of {@code y = X·trueW + trueB + noise} from user seed {@code seed}. */
    public static Dataset generate(int n, float[] trueW, float trueB, long seed) {
        return generate(n, trueW, trueB, seed, HeapRows.segmentRows(trueW.length));
    }

    /**
     * As {@link #generate(int, float[], float, long)}, held in segments of {@code segmentRows}
     * rows (the same values: tests of segment edges).
     *
     * @throws IllegalArgumentException when the heap cannot hold them
     */
    public static Dataset generate(int n, float[] trueW, float trueB, long seed, int segmentRows) {
        int d = trueW.length;
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("cannot hold " + n + "×" + d + " samples on the host");
        }
        HeapRows x;
        HeapRows y;
        try {
            x = HeapRows.allocate(n, d, segmentRows, 0, "generating " + n + "×" + d + " samples");
            y = HeapRows.allocate(n, 1, segmentRows, x.heapBytes(), "generating " + n + " targets");
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        long dataSeed = Seeds.stream(seed, Seeds.DATA);
        int chunks = (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            SplittableRandom random = new SplittableRandom(Seeds.mix64(dataSeed + c * Seeds.GOLDEN));
            int end = Math.min(n, (c + 1) * CHUNK_ROWS);
            // Where row i is: its segment of x and of y, and its place in them (no division a row).
            int first = c * CHUNK_ROWS;
            int xs = first / x.segmentRows();
            int xi = first % x.segmentRows();
            int ys = first / y.segmentRows();
            int yi = first % y.segmentRows();
            for (int i = first; i < end; i++) {
                float[] segment = x.segment(xs);
                int base = xi * d;
                double target = trueB;
                for (int j = 0; j < d; j++) {
                    float v = (float) random.nextGaussian();
                    segment[base + j] = v;
                    target += (double) v * trueW[j];
                }
                y.segment(ys)[yi] = (float) (target + NOISE_STD * random.nextGaussian());
                if (++xi == x.segmentRows()) {
                    xs++;
                    xi = 0;
                }
                if (++yi == y.segmentRows()) {
                    ys++;
                    yi = 0;
                }
            }
        });
        return Dataset.synthetic(x, y, trueW, trueB);
    }
}
