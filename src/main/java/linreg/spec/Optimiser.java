package linreg.spec;

import linreg.train.ConfigException;

/**
 * The update of a run: SGD at step size {@code lr} on the schedule's epochs, with momentum (plain
 * or Nesterov), clipping, penalties on w, the intercept, and Polyak–Ruppert averaging
 * (docs/algorithm.md §4, §6). {@link SgdUpdate} steps by it; the GPU kernels take the same values.
 * A setting that is off is null, as the configuration's JSON spells it; each setting is named
 * there as its flag is ({@code clip_norm} is {@code --clip-norm}).
 *
 * @param lr the base step size
 * @param schedule the step size per epoch
 * @param momentum μ (0: none)
 * @param nesterov whether the momentum is Nesterov's
 * @param clipNorm the total norm C the gradient is clipped to (null: off)
 * @param intercept whether b is fitted; without an intercept b is never stepped
 * @param l2 the L2 penalty's α on w (null: none; 0 reads as none)
 * @param l1 the L1 penalty's α on w (null: none; 0 reads as none)
 * @param average the epoch from which the parameters are averaged (null: off)
 * @throws ConfigException naming the first bad setting
 */
public record Optimiser(float lr, LearningRateSchedule schedule, float momentum, boolean nesterov, Float clipNorm,
        boolean intercept, Float l2, Float l1, Integer average) {
    /** The tutorial's update: lr 0.05, a constant step, nothing else. */
    public static final Optimiser TUTORIAL = new Optimiser(0.05f, LearningRateSchedule.CONSTANT, 0f, false, null, true,
            null, null, null);

    public Optimiser {
        ConfigException.require(lr > 0f && !Float.isInfinite(lr), "lr", "must be a finite number > 0", lr);
        ConfigException.require(schedule != null, "lr_schedule", "must be given", null);
        ConfigException.require(momentum >= 0f && momentum < 1f, "momentum", "must be in [0, 1)", momentum);
        ConfigException.require(!nesterov || momentum > 0f, "nesterov", "needs {momentum} > 0", null);
        ConfigException.require(clipNorm == null || clipNorm > 0f && !clipNorm.isInfinite(), "clip_norm",
                "must be a finite number > 0", clipNorm);
        ConfigException.require(l2 == null || l2 >= 0f && Float.isFinite(l2), "l2", "must be a finite number >= 0", l2);
        ConfigException.require(l1 == null || l1 >= 0f && Float.isFinite(l1), "l1", "must be a finite number >= 0", l1);
        ConfigException.require(average == null || average >= 0, "average", "must start at an epoch >= 0", average);
        // A penalty of 0 is no penalty: one spelling of off.
        l2 = l2 == null || l2 == 0f ? null : l2;
        l1 = l1 == null || l1 == 0f ? null : l1;
    }

    /** The step size of epoch {@code epoch}, counted from 0 as the schedule counts them. */
    public float rate(int epoch) {
        return schedule.rate(lr, epoch);
    }

    /** C as the update and the kernels take it: 0 for no clipping. */
    public float clip() {
        return clipNorm == null ? 0f : clipNorm;
    }

    /** α₂ as the update and the kernels take it: 0 for none. */
    public float l2Alpha() {
        return l2 == null ? 0f : l2;
    }

    /** α₁ as the update and the kernels take it: 0 for none. */
    public float l1Alpha() {
        return l1 == null ? 0f : l1;
    }

    /** Whether the result is the running mean of the parameters ({@code --average}). */
    public boolean averages() {
        return average != null;
    }

    /** The epoch from which the parameters are averaged, or -1: no averaging. */
    public int averageStart() {
        return average == null ? -1 : average;
    }

    /** Whether the steps of the run's epoch {@code epoch} are averaged: from the averaging start on. */
    public boolean averagesIn(int epoch) {
        return average != null && epoch >= average;
    }

    /** Whether a step is the tutorial's {@code p = fma(-lr, g, p)} alone: no momentum, clipping or penalty, b fitted. */
    public boolean plain() {
        return momentum == 0f && clipNorm == null && intercept && l2 == null && l1 == null;
    }
}
