package linreg.spec;

import linreg.cpu.MaeGradient;

/**
 * The in-place step of one batch: the CPU reference of kernels/sgd_update.cu.
 *
 * <p>{@code g = G / m} (one correctly rounded float division each); then, when enabled,
 * clipping to a total norm of C (PyTorch's {@code clip_grad_norm_}) and momentum, plain or
 * Nesterov (PyTorch's SGD); then {@code p = fma(-lr, u, p)}. The gradient is a fresh sum every
 * batch, which is the tutorial's {@code p.grad.zero_()}. Exact order: docs/algorithm.md §4, §6.
 * Holds the velocities, so one per run.
 */
public final class SgdUpdate {
    private final float momentum;
    private final boolean nesterov;
    private final float clipNorm;
    private final float[] velocity;
    private final float[] gradient;

    /**
     * @param momentum μ, 0 for none
     * @param clipNorm C, 0 for no clipping
     */
    public SgdUpdate(int d, float momentum, boolean nesterov, float clipNorm) {
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.clipNorm = clipNorm;
        this.velocity = new float[d + 1];
        this.gradient = new float[d + 1];
    }

    /** The tutorial's update: no momentum, no clipping. */
    public static SgdUpdate plain(int d) {
        return new SgdUpdate(d, 0f, false, 0f);
    }

    /**
     * Updates {@code params} (w_0..w_{d-1}, b) from the sums of {@link MaeGradient}.
     *
     * @param sums {@code S, G_b, G_0..G_{d-1}}
     * @param m rows in the batch
     * @param lr this epoch's step size
     */
    public void apply(float[] params, float[] sums, int m, float lr) {
        apply(params, sums, (float) m, lr);
    }

    /**
     * {@link #apply(float[], float[], int, float)} dividing by {@code count}: m as float32, or a
     * weighted batch's total weight V (docs/algorithm.md §4, "Sample weights").
     */
    public void apply(float[] params, float[] sums, float count, float lr) {
        int d = params.length - 1;
        float step = -lr;
        if (momentum == 0f && clipNorm == 0f) {
            for (int j = 0; j < d; j++) {
                params[j] = Math.fma(step, sums[2 + j] / count, params[j]);
            }
            params[d] = Math.fma(step, sums[1] / count, params[d]);
            return;
        }
        float[] g = gradient;
        for (int j = 0; j < d; j++) {
            g[j] = sums[2 + j] / count;
        }
        g[d] = sums[1] / count;
        if (clipNorm > 0f) {
            clip(g, clipNorm);
        }
        for (int j = 0; j <= d; j++) {
            float u = g[j];
            if (momentum != 0f) {
                velocity[j] = Math.fma(momentum, velocity[j], g[j]);
                u = nesterov ? Math.fma(momentum, velocity[j], g[j]) : velocity[j];
            }
            params[j] = Math.fma(step, u, params[j]);
        }
    }

    /** Scales g to a total norm of at most {@code c}: an fma chain of squares, w then b. */
    public static void clip(float[] g, float c) {
        float s = 0f;
        for (float v : g) {
            s = Math.fma(v, v, s);
        }
        float norm = (float) Math.sqrt(s);
        if (norm > c) {
            float factor = c / (norm + 1e-6f);
            for (int j = 0; j < g.length; j++) {
                g[j] *= factor;
            }
        }
    }
}
