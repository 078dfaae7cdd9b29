package linreg.cli;

import java.util.Locale;

/** How the commands print a metric that may be undefined: R² of a constant target is "n/a". */
final class MetricText {
    private MetricText() {}

    /** R² to six decimals, or "n/a" where it is undefined (NaN: the target does not vary). */
    static String r2(double r2) {
        return Double.isNaN(r2) ? "n/a" : String.format(Locale.ROOT, "%.6f", r2);
    }
}
