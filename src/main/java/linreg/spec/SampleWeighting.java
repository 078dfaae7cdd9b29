package linreg.spec;

/**
 * The weighted items of a batch's sums (docs/algorithm.md §4, "Sample weights"): a row of weight
 * v adds {@code fl(v·ℓ)} to S, {@code u = fl(v·s)} to G_b, {@code fl(u·x_j)} to G_j and v itself
 * to the batch's total weight V, which the step divides by instead of m. With v = 1 every product
 * is exact and V = m (an integer sum, exact below 2^24), so an all-ones run computes the bits of
 * an unweighted one. The rule's CUDA twins are kernels/objective.cuh's linreg_weighted and
 * linreg_weight_steps, and canonical.cuh's linreg_quantities.
 */
public final class SampleWeighting {
    private SampleWeighting() {}

    /** The loss item of a row of weight v and loss ℓ: one rounding. */
    public static float loss(float v, float loss) {
        return v * loss;
    }

    /** The slope item of a row of weight v and slope s: one rounding; G_j's item is then {@code fl(u·x_j)}. */
    public static float slope(float v, float slope) {
        return v * slope;
    }

    /**
     * Floats of a batch's sums: S, G_b, G_0..G_{d-1}, and V last when the rows are weighted
     * (MaeGradient's out array, the GPU kernels' sums).
     */
    public static int quantities(int d, boolean weighted) {
        return d + 2 + (weighted ? 1 : 0);
    }

    /**
     * Whether a batch of total weight V makes a step: only when V > 0. A batch whose rows all
     * weigh 0 changes nothing (no step, momentum untouched) and its loss counts as 0.
     */
    public static boolean steps(float totalWeight) {
        return totalWeight > 0f;
    }
}
