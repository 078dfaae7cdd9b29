package linreg.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import linreg.data.AtomicFiles;

/**
 * Predicts seconds per epoch of each engine/strategy, to pick the fastest for a problem
 * ({@code --engine auto}) and to skip bench cases that would take too long. One formula for all:
 *
 * <pre>
 *   seconds_per_epoch ≈ per_step·steps + per_sample·n + per_float·n·(d+1) + per_epoch,
 *   steps = ⌈n / min(batch, n)⌉
 * </pre>
 *
 * per_step is one dependent SGD step's fixed cost (kernel launches, a barrier, the threads'
 * meeting), per_sample what every sample costs whatever d (its place in the permutation, the trip
 * to its row), per_float the cost of one float streamed (bandwidth), per_epoch a fixed cost (the
 * shuffle's launch, the loss copy). The constants are fit per engine/strategy by non-negative
 * least squares on relative error from {@code linreg bench} rows, cached per GPU model under
 * {@code $XDG_CACHE_HOME/linreg/} (default ~/.cache/linreg/), over the shipped defaults in
 * {@code cost-model-defaults.json}.
 */
public final class CostModel {
    /** The formula, as the JSON files state it. */
    public static final String FORMULA = "seconds_per_epoch = per_step * steps + per_sample * n + per_float * n * (d + 1)"
            + " + per_epoch, steps = ceil(n / min(batch, n))";
    /** Fewest ok rows an engine/strategy needs before its constants are fit rather than kept. */
    public static final int MIN_ROWS = 4;
    private static final String DEFAULTS = "/cost-model-defaults.json";

    /**
     * The constants of one engine/strategy.
     *
     * @param source where they come from: "measured: ..." or "estimate, not measured: ..."
     */
    public record Constants(double perStep, double perSample, double perFloat, double perEpoch, String source) {
        /** Predicted seconds per epoch; batch ≥ n (or {@link Integer#MAX_VALUE}) means one step. */
        public double predict(long n, int d, long batch) {
            return dot(terms(n, d, batch));
        }

        /** The terms the constants multiply: steps, n, n·(d+1), 1. */
        static double[] terms(long n, int d, long batch) {
            long m = Math.max(1, Math.min(batch, n));
            long steps = (n + m - 1) / m;
            return new double[] {steps, n, (double) n * (d + 1), 1};
        }

        private double dot(double[] t) {
            return perStep * t[0] + perSample * t[1] + perFloat * t[2] + perEpoch * t[3];
        }

        double[] values() {
            return new double[] {perStep, perSample, perFloat, perEpoch};
        }

        /** Whether these constants were measured (not a placeholder estimate). */
        public boolean measured() {
            return source.startsWith("measured");
        }
    }

    /**
     * The prediction for one problem.
     *
     * @param fastest the key predicted fastest among the candidates ("cpu", "gpu/pipeline", ...)
     * @param seconds predicted seconds per epoch of every candidate the model knows
     */
    public record Choice(String fastest, Map<String, Double> seconds) {
        /** "gpu" for "gpu/pipeline". */
        public String engine() {
            int slash = fastest.indexOf('/');
            return slash < 0 ? fastest : fastest.substring(0, slash);
        }

        /** "pipeline" for "gpu/pipeline"; empty for the CPU. */
        public String strategy() {
            int slash = fastest.indexOf('/');
            return slash < 0 ? "" : fastest.substring(slash + 1);
        }
    }

    private final Map<String, Constants> constants;
    private final String origin;

    private CostModel(Map<String, Constants> constants, String origin) {
        this.constants = Map.copyOf(constants);
        this.origin = origin;
    }

    /** A model of the given constants (keys "cpu", "gpu/pipeline", ...). */
    public static CostModel of(Map<String, Constants> constants, String origin) {
        return new CostModel(new LinkedHashMap<>(constants), origin);
    }

