package linreg.spec;

/**
 * Polyak–Ruppert averaging: the running mean of the parameters after each step, from the first
 * step of epoch {@code start} on (docs/algorithm.md §6). In float32, after the k-th averaged step
 * (k = 1, 2, ...; k as float32, exact below 2^24), for every parameter p in order w_0..w_{d-1}, b:
 * {@code a = a + (p − a) / k} (three roundings, no fma), from {@code a = +0}, so that the first
 * step gives {@code a = p} exactly. The CUDA twin is kernels/average.cuh. Holds the mean, so one
 * per run.
 */
public final class ParameterAverage {
    private final int start;
    private final float[] mean;
    private long steps;

    /** The average of d + 1 parameters from epoch {@code start} (0-based) on. */
    public ParameterAverage(int d, int start) {
        if (start < 0) {
            throw new IllegalArgumentException("averaging starts at an epoch >= 0, got " + start);
        }
        this.start = start;
        this.mean = new float[d + 1];
    }

    /** One averaging step: {@code a = a + (p − a) / k} for the k-th step. */
    public static float step(float a, float p, float k) {
        return a + (p - a) / k;
    }

    /** Whether epoch e's steps are averaged. */
    public boolean covers(int epoch) {
        return epoch >= start;
    }

    /** The epoch averaging starts at. */
    public int start() {
        return start;
    }

    /**
     * Continues a running mean of {@code steps} steps (w then b), as a run carried on from another
     * continues its average: the next step is the {@code steps + 1}-th.
     */
    public void resume(float[] mean, long steps) {
        if (mean.length != this.mean.length || steps < 1) {
            throw new IllegalArgumentException("a running mean of " + this.mean.length + " parameters and at least one"
                    + " step, got " + mean.length + " and " + steps);
        }
        System.arraycopy(mean, 0, this.mean, 0, mean.length);
        this.steps = steps;
    }

    /** Adds the parameters after one step (of an epoch it {@link #covers}). */
    public void add(float[] params) {
        steps++;
        float k = steps;
        for (int j = 0; j < mean.length; j++) {
            mean[j] = step(mean[j], params[j], k);
        }
    }

    /** Steps averaged so far. */
    public long steps() {
        return steps;
    }

    /** The mean (w then b), or {@code params} themselves while no step has been averaged. */
    public float[] current(float[] params) {
        return steps == 0 ? params : mean;
    }
}
