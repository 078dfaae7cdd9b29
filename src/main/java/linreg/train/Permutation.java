package linreg.train;

/**
 * The stateless, seeded shuffle of one epoch: a bijection of {@code 0..n-1} computable for each
 * position on its own, with no sort and no table, so the GPU computes exactly the same order.
 *
 * <p>It is a 4-round Feistel network over the smallest power of two {@code 2^k >= n} (k >= 2),
 * split into a high half of {@code k - k/2} bits and a low half of {@code k/2} bits, walked in
 * cycles until the value falls below n. The exact definition and test vectors are in
 * docs/algorithm.md; kernels/shuffle.cu is the GPU twin.
 */
public final class Permutation {
    /** Feistel rounds; 4 is the Luby-Rackoff bound for a strong pseudo-random permutation. */
    public static final int ROUNDS = 4;

    private final int n;
    private final int lowBits;
    private final int lowMask;
    private final int highMask;
    private final int[] keys;

    private Permutation(int n, int[] keys) {
        this.n = n;
        int bits = Math.max(2, 32 - Integer.numberOfLeadingZeros(n - 1));
        this.lowBits = bits / 2;
        this.lowMask = (1 << lowBits) - 1;
        this.highMask = (1 << (bits - lowBits)) - 1;
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

    /** The four 32-bit round keys of an epoch: the high words of SplitMix64 outputs. */
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
        hi ^= round(lo, keys[0]) & highMask;
        lo ^= round(hi, keys[1]) & lowMask;
        hi ^= round(lo, keys[2]) & highMask;
        lo ^= round(hi, keys[3]) & lowMask;
        return (hi << lowBits) | lo;
    }

    /** The round function: a multiply-xorshift hash of the half and the key. */
    static int round(int half, int key) {
        int h = (half ^ key) * 0x9E3779B1;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }
}
