package linreg.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import linreg.data.AtomicFiles;
import linreg.data.DataException;
import linreg.data.JavaHeap;
import linreg.data.Standardizer;
import linreg.data.TextInput;

/**
 * A {@link Model} as a JSON file: {@code "format": "linreg-model"} and {@code "version": 1}
 * first, then w and b in original units, the names, the standardisation, the provenance, the
 * training configuration and the final metrics. Numbers are written as Java's shortest text of
 * the double, which reads back to the same bits.
 *
 * <p>Writing is atomic ({@link OutputFile}). Reading says in one line what is wrong: a missing
 * file, not JSON, JSON that is not a linreg model, a format version this linreg does not read,
 * or a field that is missing or of the wrong kind.
 */
public final class ModelFile {
    /** The marker every model file carries. */
    public static final String FORMAT = "linreg-model";
    /** The format version written (and the newest read). */
    public static final int VERSION = 1;

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    private ModelFile() {}

    /**
     * Writes {@code model} to {@code file} atomically.
     *
     * @throws DataException when the file cannot be written (its folder is missing or not writable)
     */
    public static void write(Path file, Model model) throws DataException {
        String text = GSON.toJson(toJson(model)) + "\n";
        OutputFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The model as the JSON object the file holds. */
    static JsonObject toJson(Model model) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.addProperty("d", model.features());
        o.add("w", numbers(model.w()));
        o.addProperty("b", model.b());
        o.add("feature_names", model.featureNames() == null ? JsonNull.INSTANCE : GSON.toJsonTree(model.featureNames()));
        o.add("target_name", model.targetName() == null ? JsonNull.INSTANCE : new JsonPrimitive(model.targetName()));
        Standardizer s = model.standardization();
        if (s == null) {
            o.add("standardization", JsonNull.INSTANCE);
        } else {
            JsonObject z = new JsonObject();
            z.add("feature_means", numbers(s.featureMeans()));
            z.add("feature_stds", numbers(s.featureStds()));
            z.addProperty("target_mean", s.targetMean());
            z.addProperty("target_std", s.targetStd());
            o.add("standardization", z);
        }
        o.add("engine", text(model.engine()));
        o.add("linreg_version", text(model.linregVersion()));
        o.add("jcuda_version", text(model.jcudaVersion()));
        o.add("data", text(model.data()));
        o.addProperty("samples", model.samples());
        o.add("training", GSON.toJsonTree(model.training()));
        JsonObject metrics = new JsonObject();
        metrics.add("train", metrics(model.trainMetrics()));
        metrics.add("validation", metrics(model.validationMetrics()));
        o.add("metrics", metrics);
        return o;
    }

    private static JsonElement text(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonPrimitive(s);
    }

