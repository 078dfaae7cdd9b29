package linreg.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How bench numbers are written: in files (plain, 6 significant digits) and for people. */
public final class BenchFormat {
    private BenchFormat() {}

    /** A number for a CSV cell: 6 significant digits, no exponent; empty for NaN. */
    public static String cell(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** A sample count: "1e6" for powers of ten, else the digits; "" for 0. */
    public static String count(long n) {
        if (n <= 0) {
            return "";
        }
        long p = 1;
        for (int e = 0; e <= 18; e++, p *= 10) {
            if (p == n && e >= 3) {
                return "1e" + e;
            }
        }
        return Long.toString(n);
    }

    /** A sample count such as 2.5e7 for an interpolated n. */
    public static String approxCount(double n) {
        if (n < 1e4) {
            return String.format(Locale.ROOT, "%.0f", n);
        }
        return String.format(Locale.ROOT, "%.2g", n).replace("e+0", "e").replace("e+", "e");
    }

    /** Seconds for people: "850 µs", "12.3 ms", "4.21 s". */
    public static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "";
        }
        if (s < 1e-3) {
            return String.format(Locale.ROOT, "%.3g µs", s * 1e6);
        }
        if (s < 1) {
            return String.format(Locale.ROOT, "%.3g ms", s * 1e3);
        }
        return String.format(Locale.ROOT, "%.3g s", s);
    }

    /** A bigger-is-better rate: "1.2e+08". */
    public static String rate(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3g", v);
    }

    /** Bytes for people: "1.00 GiB", "512 MiB". */
    public static String bytes(double b) {
        if (b >= (1L << 30)) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MiB", b / (1L << 20));
    }
}
