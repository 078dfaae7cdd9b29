package linreg.train;

import linreg.spec.LearningRateSchedule;
import linreg.spec.Seeds;

/**
 * Epoch {@code k} of a run, started from given parameters, as a configuration of one epoch that
 * every engine trains unchanged. A caller that runs the epochs one at a time, with something in
 * between (the Spark module averages its partitions' parameters), gets from each the bits the
 * whole run would have computed for that epoch from the same parameters.
 *
 * <p>Engines take an epoch's order from {@code (permutationSeed, epoch)} and its step size from
 * {@code rate(epoch)} (docs/algorithm.md §2, §6). The configuration here is epoch 0 of a run whose
 * permutation keys at epoch 0 are the run's keys at epoch k, whose constant rate is the run's
 * rate of epoch k and whose start is the given w and b. Its seed is solved for: the keys of
 * epoch e come from {@code mix64(mix64(P) + e)}, P the permutation stream's seed, and mix64 is a
 * bijection, so some seed's P' has {@code mix64(P') = mix64(P) + k}. That seed drives nothing else
 * here: the start is explicit and validation is refused. For k = 0 it is the run's own seed.
 *
 * <p>Momentum's velocities start at zero in each such epoch, as they do at a run's start; the
 * engines keep them only within one call.
 */
public final class ResumedEpoch {
    /** The modular inverses of mix64's two multipliers. */
    private static final long INVERSE_1 = inverse(0xBF58476D1CE4E5B9L);
    private static final long INVERSE_2 = inverse(0x94D049BB133111EBL);

    private ResumedEpoch() {}

    /**
     * The configuration that trains epoch {@code epoch} of {@code run} from {@code w}, {@code b}.
     *
     * @throws IllegalArgumentException for a run with validation (its split depends on the seed)
     *     or an epoch outside the run
     */
    public static TrainConfig of(TrainConfig run, int epoch, float[] w, float b) {
        if (run.validation() > 0) {
            throw new IllegalArgumentException("an epoch of a run with validation cannot be trained on its own");
        }
        if (run.averages()) {
            // The running mean spans the epochs; one epoch on its own would start it afresh.
            throw new IllegalArgumentException("an epoch of a run with averaging cannot be trained on its own");
        }
        if (epoch < 0 || epoch >= run.epochs()) {
            throw new IllegalArgumentException("epoch " + epoch + " is not one of the run's " + run.epochs());
        }
        // The run's settings, with one epoch at the run's rate of epoch k, from (w, b), in k's order.
        return run.toBuilder().lr(run.rate(epoch)).schedule(LearningRateSchedule.CONSTANT).epochs(1)
                .seed(seedOfEpoch(run.seed(), epoch)).initW(w).initB(b).patience(null).tol(null).build();
    }

    /** The seed whose epoch 0 takes the order of epoch {@code epoch} under {@code seed}. */
    static long seedOfEpoch(long seed, int epoch) {
        long p = Seeds.stream(seed, Seeds.PERMUTATION);
        long shifted = unmix64(Seeds.mix64(p) + Integer.toUnsignedLong(epoch));
        // stream(s, PERMUTATION) = mix64(mix64(s) + PERMUTATION·GOLDEN), undone step by step.
        return unmix64(unmix64(shifted) - Seeds.PERMUTATION * Seeds.GOLDEN);
    }

    /** The inverse of {@link Seeds#mix64}: its steps undone in reverse order. */
    static long unmix64(long z) {
        z = unXorShift(z, 31) * INVERSE_2;
        z = unXorShift(z, 27) * INVERSE_1;
        return unXorShift(z, 30);
    }

    /** The z with {@code z ^ (z >>> shift) == y}: each pass fixes {@code shift} more top bits. */
    private static long unXorShift(long y, int shift) {
        long z = y;
        for (int fixed = shift; fixed < Long.SIZE; fixed += shift) {
            z = y ^ (z >>> shift);
        }
        return z;
    }

    /** The inverse of an odd number modulo 2^64, by Newton's iteration (each doubles the bits). */
    private static long inverse(long a) {
        long x = a;  // right in the low 3 bits, as for every odd a
        for (int i = 0; i < 5; i++) {
            x *= 2 - a * x;
        }
        return x;
    }
}
