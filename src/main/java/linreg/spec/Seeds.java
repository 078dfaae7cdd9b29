package linreg.spec;

/**
 * Derives independent 64-bit seeds for each random stream of a run from the one user seed.
 *
 * <p>Every engine (CPU, GPU) and the C yardstick derive their streams the same way, so one
 * {@code --seed} fixes the data, the start and every epoch's order. Definitions: docs/algorithm.md.
 */
public final class Seeds {
    /** 2^64 / golden ratio, the SplitMix64 increment. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Stream of the synthetic features and noise generated on the CPU. */
    public static final long DATA = 1;
    /** Stream of the initial weights w0. */
    public static final long INIT = 2;
    /** Stream of the per-epoch permutation. */
    public static final long PERMUTATION = 3;
    /** Stream of the synthetic data generated on the GPU (cuRAND Philox seed). */
    public static final long GPU_DATA = 4;
    /** Stream of the validation hold-out split. */
    public static final long VALIDATION = 5;

    private Seeds() {}

    /** SplitMix64's output function (Steele, Lea and Flood 2014): a bijective 64-bit mixer. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of stream {@code stream} of user seed {@code seed}. */
    public static long stream(long seed, long stream) {
        return mix64(mix64(seed) + stream * GOLDEN);
    }
}
