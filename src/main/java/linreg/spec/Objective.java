package linreg.spec;

import java.util.Locale;

/**
 * The loss a run minimises, as a value: {@code mae} or {@code quantile(tau)} (the pinball loss).
 * Both are sign-type losses: a residual {@code r = prediction - y} costs {@code weight(r)·|r|}
 * and its slope is {@code sign(r)·weight(r)}, with one weight above the fit ({@link #above()})
 * and one below ({@link #below()}). The quantile loss is scaled by 2 (slope {@code 2(1 - τ)}
 * above, {@code -2τ} below), so τ = 0.5 has both weights exactly 1 and computes the MAE's bits.
 * The rule's CUDA twin is kernels/objective.cuh; docs/algorithm.md §4 is the contract.
 */
public final class Objective {
    /** The tutorial's loss, mean |r|. */
    public static final Objective MAE = new Objective(Kind.mae, 0.5);

    /** The losses by name, as {@code --loss} spells them. */
    public enum Kind {
        mae,
        quantile
    }

    private final Kind kind;
    private final double tau;
    private final float above;
    private final float below;
    private final int aboveBits;
    private final int belowBits;

    private Objective(Kind kind, double tau) {
        this.kind = kind;
        this.tau = tau;
        // Each weight computed in float64 and rounded once; at τ = 0.5 both are exactly 1.
        this.above = (float) (2 * (1 - tau));
        this.below = (float) (2 * tau);
        this.aboveBits = Float.floatToRawIntBits(above);
        this.belowBits = Float.floatToRawIntBits(below);
    }

    /**
     * The quantile (pinball) loss at level τ, 0 < τ < 1.
     *
     * @throws IllegalArgumentException for τ outside (0, 1)
     */
    public static Objective quantile(double tau) {
        if (!(tau > 0 && tau < 1)) {
            throw new IllegalArgumentException("the quantile must be in (0, 1), got " + tau);
        }
        return new Objective(Kind.quantile, tau);
    }

    /** The objective of {@code kind}; τ is used by the quantile loss only. */
    public static Objective of(Kind kind, double tau) {
        return kind == Kind.mae ? MAE : quantile(tau);
    }

    public Kind kind() {
        return kind;
    }

    /** The quantile level τ (0.5 for the MAE, the median's). */
    public double tau() {
        return tau;
    }

    /** The weight of a residual above the fit (r > 0): {@code 2(1 - τ)}, 1 for the MAE. */
    public float above() {
        return above;
    }

    /** The weight of a residual below the fit (r < 0): {@code 2τ}, 1 for the MAE. */
    public float below() {
        return below;
    }

    /** Whether this is the default, the tutorial's MAE. */
    public boolean isMae() {
        return kind == Kind.mae;
    }

    /**
     * The weight of residual r: {@link #below()} when r's sign bit is set, else {@link #above()}.
     * Picked on the bits, with no branch (residual signs are coin flips); at r = ±0 or NaN the
     * choice does not matter, the slope is 0 and the loss 0 or NaN either way.
     */
    public float weight(float r) {
        int negative = Float.floatToRawIntBits(r) >> 31;
        return Float.intBitsToFloat((aboveBits & ~negative) | (belowBits & negative));
    }

    /** The slope of the loss at residual r: {@code sign(r)·weight(r)}, 0 at r = 0 and at NaN. */
    public float slope(float r) {
        return sign(r) * weight(r);
    }

    /** The loss of residual r: {@code weight(r)·|r|} (|r| for the MAE, twice the pinball loss). */
    public float loss(float r) {
        return weight(r) * Math.abs(r);
    }

    /** sign(r) with sign(0) = 0 and sign(NaN) = 0 (the NaN still reaches the loss). */
    public static float sign(float r) {
        // On the bits, with no branch: ±1 keeps r's sign bit; the mask is all ones exactly
        // when 1 <= |bits| <= 0x7f800000 (neither zero nor NaN).
        int bits = Float.floatToRawIntBits(r);
        int below = (bits & 0x7fffffff) - 1;
        int mask = ((below - 0x7f800000) >> 31) & ~(below >> 31);
        return Float.intBitsToFloat(((bits & 0x80000000) | 0x3f800000) & mask);
    }

    /** The name printed and saved: {@code mae} or {@code quantile}. */
    public String name() {
        return kind.name();
    }

    /** For people: {@code mae}, or {@code quantile (tau 0.9)}. */
    public String describe() {
        return isMae() ? "mae" : String.format(Locale.ROOT, "quantile (tau %s)", tauText());
    }

    /** τ as it is printed: the shortest decimal that reads back as the same double. */
    public String tauText() {
        return Double.toString(tau);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Objective other && kind == other.kind && Double.compare(tau, other.tau) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(tau);
    }

    @Override
    public String toString() {
        return describe();
    }
}
