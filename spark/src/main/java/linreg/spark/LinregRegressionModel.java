package linreg.spark;

import java.util.List;
import linreg.model.Model;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A fitted {@link LinregRegressor}: the core's {@link Model} ({@code y = x·w + b}); {@code
 * transform} adds {@code predictionCol}. Saved as Spark ML's metadata plus the core's model file
 * ({@code model.json}, which {@code linreg predict --model} reads), see {@link ModelStore}.
 */
public final class LinregRegressionModel extends PredictionModel<Vector, LinregRegressionModel> implements MLWritable {
    /** Keys of the per-epoch history in the model's training configuration. */
    static final String EPOCH_LOSS = "epoch_loss";
    static final String EPOCH_MAE = "epoch_mae";

    /** Set by the first {@link #uid()}, which Spark's own params call before this constructor runs. */
    private String uid;
    /** The whole core model, on the driver; tasks that predict get w and b alone. */
    private transient Model model;
    private final double[] w;
    private final double b;

    LinregRegressionModel(String uid, Model model) {
        this(PendingUid.stage(uid), model);
    }

    private LinregRegressionModel(Void staged, Model model) {
        this.model = model;
        this.w = model.w();
        this.b = model.b();
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take();
        }
        return uid;
    }

    /** The core's model: w, b and how they were trained. */
    public Model linregModel() {
        return model;
    }

    /** The learned weights. */
    public double[] weights() {
        return model.w();
    }

    /** The learned bias. */
    public double bias() {
        return model.b();
    }

    /** Per epoch, the sum over every partition's batch losses (the tutorial's epoch loss). */
    public double[] epochLoss() {
        return history(EPOCH_LOSS);
    }

    /** Per epoch, the mean |residual| over all rows, each taken at its own step's parameters. */
    public double[] epochMae() {
        return history(EPOCH_MAE);
    }

    /** A history as it was trained (double[]) or as read back from the model file (a list of numbers). */
    private double[] history(String key) {
        Object value = model.training().get(key);
        if (value instanceof double[] values) {
            return values.clone();
        }
        if (value instanceof List<?> list) {
            return list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }
        return new double[0];
    }

    @Override
    public int numFeatures() {
        return model.features();
    }

    /** b + Σ w_j·x_j in float64 on the features rounded to float32, as {@code linreg predict} computes it. */
    @Override
    public double predict(Vector features) {
        int d = w.length;
        if (features.size() != d) {
            throw new IllegalArgumentException("the model has " + d + " features but a row has " + features.size());
        }
        float[] x = new float[d];
        for (int j = 0; j < d; j++) {
            x[j] = (float) features.apply(j);
        }
        return predictor().predict(x, 0);
    }

    /** The model that predicts: the whole one, or on a task one of w and b. */
    private Model predictor() {
        if (model == null) {
            model = new Model(w, b, null, null, null, null, null, null, null, null, 0, null, null);
        }
        return model;
    }

    @Override
    public LinregRegressionModel copy(ParamMap extra) {
        return copyValues(new LinregRegressionModel(uid(), model), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelStore.Writer(this);
    }

    public static MLReader<LinregRegressionModel> read() {
        return new ModelStore.Reader();
    }

    public static LinregRegressionModel load(String path) {
        return read().load(path);
    }
}
