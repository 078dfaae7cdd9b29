package linreg.train;

/**
 * The samples held out to validate on: a seeded fraction of them ({@link ValidationSplit}).
 *
 * @param fraction the fraction held out (null: none)
 * @throws ConfigException for a fraction outside (0, 1)
 */
public record HoldOut(Double fraction) {
    public HoldOut {
        ConfigException.require(fraction == null || fraction > 0 && fraction < 1, "validation", "must be a fraction in (0, 1)",
                fraction);
    }

    /** Whether samples are held out. */
    public boolean validates() {
        return fraction != null;
    }

    /** The fraction as {@link ValidationSplit} takes it: 0 for none. */
    public double share() {
        return fraction == null ? 0 : fraction;
    }
}
