package linreg.spec;

import java.util.SplittableRandom;
import linreg.spec.Seeds;

/** The tutorial's start: {@code w0 ~ N(0, 0.01)} (standard deviation 0.01), {@code b0 = 0.01}. */
public final class InitialParameters {
    /** The tutorial's b0. */
    public static final float DEFAULT_B = 0.01f;
    /** Standard deviation of w0. */
    public static final double W_STD = 0.01;

    private InitialParameters() {}

    /** w0 of a run with user seed {@code seed} and d features; every engine starts from it. */
    public static float[] randomW(long seed, int d) {
        SplittableRandom random = new SplittableRandom(Seeds.stream(seed, Seeds.INIT));
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) (W_STD * random.nextGaussian());
        }
        return w;
    }
}
