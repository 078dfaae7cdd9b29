package linreg.train;

import java.util.SplittableRandom;
import linreg.data.Dataset;

/** Random test problems. */
public final class Problems {
    private Problems() {}

    /**
     * y = X·w* + b* + c·ε with ε = ±1 at random, X ~ N(0, 1): once w is near w*, every residual is
     * near ±c and far from 0, so float32 and float64 runs take the same signs and their
     * trajectories stay within rounding of each other (a residual near 0 could flip its sign and
     * part them for good; see docs/algorithm.md).
     */
    public static Dataset marginProblem(SplittableRandom random, int n, int d, float[] trueW, float trueB, float c) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = trueB;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) random.nextGaussian();
                t += (double) x[i * d + j] * trueW[j];
            }
            y[i] = (float) (t + (random.nextBoolean() ? c : -c));
        }
        return Dataset.synthetic(x, y, d, trueW, trueB);
    }

    public static float[] gaussianVector(SplittableRandom random, int d, double scale) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            v[j] = (float) (scale * random.nextGaussian());
        }
        return v;
    }
}
