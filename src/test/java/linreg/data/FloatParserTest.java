package linreg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser gives Float.parseFloat's bits for every number in the CSV syntax, and refuses
 * what is not in it, such as Java's {@code 5f} and hexadecimal floats.
 */
class FloatParserTest {
    private static void assertSame(String s) {
        char[] padded = ("xx" + s + "yy").toCharArray();
        float expected;
        try {
            expected = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            assertFalse(FloatParser.isNumber(padded, 2, s.length()), s);
            return;
        }
        assertTrue(FloatParser.isNumber(padded, 2, s.length()), s);
        float actual = FloatParser.parse(padded, 2, s.length());
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> "'" + s + "': expected " + expected + ", got " + actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+0", "0.0", "-0.0", "1", "-1", "+1.5", "0.1", "16777217", "16777216.5",
        "1.", ".5", "-.5", "1.e5", "1e5", "1E+5", "1e-5", "3.4028235e38", "3.4028236e38", "3.5e38", "1e39", "1e-45",
        "1e-46", "1.4e-45", "123456789012345678", "1234567890123456789", "0.000000000000000000000000001",
        "99999999999999999999999", "1e22", "1e23", "1e-22", "1e-23", "9.999999e37", "1.7014118e38",
        "1e00001", "1e000000000001", "007", "-007.50", " 1", "1 ", "\t2\t", "0.1234567890123456789",
        "2.00000017881393421514957253748434595763683319091796875",
        "2.0000001788139342151495725374843459576368331909179687",
        "2.0000001788139342151495725374843459576368331909179688"})
    void numbersReadAsJavaReadsThem(String s) {
        assertSame(s);
    }

    /** Java reads these; CSV tools do not, and neither does linreg. */
    @ParameterizedTest
    @ValueSource(strings = {"5f", "5d", "5F", "1.5D", "0x1p3", "0X1.8P1", "", " ", "-", "+", ".", "e5", "1e", "1e+", "1e-",
        "1.2.3", "1e5e5", "--1", "+-1", "1-", "abc", "١", "1,5", "1_000", "\n1", "1\u00a0", "Infinityy", "na", "++inf"})
    void whatIsNotANumber(String s) {
        assertFalse(FloatParser.isNumber(("x" + s + "y").toCharArray(), 1, s.length()), s);
        assertThrows(NumberFormatException.class, () -> FloatParser.parse(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "NAN", "-nan", "inf", "-inf", "+Inf", "Infinity", "-INFINITY", " nan "})
    void nonFiniteWordsAreNumbers(String s) {
        float v = FloatParser.parse(s);
        String word = s.strip().toLowerCase(Locale.ROOT);
        if (word.contains("nan")) {
            assertTrue(Float.isNaN(v), s);
        } else {
            assertEquals(word.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY, v, s);
        }
    }

    @Test
    void randomDecimalStrings() {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            s.setLength(0);
            if (random.nextInt(4) == 0) {
                s.append(random.nextBoolean() ? '-' : '+');
            }
            int intDigits = random.nextInt(12);
            for (int k = 0; k < intDigits; k++) {
                s.append((char) ('0' + random.nextInt(10)));
            }
            if (random.nextInt(3) > 0) {
                s.append('.');
                int fracDigits = random.nextInt(20);
                for (int k = 0; k < fracDigits; k++) {
                    s.append((char) ('0' + random.nextInt(10)));
                }
            }
            if (random.nextInt(3) == 0) {
                s.append(random.nextBoolean() ? 'e' : 'E');
                if (random.nextBoolean()) {
                    s.append(random.nextBoolean() ? '-' : '+');
                }
                s.append(random.nextInt(50));
            }
            assertSame(s.toString());
        }
    }

    @Test
    void floatAndDoubleTexts() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 60_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            double g = random.nextGaussian() * Math.pow(10, random.nextInt(-30, 31));
            assertSame(Float.toString(f));
            assertSame(Double.toString(g));
            assertSame(Double.toString((float) g));
            assertSame(String.format(Locale.ROOT, "%.6f", g));
            assertSame(String.format(Locale.ROOT, "%.9g", g));
            assertSame(String.format(Locale.ROOT, "%.17g", g));
        }
    }

    /** The speed of CSV loading rests on these spellings not falling back to the JDK. */
    @ParameterizedTest
    @ValueSource(strings = {"0.123456", "-1.2345678E-4", "12345.678", "7", "-3.4028235E8", "1e-22", "0.1", "123456789012345678"})
    void commonSpellingsTakeTheFastPath(String s) {
        float fast = FloatParser.fast(s.toCharArray(), 0, s.length());
        assertEquals(Float.parseFloat(s), fast, s);
    }

    /** Decimals at and next to the midpoints between two floats: where double rounding would go wrong. */
    @Test
    void midpointsAndTheirNeighbours() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 30_000; i++) {
            float f = Math.abs(Float.intBitsToFloat(random.nextInt()));
            if (!Float.isFinite(f) || f == 0 || f >= Float.MAX_VALUE) {
                continue;
            }
            BigDecimal mid = new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
            assertSame(mid.toString());
            for (int digits = 8; digits <= 18; digits++) {
                BigDecimal rounded = mid.round(new java.math.MathContext(digits));
                assertSame(rounded.toString());
                assertSame(rounded.toPlainString());
                assertSame(rounded.add(rounded.ulp()).toString());
                assertSame(rounded.subtract(rounded.ulp()).toString());
            }
        }
    }
}
