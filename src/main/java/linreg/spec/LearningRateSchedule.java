package linreg.spec;

import java.util.Locale;

/**
 * The step size of each epoch (docs/algorithm.md §6): computed in float64 from the base rate and
 * rounded once to float32, so that every engine takes the same value.
 *
 * @param kind constant, invsqrt or step
 * @param decayEpochs T of invsqrt: {@code lr / sqrt(1 + e/T)}
 * @param stepEvery K of step: {@code lr · G^floor(e/K)}
 * @param gamma G of step
 */
public record LearningRateSchedule(Kind kind, double decayEpochs, int stepEvery, double gamma) {
    /** The schedules. */
    public enum Kind { constant, invsqrt, step }

    /** The tutorial's constant step. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.constant, 1, 10, 0.5);

    /** @throws IllegalArgumentException naming the bad parameter */
    public LearningRateSchedule {
        if (!(decayEpochs > 0) || Double.isInfinite(decayEpochs)) {
            throw new IllegalArgumentException("the decay must be a finite number of epochs > 0, got " + decayEpochs);
        }
        if (stepEvery < 1) {
            throw new IllegalArgumentException("the step interval must be at least 1 epoch, got " + stepEvery);
        }
        if (!(gamma > 0) || gamma > 1) {
            throw new IllegalArgumentException("the step factor must be in (0, 1], got " + gamma);
        }
    }

    /** The rate of epoch {@code epoch} (0-based) for base rate {@code lr}. */
    public float rate(float lr, int epoch) {
        return switch (kind) {
            case constant -> lr;
            case invsqrt -> (float) (lr / Math.sqrt(1 + epoch / decayEpochs));
            case step -> (float) (lr * Math.pow(gamma, Math.floorDiv(epoch, stepEvery)));
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case constant -> "constant";
            case invsqrt -> String.format(Locale.ROOT, "invsqrt (decay %s epochs)", decayEpochs);
            case step -> String.format(Locale.ROOT, "step (×%s every %d epochs)", gamma, stepEvery);
        };
    }
}