    /** The shipped defaults (src/main/resources/cost-model-defaults.json). */
    public static CostModel defaults() {
        try (InputStream in = CostModel.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the jar");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return new CostModel(parse(JsonParser.parseReader(reader).getAsJsonObject()), "shipped defaults");
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS + ": " + e.getMessage(), e);
        }
    }

    /** {@link #load(String, Path)} from the default cache folder. */
    public static CostModel load(String gpuName) {
        return load(gpuName, cacheDir());
    }

    /**
     * The defaults, with the constants cached by {@code linreg bench} for this GPU model (null: a
     * machine without a usable GPU) laid over them. An unreadable cache is ignored.
     */
    public static CostModel load(String gpuName, Path cacheDir) {
        CostModel model = defaults();
        Path file = cacheFile(cacheDir, gpuName);
        if (!Files.isRegularFile(file)) {
            return model;
        }
        try {
            Map<String, Constants> merged = new LinkedHashMap<>(model.constants);
            merged.putAll(parse(JsonParser.parseString(Files.readString(file)).getAsJsonObject()));
            return new CostModel(merged, file.toString());
        } catch (IOException | RuntimeException e) {
            return model;
        }
    }

    /** Where {@code linreg bench} caches fitted constants: $XDG_CACHE_HOME/linreg, else ~/.cache/linreg. */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("linreg");
    }

    /** The cache file of one GPU model: cost-model-nvidia-h100-80gb-hbm3.json, cost-model-no-gpu.json. */
    public static Path cacheFile(Path cacheDir, String gpuName) {
        return cacheDir.resolve("cost-model-" + (gpuName == null ? "no-gpu" : MachineInfo.slug(gpuName)) + ".json");
    }

    /** Where the constants came from: "shipped defaults" or the cache file. */
    public String origin() {
        return origin;
    }

    /** The constants of every engine/strategy the model knows. */
    public Map<String, Constants> constants() {
        return constants;
    }

    /** Predicted seconds per epoch of {@code key}, or NaN when the model does not know it. */
    public double predict(String key, long n, int d, long batch) {
        Constants k = constants.get(key);
        return k == null ? Double.NaN : k.predict(n, d, batch);
    }

    /** The predicted-fastest of every engine/strategy the model knows. */
    public Choice choose(long n, int d, long batch) {
        return choose(n, d, batch, constants.keySet());
    }

    /**
     * The predicted-fastest among {@code candidates} (say "cpu" alone where no GPU is usable; keys
     * the model does not know are left out).
     *
     * @throws IllegalArgumentException when the model knows none of the candidates
     */
    public Choice choose(long n, int d, long batch, Collection<String> candidates) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        String fastest = null;
        for (String key : candidates.stream().sorted().toList()) {
            Constants k = constants.get(key);
            if (k == null) {
                continue;
            }
            double s = k.predict(n, d, batch);
            seconds.put(key, s);
            if (fastest == null || s < seconds.get(fastest)) {
                fastest = key;
            }
        }
        if (fastest == null) {
            throw new IllegalArgumentException("the cost model knows none of " + candidates);
        }
        return new Choice(fastest, seconds);
    }

    /**
     * Fits the constants of every engine/strategy with at least {@link #MIN_ROWS} ok training rows;
     * the others keep this model's constants.
     */
    public CostModel fit(BenchResults results, String where) {
        Map<String, Constants> fitted = new LinkedHashMap<>(constants);
        for (String key : results.trainingKeys()) {
            List<BenchRow> ok = results.training().stream().filter(r -> r.key().equals(key) && r.ok()).toList();
            if (ok.size() >= MIN_ROWS) {
                fitted.put(key, fit(ok, where));
            }
        }
        return new CostModel(fitted, "fitted from the bench");
    }

    /** The constants that best fit these rows, by relative error (times span six decades). */
    static Constants fit(List<BenchRow> rows, String where) {
        double[][] a = new double[rows.size()][];
        double[] b = new double[rows.size()];
        long nMin = Long.MAX_VALUE;
        long nMax = 0;
        for (int i = 0; i < rows.size(); i++) {
            BenchRow r = rows.get(i);
            double y = r.secondsPerEpoch();
            double[] t = Constants.terms(r.n(), r.d(), r.rowsPerStep());
            a[i] = new double[t.length];
            for (int j = 0; j < t.length; j++) {
                a[i][j] = t[j] / y;
            }
            b[i] = 1;
            nMin = Math.min(nMin, r.n());
            nMax = Math.max(nMax, r.n());
        }
        double[] x = NonNegativeLeastSquares.solve(a, b);
        double[] off = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            double predicted = 0;
            for (int j = 0; j < x.length; j++) {
                predicted += a[i][j] * x[j];
            }
            off[i] = Math.max(predicted, 1 / predicted);
        }
        java.util.Arrays.sort(off);
        String source = String.format(Locale.ROOT, "measured: %d rows, n %s..%s, %s; rows off by %.2fx (median), "
                + "%.2fx (worst)", rows.size(), BenchFormat.count(nMin), BenchFormat.count(nMax), where,
                off[off.length / 2], off[off.length - 1]);
        return new Constants(x[0], x[1], x[2], x[3], source);
    }

    /** This model as the cache file's JSON. */
    public String toJson(String gpuName, String writtenBy, boolean quick) {
        JsonObject o = new JsonObject();
        o.addProperty("formula", FORMULA);
        o.addProperty("units", "seconds: per SGD step, per sample, per float of n*(d+1), per epoch");
        o.addProperty("gpu", gpuName);
        o.addProperty("written_by", writtenBy);
        o.addProperty("quick", quick);
        JsonObject engines = new JsonObject();
        constants.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            JsonObject k = new JsonObject();
            k.addProperty("per_step", e.getValue().perStep());
            k.addProperty("per_sample", e.getValue().perSample());
            k.addProperty("per_float", e.getValue().perFloat());
            k.addProperty("per_epoch", e.getValue().perEpoch());
            k.addProperty("source", e.getValue().source());
            engines.add(e.getKey(), k);
        });
        o.add("engines", engines);
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
        return gson.toJson(o) + "\n";
    }

    /**
     * Caches this model for {@code gpuName}. A quick bench does not replace constants a full one
     * left (they were fit over a much wider range).
     *
     * @return the file written, or null when a full bench's file was kept
     */
    public Path save(Path cacheDir, String gpuName, String writtenBy, boolean quick) throws IOException {
        Path file = cacheFile(cacheDir, gpuName);
        if (quick && Files.isRegularFile(file)) {
            try {
                JsonElement q = JsonParser.parseString(Files.readString(file)).getAsJsonObject().get("quick");
                if (q != null && !q.getAsBoolean()) {
                    return null;
                }
            } catch (RuntimeException e) {
                // unreadable: replace it
            }
        }
        Files.createDirectories(cacheDir);
        AtomicFiles.writeString(file, toJson(gpuName, writtenBy, quick));
        return file;
    }

    private static Map<String, Constants> parse(JsonObject o) {
        JsonObject engines = o.getAsJsonObject("engines");
        if (engines == null) {
            throw new JsonParseException("no \"engines\" object");
        }
        Map<String, Constants> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : engines.entrySet()) {
            JsonObject k = e.getValue().getAsJsonObject();
            Constants c = new Constants(k.get("per_step").getAsDouble(), k.get("per_sample").getAsDouble(),
                    k.get("per_float").getAsDouble(), k.get("per_epoch").getAsDouble(),
                    k.has("source") ? k.get("source").getAsString() : "");
            for (double v : c.values()) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new JsonParseException(e.getKey() + ": constants must be finite and >= 0");
                }
            }
            out.put(e.getKey(), c);
        }
        return out;
    }

    /** Candidate keys of the engines that can run: "cpu", plus "gpu/<strategy>" for each given strategy. */
    public static List<String> candidates(boolean gpuUsable, Collection<String> strategies) {
        List<String> keys = new ArrayList<>();
        keys.add("cpu");
        if (gpuUsable) {
            strategies.forEach(s -> keys.add("gpu/" + s));
        }
        return keys;
    }
}