    private static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray(values.length);
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonElement metrics(Metrics m) {
        if (m == null) {
            return JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.add("mae", finiteOrNull(m.mae()));
        o.add("rmse", finiteOrNull(m.rmse()));
        o.add("r2", finiteOrNull(m.r2()));
        return o;
    }

    private static JsonElement finiteOrNull(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    /**
     * Reads a model file.
     *
     * @throws DataException one line: the file and what is wrong with it
     */
    public static Model read(Path file) throws DataException {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new DataException(name + ": no such model file");
        }
        if (Files.isDirectory(file)) {
            throw new DataException(name + ": is a directory, expected a model file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + AtomicFiles.reason(e));
        }
        String notText = TextInput.notText(bytes);
        if (notText != null) {
            throw new DataException(name + ": not a linreg model: it " + notText);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new DataException(name + ": not a linreg model: the file is empty");
        }
        JsonElement root;
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new DataException(name + ": not a linreg model: more text after the JSON value" + where(reader.toString()));
            }
        } catch (JsonParseException | IOException e) {
            if (e.getCause() instanceof OutOfMemoryError) { // Gson's way to report it
                throw new DataException(name + ": reading it, " + JavaHeap.full());
            }
            throw new DataException(name + ": not a linreg model: not JSON" + where(rootMessage(e))
                    + "; a model file is the JSON object that linreg train --save-model writes");
        }
        if (!root.isJsonObject()) {
            throw new DataException(name + ": not a linreg model: not a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        JsonElement format = o.get("format");
        if (format == null || !format.isJsonPrimitive() || !FORMAT.equals(format.getAsString())) {
            throw new DataException(name + ": not a linreg model (no \"format\": \"" + FORMAT + "\")");
        }
        return new Reader(o, name).model();
    }

    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    /** " (line 3, column 7)" from Gson's message, which also holds parser internals and a web address. */
    private static String where(String gsonMessage) {
        Matcher m = POSITION.matcher(gsonMessage == null ? "" : gsonMessage);
        return m.find() ? " (line " + m.group(1) + ", column " + m.group(2) + ")" : "";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }

    /** The fields of a model object, each checked for its kind. */
    private static final class Reader {
        private final JsonObject o;
        private final String name;

        Reader(JsonObject o, String name) {
            this.o = o;
            this.name = name;
        }

        Model model() throws DataException {
            long version = integer(o, "version");
            if (version != VERSION) {
                throw new DataException(name + ": model format version " + version
                        + " is not supported (this linreg reads version " + VERSION + ")");
            }
            double[] w = numbers(o, "w");
            if (w.length == 0) {
                throw bad("\"w\" is empty");
            }
            if (o.has("d") && integer(o, "d") != w.length) {
                throw bad("\"d\" is " + integer(o, "d") + " but \"w\" has " + w.length + " values");
            }
            double b = number(o, "b");
            List<String> names = strings(o, "feature_names", w.length);
            String target = optionalText(o, "target_name");
            Standardizer standardization = standardization(w.length);
            Map<String, Object> training = null;
            JsonElement t = o.get("training");
            if (t != null && !t.isJsonNull()) {
                if (!t.isJsonObject()) {
                    throw bad("\"training\" is not an object");
                }
                training = GSON.fromJson(t, new TypeToken<Map<String, Object>>() { }.getType());
            }
            Metrics trainMetrics = null;
            Metrics validationMetrics = null;
            JsonElement m = o.get("metrics");
            if (m != null && !m.isJsonNull()) {
                if (!m.isJsonObject()) {
                    throw bad("\"metrics\" is not an object");
                }
                trainMetrics = metrics(m.getAsJsonObject(), "train");
                validationMetrics = metrics(m.getAsJsonObject(), "validation");
            }
            long samples = o.has("samples") && !o.get("samples").isJsonNull() ? integer(o, "samples") : 0;
            return new Model(w, b, names, target, standardization, training, optionalText(o, "engine"),
                    optionalText(o, "linreg_version"), optionalText(o, "jcuda_version"), optionalText(o, "data"),
                    samples, trainMetrics, validationMetrics);
        }

        private Standardizer standardization(int d) throws DataException {
            JsonElement z = o.get("standardization");
            if (z == null || z.isJsonNull()) {
                return null;
            }
            if (!z.isJsonObject()) {
                throw bad("\"standardization\" is not an object");
            }
            JsonObject s = z.getAsJsonObject();
            double[] means = numbers(s, "feature_means");
            double[] stds = numbers(s, "feature_stds");
            if (means.length != d || stds.length != d) {
                throw bad("\"standardization\" has " + means.length + " means and " + stds.length
                        + " standard deviations for " + d + " features");
            }
            try {
                return new Standardizer(means, stds, number(s, "target_mean"), number(s, "target_std"));
            } catch (IllegalArgumentException e) {
                throw bad("\"standardization\": " + e.getMessage());
            }
        }

        private Metrics metrics(JsonObject parent, String key) throws DataException {
            JsonElement e = parent.get(key);
            if (e == null || e.isJsonNull()) {
                return null;
            }
            if (!e.isJsonObject()) {
                throw bad("\"metrics\".\"" + key + "\" is not an object");
            }
            JsonObject m = e.getAsJsonObject();
            return new Metrics(numberOrNaN(m, "mae"), numberOrNaN(m, "rmse"), numberOrNaN(m, "r2"));
        }

        private double number(JsonObject parent, String key) throws DataException {
            JsonElement e = parent.get(key);
            if (e == null || e.isJsonNull()) {
                throw bad("no \"" + key + "\"");
            }
            return number(e, "\"" + key + "\"");
        }

        private double numberOrNaN(JsonObject parent, String key) throws DataException {
            JsonElement e = parent.get(key);
            return e == null || e.isJsonNull() ? Double.NaN : number(e, "\"" + key + "\"");
        }

        private double number(JsonElement e, String what) throws DataException {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw bad(what + " is " + brief(e) + ", expected a number");
            }
            double v = e.getAsDouble();
            if (!Double.isFinite(v)) {
                throw bad(what + " is " + brief(e) + ", expected a finite number");
            }
            return v;
        }

        private long integer(JsonObject parent, String key) throws DataException {
            double v = number(parent, key);
            if (v != Math.rint(v) || Math.abs(v) > 1L << 53) {
                throw bad("\"" + key + "\" is " + brief(parent.get(key)) + ", expected an integer");
            }
            return (long) v;
        }

        private double[] numbers(JsonObject parent, String key) throws DataException {
            JsonElement e = parent.get(key);
            if (e == null || !e.isJsonArray()) {
                throw bad(e == null || e.isJsonNull() ? "no \"" + key + "\"" : "\"" + key + "\" is not an array of numbers");
            }
            JsonArray a = e.getAsJsonArray();
            double[] values = new double[a.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = number(a.get(i), "\"" + key + "\"[" + i + "]");
            }
            return values;
        }

        private List<String> strings(JsonObject parent, String key, int count) throws DataException {
            JsonElement e = parent.get(key);
            if (e == null || e.isJsonNull()) {
                return null;
            }
            if (!e.isJsonArray() || e.getAsJsonArray().size() != count) {
                throw bad("\"" + key + "\" is not an array of " + count + " names");
            }
            List<String> names = new ArrayList<>(count);
            for (JsonElement item : e.getAsJsonArray()) {
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                    throw bad("\"" + key + "\" holds " + brief(item) + ", expected names");
                }
                names.add(item.getAsString());
            }
            return names;
        }

        private String optionalText(JsonObject parent, String key) throws DataException {
            JsonElement e = parent.get(key);
            if (e == null || e.isJsonNull()) {
                return null;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw bad("\"" + key + "\" is " + brief(e) + ", expected text");
            }
            return e.getAsString();
        }

        /** A JSON value as it reads in a message: at most 40 characters of it. */
        private static String brief(JsonElement e) {
            String s = e.toString();
            return s.length() <= 40 ? s : s.substring(0, 37) + "...";
        }

        private DataException bad(String what) {
            return new DataException(name + ": bad linreg model: " + oneLine(what));
        }
    }
}
