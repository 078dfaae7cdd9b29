package linreg.data;

/**
 * Text to float32 without making a String, giving exactly {@link Float#parseFloat}'s value.
 *
 * <p>The common spelling, {@code [+-]digits[.digits][(e|E)[+-]digits]} with at most 18
 * significant digits and a decimal exponent within ±22, is computed as m·10^k in float64: 10^k
 * is exact there, so the result is within two float64 ulps of the true value (one rounding of
 * m when it has more than 15 digits, one of the product or quotient). Rounding that to float32
 * is the correctly rounded float32 unless a float32 rounding boundary (a midpoint between two
 * floats) lies within that distance; then, and for every other spelling, the JDK's parser
 * decides. A float32 midpoint is a double whose low 29 fraction bits are exactly 2^28.
 */
final class FloatParser {
    private static final int MAX_DIGITS = 18;
    private static final int MAX_POWER = 22;
    private static final double[] POWERS_OF_TEN = new double[MAX_POWER + 1];
    /** Low 29 fraction bits of a float64 that sits exactly between two float32 values. */
    private static final long MIDPOINT = 1L << 28;
    private static final long LOW_BITS = (1L << 29) - 1;
    /** How close (in float64 ulps) to a midpoint the fast path refuses to decide. */
    private static final long MARGIN = 4;

    static {
        double p = 1;
        for (int k = 0; k <= MAX_POWER; k++) {
            POWERS_OF_TEN[k] = p;
            p *= 10;
        }
    }

    private FloatParser() {}

    /**
     * The float32 of {@code text[offset, offset + length)}, as {@link Float#parseFloat} reads it.
     *
     * @throws NumberFormatException where {@link Float#parseFloat} throws
     */
    static float parse(char[] text, int offset, int length) {
        float value = fast(text, offset, length);
        return value == value ? value : Float.parseFloat(new String(text, offset, length));
    }

    /** The value of a plain decimal, or NaN where the fast path cannot decide. */
    static float fast(char[] s, int offset, int length) {
        int i = offset;
        int end = offset + length;
        if (i == end) {
            return Float.NaN;
        }
        boolean negative = false;
        char c = s[i];
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean anyDigit = false;
        while (i < end && (c = s[i]) >= '0' && c <= '9') {
            anyDigit = true;
            if (mantissa != 0 || c != '0') {
                if (++digits > MAX_DIGITS) {
                    return Float.NaN;
                }
                mantissa = mantissa * 10 + (c - '0');
            }
            i++;
        }
        if (i < end && s[i] == '.') {
            i++;
            while (i < end && (c = s[i]) >= '0' && c <= '9') {
                anyDigit = true;
                if (mantissa != 0 || c != '0') {
                    if (++digits > MAX_DIGITS) {
                        return Float.NaN;
                    }
                    mantissa = mantissa * 10 + (c - '0');
                }
                scale--;
                i++;
            }
        }
        if (!anyDigit) {
            return Float.NaN;
        }
        if (i < end && ((c = s[i]) == 'e' || c == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && ((c = s[i]) == '-' || c == '+')) {
                negativeExponent = c == '-';
                i++;
            }
            int exponent = 0;
            int exponentDigits = 0;
            while (i < end && (c = s[i]) >= '0' && c <= '9') {
                if (++exponentDigits > 4) {
                    return Float.NaN;
                }
                exponent = exponent * 10 + (c - '0');
                i++;
            }
            if (exponentDigits == 0) {
                return Float.NaN;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i != end) {
            return Float.NaN;
        }
        if (mantissa == 0) {
            return negative ? -0f : 0f;
        }
        if (scale < -MAX_POWER || scale > MAX_POWER) {
            return Float.NaN;
        }
        double value = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
        // Results here are at least 1e-22, far above float32's subnormals; near float32's top the
        // JDK decides whether it overflows.
        if (value >= 0x1p127) {
            return Float.NaN;
        }
        long low = Double.doubleToRawLongBits(value) & LOW_BITS;
        if (Math.abs(low - MIDPOINT) <= MARGIN) {
            return Float.NaN;
        }
        float f = (float) value;
        return negative ? -f : f;
    }
}
