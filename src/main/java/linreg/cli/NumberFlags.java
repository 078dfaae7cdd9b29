package linreg.cli;

import java.util.List;
import linreg.data.FloatParser;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * Number flags ({@code --lr 0.05}): read in the syntax of the data files ({@link FloatParser}:
 * no {@code 5f}, no hexadecimal), refused when the type cannot hold the number as typed ("1e-46
 * rounds to 0 in float32"), and echoed in messages as the user typed them.
 */
final class NumberFlags {
    private NumberFlags() {}

    /** float and Float flags. */
    static final class ToFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            return parseFloat(text);
        }
    }

    /** double and Double flags. */
    static final class ToDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            float word = syntax(text); // nan, inf: no digits
            double v = hasDigits(text) ? Double.parseDouble(text.strip()) : word;
            return checked(text, v, v == 0, Double.isInfinite(v), "float64");
        }
    }

    /** Registers the converters for every command of {@code cl}. */
    static void register(CommandLine cl) {
        cl.registerConverter(Float.class, new ToFloat());
        cl.registerConverter(Float.TYPE, new ToFloat());
        cl.registerConverter(Double.class, new ToDouble());
        cl.registerConverter(Double.TYPE, new ToDouble());
    }

    /**
     * {@code text} as a float32.
     *
     * @throws TypeConversionException saying what is wrong with it, as typed
     */
    static float parseFloat(String text) {
        float v = syntax(text);
        return checked(text, v, v == 0, Float.isInfinite(v), "float32");
    }

    private static float syntax(String text) {
        try {
            return FloatParser.parse(text);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number");
        }
    }

    /** Numbers have digits; nan and inf are words. */
    private static boolean hasDigits(String text) {
        return text.chars().anyMatch(Character::isDigit);
    }

    private static <T> T checked(String text, T value, boolean zero, boolean infinite, String type) {
        if (zero && mantissa(text).chars().anyMatch(c -> c >= '1' && c <= '9')) {
            throw new TypeConversionException(text.strip() + " rounds to 0 in " + type);
        }
        if (infinite && hasDigits(text)) {
            throw new TypeConversionException(text.strip() + " is beyond the range of " + type);
        }
        return value;
    }

    /** The digits before the exponent. */
    private static String mantissa(String text) {
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        return e < 0 ? text : text.substring(0, e);
    }

    /** The value of {@code option} as the user typed it, or {@code value}'s text when it was not given. */
    static String typed(CommandLine cl, String option, Object value) {
        OptionSpec matched = cl.getParseResult().matchedOption(option);
        List<String> typed = matched == null ? List.of() : matched.originalStringValues();
        return typed.isEmpty() ? String.valueOf(value) : typed.get(typed.size() - 1);
    }
}
