package linreg.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.Map;

/**
 * The one JSON writer of the commands' {@code --json} output. JSON has no NaN or infinity, so a
 * non-finite number is written as {@code null}, as an undefined metric (R² of a constant target)
 * is: never a crash, never an invalid document.
 */
final class Json {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .registerTypeAdapter(Double.class, new FiniteDouble()).registerTypeAdapter(double.class, new FiniteDouble())
            .registerTypeAdapter(Float.class, new FiniteFloat()).registerTypeAdapter(float.class, new FiniteFloat())
            .create();

    private Json() {}

    /** {@code fields} as one JSON object on one line, in their order. */
    static String object(Map<String, ?> fields) {
        return GSON.toJson(fields);
    }

    private static final class FiniteDouble extends TypeAdapter<Double> {
        @Override
        public void write(JsonWriter out, Double v) throws IOException {
            if (v == null || !Double.isFinite(v)) {
                out.nullValue();
            } else {
                out.value(v.doubleValue());
            }
        }

        @Override
        public Double read(JsonReader in) {
            throw new UnsupportedOperationException("written only");
        }
    }

    /** Floats keep their own shortest text (0.05, not 0.05000000074505806). */
    private static final class FiniteFloat extends TypeAdapter<Float> {
        @Override
        public void write(JsonWriter out, Float v) throws IOException {
            if (v == null || !Float.isFinite(v)) {
                out.nullValue();
            } else {
                out.value(v.floatValue());
            }
        }

        @Override
        public Float read(JsonReader in) {
            throw new UnsupportedOperationException("written only");
        }
    }
}
