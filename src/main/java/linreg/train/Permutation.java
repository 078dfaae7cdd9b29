package linreg.train;

/**
 * The stateless, seeded shuffle of one epoch: a bijection of {@code 0..n-1} computable for each
 * position on its own, with no sort and no table, so the GPU computes exactly the same order.
 *
 * <p>It is an 8-round Feistel network over the smallest power of two {@code 2^k >= n} (k >= 2),
 * split into a high half of {@code k - k/2} bits and a low half of {@code k/2} bits, walked in
 * cycles until the value falls below n. The exact definition and test vectors are in
 * docs/algorithm.md; kernels/shuffle.cu is the GPU twin.
 */
public final class Permutation {
    /**
     * Feistel rounds. Four (the Luby-Rackoff bound) left neighbours together 10-30% more often
     * than chance on halves of a few bits; eight pass the mixing tests (PermutationTest).
     */
    public static final int ROUNDS = 8;

    private final int n;
    private final int lowBits;
    private final int lowMask;
    private final int lowShift;
    private final int highShift;
    private final int[] keys;

    private Permutation(int n, int[] keys) {
        this.n = n;
        int bits = Math.max(2, 32 - Integer.numberOfLeadingZeros(n - 1));
        this.lowBits = bits / 2;
        this.lowMask = (1 << lowBits) - 1;
        this.lowShift = 32 - lowBits;
        this.highShift = 32 - (bits - lowBits);
        this.keys = keys;
    }

    /**
     * The order of epoch {@code epoch} for a run whose permutation stream seed is {@code
     * permutationSeed} (see {@link Seeds#stream(long, long)} with {@link Seeds#PERMUTATION}).
     */
    public static Permutation of(long permutationSeed, int epoch, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        return new Permutation(n, roundKeys(permutationSeed, epoch));
    }

    /** The 32-bit round keys of an epoch: the high words of SplitMix64 outputs. */
    public static int[] roundKeys(long permutationSeed, int epoch) {
        long base = Seeds.mix64(Seeds.mix64(permutationSeed) + Integer.toUnsignedLong(epoch));
        int[] keys = new int[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            keys[r] = (int) (Seeds.mix64(base + (r + 1) * Seeds.GOLDEN) >>> 32);
        }
        return keys;
    }

    /** Number of positions. */
    public int size() {
        return n;
    }

    /** The sample index at position {@code i} of this epoch's order. */
    public int apply(int i) {
        int v = i;
        do {
            v = feistel(v);
        } while (v >= n);
        return v;
    }

    /** Writes {@code apply(p)} into {@code out[p]} for positions {@code from..to-1}. */
    public void fill(int[] out, int from, int to) {
        for (int p = from; p < to; p++) {
            out[p] = apply(p);
        }
    }

    private int feistel(int v) {
        int hi = v >>> lowBits;
        int lo = v & lowMask;
        for (int r = 0; r < ROUNDS; r += 2) {
            hi ^= round(lo, keys[r]) >>> highShift;
            lo ^= round(hi, keys[r + 1]) >>> lowShift;
        }
        return (hi << lowBits) | lo;
    }

    /** The round function: a two-multiply hash of the half and the key; callers keep its top bits. */
    static int round(int half, int key) {
        return (((half ^ key) * 0x9E3779B1) ^ key) * 0x85EBCA6B;
    }
}
