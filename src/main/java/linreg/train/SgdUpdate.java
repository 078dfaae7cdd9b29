package linreg.train;

/**
 * The in-place SGD step of one batch: the CPU reference of kernels/sgd_update.cu.
 *
 * <p>{@code g = G / m} (one correctly rounded float division), then {@code p = fma(-lr, g, p)}
 * for every weight and the bias. The gradient is a fresh sum every batch, which is the
 * tutorial's {@code p.grad.zero_()}.
 */
public final class SgdUpdate {
    private SgdUpdate() {}

    /**
     * Updates {@code params} (w_0..w_{d-1}, b) from the sums of {@link MaeGradient}.
     *
     * @param sums {@code S, G_b, G_0..G_{d-1}}
     * @param m rows in the batch
     */
    public static void apply(float[] params, float[] sums, int m, float lr) {
        int d = params.length - 1;
        float count = m;
        float step = -lr;
        for (int j = 0; j < d; j++) {
            params[j] = Math.fma(step, sums[2 + j] / count, params[j]);
        }
        params[d] = Math.fma(step, sums[1] / count, params[d]);
    }
}
