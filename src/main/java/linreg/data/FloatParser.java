package linreg.data;

/**
 * Text to float32 without making a String, correctly rounded (as {@link Float#parseFloat}), in
 * the number syntax CSV tools write and read: optional spaces or tabs around
 * {@code [+-](digits[.[digits]] | .digits)[(e|E)[+-]digits]}, or {@code nan}, {@code inf},
 * {@code infinity} in any case, signed or not. Java's extras are not numbers here: {@code 5f}
 * and {@code 5d} (read as 5 by Java), hexadecimal floats, {@code NaN} spelt only one way.
 *
 * <p>The common spelling, {@code [+-]digits[.digits][(e|E)[+-]digits]} with at most 18
 * significant digits and a decimal exponent within ±22, is computed as m·10^k in float64: 10^k
 * is exact there, so the result is within two float64 ulps of the true value (one rounding of
 * m when it has more than 15 digits, one of the product or quotient). Rounding that to float32
 * is the correctly rounded float32 unless a float32 rounding boundary (a midpoint between two
 * floats) lies within that distance; then, and for every other spelling, the JDK's parser
 * decides. A float32 midpoint is a double whose low 29 fraction bits are exactly 2^28.
 */
public final class FloatParser {
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
     * The float32 of {@code text}.
     *
     * @throws NumberFormatException when it is not a number in the syntax above
     */
    public static float parse(String text) {
        char[] s = text.toCharArray();
        if (!isNumber(s, 0, s.length)) {
            throw new NumberFormatException("not a number: \"" + text + "\"");
        }
        return parse(s, 0, s.length);
    }

    /** Whether {@code s[offset, offset + length)} is a number in the syntax above. */
    static boolean isNumber(char[] s, int offset, int length) {
        int end = trimEnd(s, offset, offset + length);
        int i = trimStart(s, offset, end);
        if (i < end && (s[i] == '-' || s[i] == '+')) {
            i++;
        }
        if (isWord(s, i, end)) {
            return true;
        }
        int digits = 0;
        while (i < end && isDigit(s[i])) {
            i++;
            digits++;
        }
        if (i < end && s[i] == '.') {
            i++;
            while (i < end && isDigit(s[i])) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < end && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < end && (s[i] == '-' || s[i] == '+')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < end && isDigit(s[i])) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == end;
    }

    /** The float32 of {@code s[offset, offset + length)}, which {@link #isNumber} accepts. */
    static float parse(char[] s, int offset, int length) {
        float value = fast(s, offset, length);
        if (value == value) {
            return value;
        }
        int end = trimEnd(s, offset, offset + length);
        int start = trimStart(s, offset, end);
        int unsigned = start < end && (s[start] == '-' || s[start] == '+') ? start + 1 : start;
        if (isWord(s, unsigned, end)) {
            return Character.toLowerCase(s[unsigned]) == 'n' ? Float.NaN
                    : s[start] == '-' ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        return Float.parseFloat(new String(s, start, end - start));
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

    private static int trimStart(char[] s, int from, int to) {
        while (from < to && (s[from] == ' ' || s[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(char[] s, int from, int to) {
        while (to > from && (s[to - 1] == ' ' || s[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** nan, inf or infinity, in any case: the non-finite values as CSV tools write them. */
    private static boolean isWord(char[] s, int from, int to) {
        return is(s, from, to, "nan") || is(s, from, to, "inf") || is(s, from, to, "infinity");
    }

    private static boolean is(char[] s, int from, int to, String lowerCase) {
        if (to - from != lowerCase.length()) {
            return false;
        }
        for (int k = 0; k < lowerCase.length(); k++) {
            if (Character.toLowerCase(s[from + k]) != lowerCase.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
