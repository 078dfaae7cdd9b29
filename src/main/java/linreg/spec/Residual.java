package linreg.spec;

/**
 * The canonical residual of a row (docs/algorithm.md §4): the prediction's dot product as an fma
 * chain, then {@code + b}, then {@code - y}; and the margin within which a prediction summed in
 * another order (cuBLAS gemv) could disagree on the residual's sign.
 */
public final class Residual {
    private Residual() {}

    /**
     * The canonical residual of row {@code row}: {@link #dot}, then {@code + b}, then {@code - y_i}.
     *
     * @param params w_0..w_{d-1} followed by b
     */
    public static float residual(float[] x, float[] y, int d, int row, float[] params) {
        return (dot(x, d, row, params) + params[d]) - y[row];
    }

    /**
     * The canonical dot product of row {@code row} with {@code w} (its first d values):
     * {@code x_i0·w_0}, then an fma chain over the other features in order.
     */
    public static float dot(float[] x, int d, int row, float[] w) {
        int base = row * d;
        float acc = x[base] * w[0];
        int j = 1;
        // Unrolled by four; the chain's order is unchanged.
        for (; j + 3 < d; j += 4) {
            acc = Math.fma(x[base + j], w[j], acc);
            acc = Math.fma(x[base + j + 1], w[j + 1], acc);
            acc = Math.fma(x[base + j + 2], w[j + 2], acc);
            acc = Math.fma(x[base + j + 3], w[j + 3], acc);
        }
        for (; j < d; j++) {
            acc = Math.fma(x[base + j], w[j], acc);
        }
        return acc;
    }

    /**
     * The residual from a prediction {@code p} computed elsewhere in another order (cuBLAS gemv),
     * with the canonical sign guaranteed: {@code r = (p + b) - y}, unless {@code |r|} is within
     * {@link #signMargin} of zero, where the two orders could disagree on the sign; there the
     * canonical residual is computed instead. So the gradient, a sum of signs, is the canonical
     * one whatever order computed {@code p}; only |r| (the reported loss) may differ, by rounding.
     * The CPU reference of what kernels/mae_gradient.cu does with cuBLAS's predictions.
     */
    public static float checkedResidual(float p, float[] x, float[] y, int d, int row, float[] params) {
        float r = (p + params[d]) - y[row];
        return Math.abs(r) > signMargin(p, x, y, d, row, params) ? r : residual(x, y, d, row, params);
    }

    /**
     * {@code (4d + 16)·2^-24·(Σ_j |x_j·w_j| + |p| + |b| + |y|) + 1e-30}: more than twice the
     * largest difference between two float32 dot products of the row summed in any orders
     * (2γ_d·Σ|x_j w_j|, γ_d ≈ d·2^-24) plus the roundings of {@code + b} and {@code - y}; a
     * residual beyond it has the same sign in every order (docs/algorithm.md §4).
     */
    public static float signMargin(float p, float[] x, float[] y, int d, int row, float[] params) {
        int base = row * d;
        float scale = Math.abs(p) + Math.abs(params[d]) + Math.abs(y[row]);
        for (int j = 0; j < d; j++) {
            scale += Math.abs(x[base + j] * params[j]);
        }
        return (4 * d + 16) * 0x1p-24f * scale + 1e-30f;
    }
}
