package linreg.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import linreg.data.DataException;
import linreg.data.Words;
import linreg.data.Standardizer;
import linreg.train.TrainConfig;

/**
 * A trained model: {@code y = x·w + b} in the data's original units (a standardised run's
 * parameters are mapped back before they get here), and how it came to be.
 *
 * @param w the weights, one a feature, in original units
 * @param b the bias, in original units
 * @param featureNames the features' header names, or null
 * @param targetName the target's header name, or null
 * @param standardization the z-scoring the model was trained through, or null; predictions use
 *     w and b directly and never need it
 * @param training the run's configuration (lr, epochs, batch_size, seed, ...), in the same names
 *     as {@code linreg train --json}
 * @param engine "cpu" or "gpu"
 * @param linregVersion the linreg that trained it
 * @param jcudaVersion the JCuda it was built with
 * @param data where the training samples came from
 * @param samples how many samples the data held
 * @param trainMetrics the final parameters' metrics on the training rows
 * @param validationMetrics the same on the held-out rows, or null without validation
 */
public record Model(double[] w, double b, List<String> featureNames, String targetName,
        Standardizer standardization, Map<String, Object> training, String engine, String linregVersion,
        String jcudaVersion, String data, long samples, Metrics trainMetrics, Metrics validationMetrics) {

    /** @throws IllegalArgumentException for parameters no model can have */
    public Model {
        if (w.length == 0) {
            throw new IllegalArgumentException("a model needs at least one weight");
        }
        for (double v : w) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the weights hold " + v + ", expected finite numbers");
            }
        }
        if (!Double.isFinite(b)) {
            throw new IllegalArgumentException("the bias is " + b + ", expected a finite number");
        }
        if (featureNames != null && featureNames.size() != w.length) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + w.length + " weights");
        }
        if (standardization != null && standardization.features() != w.length) {
            throw new IllegalArgumentException("a standardisation of " + standardization.features() + " features for "
                    + w.length + " weights");
        }
        w = w.clone();
        featureNames = featureNames == null ? null : List.copyOf(featureNames);
        training = training == null ? Map.of() : new LinkedHashMap<>(training);
    }

    /** The number of features d. */
    public int features() {
        return w.length;
    }

    @Override
    public double[] w() {
        return w.clone();
    }

    /** The prediction for row {@code row} of the row-major features {@code x}, in float64. */
    public double predict(float[] x, int row) {
        return Metrics.predict(w, b, x, row);
    }

    /** The predictions for the n rows of {@code x}. */
    public double[] predictions(float[] x, int n) {
        if ((long) n * w.length != x.length) {
            throw new IllegalArgumentException(n + " rows of " + w.length + " features, but x holds " + x.length + " values");
        }
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Metrics.predict(w, b, x, i);
        }
        return p;
    }

    /**
     * Checks that data of {@code d} features fits the model.
     *
     * @throws DataException "the model has 4 features but the data has 5"
     */
    public void checkFeatures(int d) throws DataException {
        checkFeatures(d, "the data");
    }

    /** As {@link #checkFeatures(int)}, naming the data ({@code source}) in the message. */
    public void checkFeatures(int d, String source) throws DataException {
        if (d != w.length) {
            throw new DataException("the model has " + Words.count(w.length, "feature") + " but " + source + " has " + d);
        }
    }

    /**
     * Where both the model and the data have feature names, they must be the same in the same
     * order: a model applied to shuffled columns predicts nonsense without a sign of it.
     *
     * @throws DataException naming the first column that differs
     */
    public void checkFeatureNames(List<String> names, String source) throws DataException {
        if (featureNames == null || names == null) {
            return;
        }
        checkFeatures(names.size(), source);
        for (int j = 0; j < names.size(); j++) {
            if (!names.get(j).equals(featureNames.get(j))) {
                throw new DataException(source + ": feature " + (j + 1) + " is \"" + names.get(j)
                        + "\" but the model's is \"" + featureNames.get(j) + "\" (model features: "
                        + String.join(", ", featureNames) + ")");
            }
        }
    }

    /** The configuration of a run, by the names {@code linreg train --json} uses. */
    public static Map<String, Object> configuration(TrainConfig config, int d) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("loss", config.objective().name());
        c.put("quantile", config.objective().isMae() ? null : config.objective().tau());
        c.put("lr", config.lr());
        c.put("epochs", config.epochs());
        c.put("batch_size", config.batchSize());
        c.put("seed", config.seed());
        c.put("shuffle", config.shuffle());
        c.put("threads", config.threads());
        float[] start = config.initialParams(d);
        c.put("init_w", Arrays.copyOf(start, d));
        c.put("init_b", start[d]);
        c.put("lr_schedule", config.schedule().toString());
        c.put("momentum", config.momentum());
        c.put("nesterov", config.nesterov());
        c.put("clip_norm", config.clipNorm());
        c.put("average", config.averages() ? config.averageStart() : null);
        c.put("validation", config.validation());
        c.put("patience", config.patience());
        c.put("tol", config.tol());
        return c;
    }

    /** This linreg's version (the jar's), or "development build". */
    public static String thisLinregVersion() {
        String v = Model.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** The JCuda version linreg is built with. */
    public static String thisJcudaVersion() {
        try {
            return jcuda.JCudaVersion.get();
        } catch (LinkageError e) {
            return "unknown";
        }
    }
}
