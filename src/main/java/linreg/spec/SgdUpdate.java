package linreg.spec;

import linreg.cpu.MaeGradient;

/**
 * The in-place step of one batch: the CPU reference of kernels/sgd_update.cu.
 *
 * <p>{@code g = G / m} (one correctly rounded float division each); then, when enabled,
 * the L2 penalty {@code g_j = fma(α₂, w_j, g_j)} on w, clipping to a total norm of C (PyTorch's
 * {@code clip_grad_norm_}) and momentum, plain or Nesterov (PyTorch's SGD); then
 * {@code p = fma(-lr, u, p)}; then, when enabled, the L1 soft-threshold of w. Without an
 * intercept b keeps its value (0) and stays out of the norm. The gradient is a fresh sum every
 * batch, which is the tutorial's {@code p.grad.zero_()}. Exact order: docs/algorithm.md §4, §6.
 * Holds the velocities, so one per run; what to step by is the {@link Optimiser}.
 */
public final class SgdUpdate {
    private final Optimiser optimiser;
    private final float[] velocity;
    private final float[] gradient;

    /** A fresh update (velocities at 0) by {@code optimiser} for d features; the step size comes with each batch. */
    public SgdUpdate(Optimiser optimiser, int d) {
        this.optimiser = optimiser;
        this.velocity = new float[d + 1];
        this.gradient = new float[d + 1];
    }

    /** The tutorial's update: no momentum, no clipping. */
    public static SgdUpdate plain(int d) {
        return new SgdUpdate(Optimiser.TUTORIAL, d);
    }

    /**
     * Updates {@code params} (w_0..w_{d-1}, b) from a batch's sums (the CPU engine's MaeGradient).
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
        if (optimiser.plain()) {
            for (int j = 0; j < d; j++) {
                params[j] = Math.fma(step, sums[2 + j] / count, params[j]);
            }
            params[d] = Math.fma(step, sums[1] / count, params[d]);
            return;
        }
        float momentum = optimiser.momentum();
        float clipNorm = optimiser.clip();
        boolean intercept = optimiser.intercept();
        float l2 = optimiser.l2Alpha();
        float l1 = optimiser.l1Alpha();
        float[] g = gradient;
        for (int j = 0; j < d; j++) {
            g[j] = penalised(sums[2 + j] / count, params[j], l2);
        }
        // Without an intercept b's gradient is 0: fma(0, 0, s) = s keeps it out of the norm exactly.
        g[d] = intercept ? sums[1] / count : 0f;
        if (clipNorm > 0f) {
            clip(g, clipNorm);
        }
        int stepped = intercept ? d + 1 : d;
        for (int j = 0; j < stepped; j++) {
            float u = g[j];
            if (momentum != 0f) {
                velocity[j] = Math.fma(momentum, velocity[j], g[j]);
                u = optimiser.nesterov() ? Math.fma(momentum, velocity[j], g[j]) : velocity[j];
            }
            params[j] = Math.fma(step, u, params[j]);
        }
        if (l1 != 0f) {
            float threshold = lr * l1;
            for (int j = 0; j < d; j++) {
                params[j] = softThreshold(params[j], threshold);
            }
        }
    }

    /** w's gradient with the L2 penalty: {@code fma(α₂, w, g)}, or g itself when α₂ is 0. */
    public static float penalised(float g, float w, float l2) {
        return l2 != 0f ? Math.fma(l2, w, g) : g;
    }

    /**
     * The L1 proximal step: w moved {@code t} towards 0, and +0 where it would cross it
     * ({@code a = |w| - t} rounded once; {@code a > 0 ? copysign(a, w) : +0}; NaN stays NaN).
     */
    public static float softThreshold(float w, float t) {
        float a = Math.abs(w) - t;
        if (a > 0f) {
            return Math.copySign(a, w);
        }
        return a <= 0f ? 0f : a;
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
