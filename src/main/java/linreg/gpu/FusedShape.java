package linreg.gpu;

/**
 * Which kernel of kernels/fused.cu runs an epoch of a given shape, and the sizes its launch
 * needs. The thresholds are first guesses to be settled by timing on a GPU: a warp steps faster
 * than a block while a batch fits in its 32 lanes, and a cooperative grid beats one block once a
 * batch has enough 1024-row segments to pay for a grid barrier per step.
 */
enum FusedShape {
    /** One warp, batch <= 32, d <= 4: parameters in registers, butterfly sums, no barriers. */
    warp4("fused_epoch_warp4"),
    /** The same for 4 < d <= 16. */
    warp16("fused_epoch_warp16"),
    /** One block of 256 threads: any batch, any d. */
    block("fused_epoch_block"),
    /** A cooperative grid of 256-thread blocks, one grid barrier per step. */
    grid("fused_epoch_grid");

    /** Largest batch of the warp kernels (a row per lane). */
    static final int WARP_MAX_BATCH = 32;
    /** Smallest batch given to the cooperative grid. */
    static final int GRID_MIN_BATCH = 8192;
    /** Threads of a block of the block and grid kernels: one per lane of the canonical sum. */
    static final int THREADS = 256;
    /** FUSED_SHARED_FLOATS of kernels/fused.cu: with more quantities, a block keeps its state in scratch memory. */
    static final int SHARED_FLOATS = 1028;

    /** The kernel's name in the PTX. */
    final String kernel;

    FusedShape(String kernel) {
        this.kernel = kernel;
    }

    /** The kernel's declaration. */
    KernelSignature signature() {
        return KernelSignature.valueOf(kernel);
    }

    /** The shape for batches of {@code batch} rows (already at most n) and d features. */
    static FusedShape choose(int batch, int d, boolean cooperative) {
        if (batch <= WARP_MAX_BATCH && d <= 4) {
            return warp4;
        }
        if (batch <= WARP_MAX_BATCH && d <= 16) {
            return warp16;
        }
        return batch >= GRID_MIN_BATCH && cooperative ? grid : block;
    }

    /** Threads per block. */
    int threads() {
        return this == warp4 || this == warp16 ? 32 : THREADS;
    }

    /**
     * Floats of scratch memory for {@code blocks} blocks' state (0: it fits in shared memory), for
     * sums of {@code quantities} floats ({@link linreg.spec.SampleWeighting#quantities}).
     */
    static long scratchFloats(int quantities, int blocks) {
        if (quantities <= SHARED_FLOATS) {
            return 0;
        }
        long stride = (quantities + 31L) & ~31L;
        return 3 * stride * blocks;
    }

    /** Floats of the grid kernel's double-buffered segment totals, sums of {@code quantities} floats. */
    static long segmentTotalFloats(int batch, int quantities) {
        return 2L * ((batch + 1023L) / 1024) * quantities;
    }

    /** Batches (steps) of an epoch of n rows. */
    static long steps(long n, int batch) {
        return (n + batch - 1) / batch;
    }

    /** Segments of 1024 rows in an epoch: what the grid kernel's blocks share out. */
    static long segments(long n, int batch) {
        long perBatch = (batch + 1023L) / 1024;
        long last = n - (steps(n, batch) - 1) * batch;
        return (steps(n, batch) - 1) * perBatch + (last + 1023) / 1024;
    }
}
