package linreg.data;

import java.util.Locale;

/**
 * Z-scores for training ({@code --standardize}): each feature and the target shifted by its
 * mean and divided by its standard deviation, both fitted on the training rows in float64
 * (population standard deviation, divisor n). Parameters learned on the z-scores are mapped
 * back to the original units, so a model's w and b always apply to the data as it is:
 *
 * <pre>
 * w_j = wz_j · σ_y / σ_j
 * b   = μ_y + σ_y · bz − Σ_j w_j · μ_j
 * </pre>
 *
 * <p><b>Constant columns are an error.</b> A feature (or target) whose every value is the same has
 * σ = 0 and no z-score; rather than drop it (which would change the number of features between
 * the data and the model) or leave it unscaled (which silently mixes units), {@link #fit} refuses
 * it and names the column, by its header name where there is one and by its 1-based number. A
 * column is constant when its smallest and largest values are equal, tested exactly, because a
 * rounded mean would make a constant column look like one of tiny spread.
 */
public final class Standardizer {
    private final double[] featureMeans;
    private final double[] featureStds;
    private final double targetMean;
    private final double targetStd;

    /**
     * A standardisation with these parameters (as a model file stores them).
     *
     * @throws IllegalArgumentException unless every mean is finite and every σ finite and > 0
     */
    public Standardizer(double[] featureMeans, double[] featureStds, double targetMean, double targetStd) {
        if (featureMeans.length != featureStds.length || featureMeans.length == 0) {
            throw new IllegalArgumentException("means and standard deviations of " + featureMeans.length + " and "
                    + featureStds.length + " features");
        }
        for (int j = 0; j < featureMeans.length; j++) {
            check(featureMeans[j], featureStds[j], "feature " + (j + 1));
        }
        check(targetMean, targetStd, "the target");
        this.featureMeans = featureMeans.clone();
        this.featureStds = featureStds.clone();
        this.targetMean = targetMean;
        this.targetStd = targetStd;
    }

    private static void check(double mean, double std, String what) {
        if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException(what + ": mean " + mean + " and standard deviation " + std
                    + ", expected finite values and σ > 0");
        }
    }

    /**
     * Fits means and standard deviations on {@code training} (the rows the model trains on).
     *
     * @throws DataException naming a constant column
     */
    public static Standardizer fit(Dataset training) throws DataException {
        int n = training.samples();
        int d = training.features();
        FloatRows rows = training.featureRows();
        // Shifting by the first row keeps the sums small where the values share a large offset.
        double[] shift = new double[d];
        double[] sum = new double[d];
        float[] min = new float[d];
        float[] max = new float[d];
        for (int j = 0; j < d; j++) {
            shift[j] = rows.get(0, j);
            min[j] = rows.get(0, j);
            max[j] = rows.get(0, j);
        }
        float y0 = training.targets().get(0, 0);
        float[] yMin = {y0};
        float[] yMax = {y0};
        double[] ySum = {0};
        training.forEachBlock((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    float v = x[row + j];
                    sum[j] += v - shift[j];
                    min[j] = Math.min(min[j], v);
                    max[j] = Math.max(max[j], v);
                }
                float v = y[i];
                ySum[0] += v - (double) y0;
                yMin[0] = Math.min(yMin[0], v);
                yMax[0] = Math.max(yMax[0], v);
            }
        });
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            if (min[j] == max[j]) {
                throw constant(training, "column " + columnName(training, j) + " (feature " + (j + 1) + ")", min[j]);
            }
            mean[j] = shift[j] + sum[j] / n;
        }
        if (yMin[0] == yMax[0]) {
            String name = training.targetName() != null ? " \"" + training.targetName() + "\"" : "";
            throw constant(training, "the target" + name, yMin[0]);
        }
        double yMean = y0 + ySum[0] / n;
        double[] squares = new double[d];
        double[] ySquares = {0};
        training.forEachBlock((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    double dev = x[row + j] - mean[j];
                    squares[j] += dev * dev;
                }
                ySquares[0] += (y[i] - yMean) * (y[i] - yMean);
            }
        });
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(squares[j] / n);
        }
        return new Standardizer(mean, std, yMean, Math.sqrt(ySquares[0] / n));
    }

    private static String columnName(Dataset data, int j) {
        return data.featureNames() != null ? "\"" + data.featureNames().get(j) + "\"" : Integer.toString(j + 1);
    }

    private static DataException constant(Dataset data, String what, float value) {
        return new DataException(String.format(Locale.ROOT,
                "%s: %s is constant (every value is %s), so it cannot be standardised (σ = 0): "
                        + "remove the column or train without --standardize", data.source(), what, value));
    }

    /** The number of features. */
    public int features() {
        return featureMeans.length;
    }

    public double[] featureMeans() {
        return featureMeans.clone();
    }

    public double[] featureStds() {
        return featureStds.clone();
    }

    public double targetMean() {
        return targetMean;
    }

    /** σ_y: a loss or an error measured on z-scored targets times this is in the target's units. */
    public double targetStd() {
        return targetStd;
    }

    /**
     * {@code data} as z-scores (new arrays, rounded once to float32); the names and source are
     * kept, a generated truth is not (it is in the original units).
     */
    public Dataset transform(Dataset data) {
        int n = data.samples();
        int d = checkFeatures(data.features());
        int segmentRows = data.featureRows() instanceof HeapRows heap ? heap.segmentRows() : HeapRows.segmentRows(d);
        HeapRows zx;
        HeapRows zy;
        try {
            zx = HeapRows.allocate(n, d, segmentRows, data.heapBytes(), data.source() + ": standardising");
            zy = HeapRows.allocate(n, 1, segmentRows, data.heapBytes() + zx.heapBytes(), data.source() + ": standardising");
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        float[] row = new float[d];
        data.forEachBlock((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < d; j++) {
                    row[j] = (float) ((x[i * d + j] - featureMeans[j]) / featureStds[j]);
                }
                zx.setRow(first + i, row, 0);
                zy.set(first + i, 0, (float) ((y[i] - targetMean) / targetStd));
            }
        });
        // The rows keep their weights; the statistics themselves are unweighted (every row once).
        return Dataset.of(zx, zy, data.source(), data.featureNames(), data.targetName()).withWeights(data.weights());
    }

    /** The weights in original units of weights {@code wz} learned on z-scores. */
    public double[] weights(float[] wz) {
        int d = checkFeatures(wz.length);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = wz[j] * targetStd / featureStds[j];
        }
        return w;
    }

    /** The bias in original units of parameters {@code wz}, {@code bz} learned on z-scores. */
    public double bias(float[] wz, float bz) {
        double[] w = weights(wz);
        double b = targetMean + targetStd * bz;
        for (int j = 0; j < w.length; j++) {
            b -= w[j] * featureMeans[j];
        }
        return b;
    }

    /**
     * The z-score weight j of weights {@code w} in original units: the inverse of {@link #weights},
     * in float64, so that a model's float32 z-score weights come back from its saved w.
     */
    public double zWeight(double[] w, int j) {
        checkFeatures(w.length);
        return w[j] * featureStds[j] / targetStd;
    }

    /** The z-score bias of {@code w}, {@code b} in original units: the inverse of {@link #bias}. */
    public double zBias(double[] w, double b) {
        double shifted = b;
        for (int j = 0; j < checkFeatures(w.length); j++) {
            shifted += w[j] * featureMeans[j];
        }
        return (shifted - targetMean) / targetStd;
    }

    private int checkFeatures(int d) {
        if (d != featureMeans.length) {
            throw new IllegalArgumentException("fitted on " + featureMeans.length + " features, given " + d);
        }
        return d;
    }
}
