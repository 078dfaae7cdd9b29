package linreg.spec;

/**
 * The stateless, seeded shuffle of one epoch: a bijection of {@code 0..n-1} computable for each
 * position on its own, with no sort and no table, so the GPU computes exactly the same order.
 *
 * <p>It is an 8-round Feistel network over the smallest power of two {@code 2^k >= n} (k >= 2),
 * split into a high half of {@code k - k/2} bits and a low half of {@code k/2} bits, walked in
 * cycles until the value falls below n. The exact definition and test vectors are in
 * docs/algorithm.md; kernels/shuffle.cu is the GPU twin.
 *
 * <p>{@link #apply} is the definition, one position at a time; {@link #fill} computes the same
 * values for a range of positions in blocks: every round for the whole block in straight-line
 * integer loops (which the JIT turns into SIMD code), then again only for the values that left
 * the domain. Walking position by position costs a branch the CPU cannot predict (at n = 10^7
 * four positions in ten leave 0..n-1 at least once) and 31 ns a position; the blocks 3 ns.
 */
public final class Permutation {
    /**
     * Feistel rounds. Four (the Luby-Rackoff bound) left neighbours together 10-30% more often
     * than chance on halves of a few bits; eight pass the mixing tests (PermutationTest).
     */
    public static final int ROUNDS = 8;
    /** Positions per block of {@link #fill}: its scratch stays in the L1 cache. */
    private static final int BLOCK = 2048;
    /** {@link #fill}'s scratch, one per thread: fill allocates nothing. */
    private static final ThreadLocal<Block> SCRATCH = ThreadLocal.withInitial(Block::new);

    /** A block's values, the output slots of those still walking, and the Feistel halves. */
    private static final class Block {
        final int[] values = new int[BLOCK];
        final int[] slots = new int[BLOCK];
        final int[] hi = new int[BLOCK];
        final int[] lo = new int[BLOCK];
    }

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
        fill(out, from, from, to);
    }

    /** Writes {@code apply(p)} into {@code out[at + p - from]} for positions {@code from..to-1}. */
    public void fill(int[] out, int at, int from, int to) {
        if (to <= from) {
            return;
        }
        Block block = SCRATCH.get();
        int[] values = block.values;
        int[] slots = block.slots;
        for (int start = from; start < to; start += BLOCK) {
            int count = Math.min(BLOCK, to - start);
            int base = at + start - from;
            for (int t = 0; t < count; t++) {
                values[t] = start + t;
            }
            feistel(values, count, block);
            System.arraycopy(values, 0, out, base, count);
            // Then only the values outside 0..n-1, packed at the front by a branch-free count (it
            // grows by the sign bit of n - 1 - v), until none is left.
            int left = 0;
            for (int t = 0; t < count; t++) {
                slots[left] = base + t;
                left += (n - 1 - values[t]) >>> 31;
            }
            while (left > 0) {
                for (int k = 0; k < left; k++) {
                    values[k] = out[slots[k]];
                }
                feistel(values, left, block);
                int kept = 0;
                for (int k = 0; k < left; k++) {
                    int v = values[k];
                    int slot = slots[k];
                    out[slot] = v;
                    slots[kept] = slot;
                    kept += (n - 1 - v) >>> 31;
                }
                left = kept;
            }
        }
    }

    /** {@link #feistel(int)} of {@code v[0..count)} in place, a round at a time over the block. */
    private void feistel(int[] v, int count, Block block) {
        int[] hi = block.hi;
        int[] lo = block.lo;
        int lb = lowBits;
        int mask = lowMask;
        int hs = highShift;
        int ls = lowShift;
        for (int t = 0; t < count; t++) {
            hi[t] = v[t] >>> lb;
            lo[t] = v[t] & mask;
        }
        for (int r = 0; r < ROUNDS; r += 2) {
            int kh = keys[r];
            int kl = keys[r + 1];
            for (int t = 0; t < count; t++) {
                int h = hi[t] ^ (round(lo[t], kh) >>> hs);
                hi[t] = h;
                lo[t] ^= round(h, kl) >>> ls;
            }
        }
        for (int t = 0; t < count; t++) {
            v[t] = (hi[t] << lb) | lo[t];
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
