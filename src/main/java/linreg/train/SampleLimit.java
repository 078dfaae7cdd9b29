package linreg.train;

/**
 * The most samples one run takes: 2^31 − 1, because positions in an epoch's order are 32-bit
 * (docs/algorithm.md §2) in every engine. Sizes enter as longs where data is drawn on the GPU, so
 * each such entry checks them here instead of letting them wrap to a negative int.
 */
public final class SampleLimit {
    public static final long MAX_SAMPLES = Integer.MAX_VALUE;

    private SampleLimit() {}

    /**
     * @throws TooManySamplesException when {@code n} is more than {@link #MAX_SAMPLES}
     */
    public static int check(long n) {
        if (n > MAX_SAMPLES) {
            throw new TooManySamplesException(n + " samples are more than a run takes (at most 2^31 - 1 = "
                    + MAX_SAMPLES + ": positions in an epoch's order are 32-bit)");
        }
        return (int) n;
    }

    /** A run of more samples than {@link #MAX_SAMPLES}: bad input, not a failure. */
    public static final class TooManySamplesException extends IllegalArgumentException {
        TooManySamplesException(String message) {
            super(message);
        }
    }
}
