package linreg.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a comma-separated list of finite numbers such as {@code 10,7,5,2}. */
public final class FloatListConverter implements ITypeConverter<FloatList> {
    @Override
    public FloatList convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("expected a comma-separated list of numbers, got an empty value");
        }
        String[] parts = value.split(",", -1);
        float[] result = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            float v;
            try {
                v = NumberFlags.parseFloat(part);
            } catch (TypeConversionException e) {
                throw new TypeConversionException("value " + (i + 1) + " of '" + value + "': " + e.getMessage());
            }
            if (!Float.isFinite(v)) {
                throw new TypeConversionException("value " + (i + 1) + " of '" + value + "' is '" + part
                        + "', expected a finite number");
            }
            result[i] = v;
        }
        return new FloatList(result);
    }
}
