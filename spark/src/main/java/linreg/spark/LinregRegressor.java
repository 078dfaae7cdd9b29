package linreg.spark;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import linreg.model.Model;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.train.TrainConfig;
import linreg.train.TrainingDivergedException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * linreg-gpu's mini-batch SGD on the MAE loss as a Spark ML estimator: {@code featuresCol} (a
 * vector column), {@code labelCol}, {@code weightCol} (optional: sample weights, as {@code linreg
 * train --weights}; every engine), {@code predictionCol}, and the training parameters of
 * {@code linreg train} under their Spark names.
 *
 * <p>{@code fit} runs one barrier stage of {@code numPartitions} tasks ({@link PartitionTraining}):
 * every epoch each task trains its partition from the shared parameters with the core's engine,
 * then the tasks all-gather and average the parameters (and, with averageStart, each task's running
 * mean of them, carried from epoch to epoch). The result is deterministic for a seed
 * and a partitioning; with one partition it is bit for bit {@code linreg train} on the same rows
 * in the same order. A barrier stage needs a slot for every task at once.
 */
public final class LinregRegressor extends Predictor<Vector, LinregRegressor, LinregRegressionModel>
        implements DefaultParamsWritable {
    private static final Logger LOG = LoggerFactory.getLogger(LinregRegressor.class);

    /** Set by the first {@link #uid()}, which Spark's own params call before this constructor runs. */
    private String uid;

    // Each parameter: its declaration, its default from the core's TrainConfig, an accessor, a
    // setter, and one line in settings().
    private final Param<String> loss = new Param<>(this, "loss", "the loss: mae or quantile",
            ParamValidators.inArray(names(Objective.Kind.values())));
    private final DoubleParam quantile = new DoubleParam(this, "quantile", "tau of the quantile loss (in (0, 1))",
            ParamValidators.inRange(0, 1, false, false));
    private final DoubleParam lr = new DoubleParam(this, "lr", "step size (> 0; rounded to float32)", ParamValidators.gt(0));
    private final Param<String> lrSchedule = new Param<>(this, "lrSchedule", "per-epoch step size: constant, invsqrt or step",
            ParamValidators.inArray(names(LearningRateSchedule.Kind.values())));
    private final DoubleParam lrDecay = new DoubleParam(this, "lrDecay", "T of invsqrt, lr / sqrt(1 + epoch / T) (> 0)",
            ParamValidators.gt(0));
    private final IntParam lrStepEvery = new IntParam(this, "lrStepEvery", "K of step, lr * gamma^floor(epoch / K) (>= 1)",
            ParamValidators.gtEq(1));
    private final DoubleParam lrGamma = new DoubleParam(this, "lrGamma", "gamma of step (in (0, 1])",
            ParamValidators.inRange(0, 1, false, true));
    private final IntParam epochs = new IntParam(this, "epochs", "passes over the data (>= 0)", ParamValidators.gtEq(0));
    private final IntParam batchSize = new IntParam(this, "batchSize", "rows per step, in each partition (>= 1)",
            ParamValidators.gtEq(1));
    private final LongParam seed = new LongParam(this, "seed", "seed of the start w0 and of every epoch's order");
    private final BooleanParam shuffle = new BooleanParam(this, "shuffle", "each epoch in the seeded order (else row order)");
    private final DoubleParam momentum = new DoubleParam(this, "momentum", "momentum (in [0, 1); 0: none)",
            ParamValidators.inRange(0, 1, true, false));
    private final BooleanParam nesterov = new BooleanParam(this, "nesterov", "Nesterov's momentum (needs momentum > 0)");
    private final DoubleParam clipNorm = new DoubleParam(this, "clipNorm", "gradient clipping norm (0: none)",
            ParamValidators.gtEq(0));
    private final BooleanParam fitIntercept = new BooleanParam(this, "fitIntercept",
            "fit the bias b (else b stays 0; linreg train --no-intercept)");
    private final DoubleParam l2 = new DoubleParam(this, "l2", "L2 penalty on w, added to its gradient (>= 0; 0: none)",
            ParamValidators.gtEq(0));
    private final DoubleParam l1 = new DoubleParam(this, "l1",
            "L1 penalty on w, a soft-threshold after each step (>= 0; 0: none)", ParamValidators.gtEq(0));
    private final IntParam averageStart = new IntParam(this, "averageStart",
            "the epoch from which the parameters are averaged (Polyak-Ruppert; every engine), -1: none",
            ParamValidators.gtEq(-1));
    private final IntParam threads = new IntParam(this, "threads", "CPU engine threads per task (>= 1)", ParamValidators.gtEq(1));
    private final Param<String> engine = new Param<>(this, "engine",
            "cpu, gpu (the task's GPU from Spark's resource scheduling, else device 0) or auto (the task's GPU if it has one, else the CPU)",
            ParamValidators.inArray(new String[] {"auto", "cpu", "gpu"}));
    private final Param<String> weightCol = new Param<>(this, "weightCol",
            "the sample weights' column (finite, >= 0, not all 0 in a partition); unset: every row counts once");
    private final IntParam numPartitions = new IntParam(this, "numPartitions",
            "tasks of the barrier stage, one a partition (default: the input's partitions)", ParamValidators.gtEq(1));

    public LinregRegressor(String uid) {
        this(PendingUid.stage(uid));
    }

    private LinregRegressor(Void staged) {
        TrainConfig core = TrainConfig.builder().build();
        LearningRateSchedule schedule = core.optimiser().schedule();
        setDefault(loss, core.objective().name());
        setDefault(quantile, core.objective().tau());
        setDefault(lr, (double) core.optimiser().lr());
        setDefault(lrSchedule, schedule.kind().name());
        setDefault(lrDecay, schedule.decayEpochs());
        setDefault(lrStepEvery, schedule.stepEvery());
        setDefault(lrGamma, schedule.gamma());
        setDefault(epochs, core.epochs());
        setDefault(batchSize, core.batchSize());
        setDefault(seed, core.seed());
        setDefault(shuffle, core.shuffle());
        setDefault(momentum, (double) core.optimiser().momentum());
        setDefault(nesterov, core.optimiser().nesterov());
        setDefault(clipNorm, (double) core.optimiser().clip());
        setDefault(fitIntercept, core.optimiser().intercept());
        setDefault(l2, (double) core.optimiser().l2Alpha());
        setDefault(l1, (double) core.optimiser().l1Alpha());
        setDefault(averageStart, core.optimiser().averageStart());
        setDefault(threads, core.threads());
        setDefault(engine, "auto");
    }

    public LinregRegressor() {
        this(Identifiable.randomUID("linreg"));
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take();
        }
        return uid;
    }

    /** The training parameters as the tasks take them. */
    SgdSettings settings(int partitions) {
        return new SgdSettings(getLoss(), getQuantile(), (float) getLr(), getLrSchedule(), getLrDecay(), getLrStepEvery(), getLrGamma(),
                getEpochs(), getBatchSize(), getSeed(), getShuffle(), (float) getMomentum(), getNesterov(),
                (float) getClipNorm(), getFitIntercept(), (float) getL2(), (float) getL1(), getAverageStart(), getThreads(),
                getEngine(), partitions);
    }

    @Override
    public LinregRegressionModel train(Dataset<?> dataset) {
        JavaRDD<Row> rows = (isWeighted()
                ? dataset.select(functions.col(getFeaturesCol()), functions.col(getLabelCol()).cast("double"),
                        functions.col(getWeightCol()).cast("double"))
                : dataset.select(functions.col(getFeaturesCol()), functions.col(getLabelCol()).cast("double"))).javaRDD();
        int partitions = isDefined(numPartitions) ? getNumPartitions() : rows.getNumPartitions();
        SgdSettings settings = settings(partitions);
        TrainConfig run = settings.config();  // the core checks the values together (nesterov needs momentum)
        JavaRDD<Row> placed = rows.zipWithIndex().mapToPair(Tuple2::swap)
                .repartitionAndSortWithinPartitions(new RowOrder(partitions)).values();
        MixedRun[] results = (MixedRun[]) placed.rdd().barrier()
                .mapPartitions(new PartitionTraining(settings), false, ClassTag$.MODULE$.apply(MixedRun.class))
                .collect();
        MixedRun result = results[0];
        if (result.failure() != null) {
            throw new IllegalArgumentException(result.failure());
        }
        for (int e = 0; e < result.epochLoss().length; e++) {
            LOG.info(String.format(Locale.ROOT, "epoch %03d: loss: %.6f, mae: %.6f", e, result.epochLoss()[e],
                    result.epochMae()[e]));
        }
        if (result.divergedAt() >= 0) {
            int e = result.divergedAt();
            throw new TrainingDivergedException(e, result.epochLoss()[e], run.optimiser().rate(e));
        }
        LOG.info("trained on {} rows in {} partitions; engines: {}", result.rows(), partitions,
                String.join(", ", result.engines()));
        return new LinregRegressionModel(uid, model(result, settings));
    }

    /** The core's model of the run: what {@code linreg predict} reads from the saved model.json. */
    private Model model(MixedRun result, SgdSettings settings) {
        float[] params = result.params();
        int d = params.length - 1;
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = params[j];
        }
        Map<String, Object> training = settings.describe(d);
        training.put("epochs_trained", result.epochLoss().length);
        training.put("weights", isWeighted() ? "column \"" + getWeightCol() + "\"" : null);
        training.put(LinregRegressionModel.EPOCH_LOSS, result.epochLoss());
        training.put(LinregRegressionModel.EPOCH_MAE, result.epochMae());
        TreeSet<String> kinds = new TreeSet<>();
        for (String name : result.engines()) {
            kinds.add(name.split(" ")[0]);
        }
        kinds.remove("none");
        return new Model(w, params[d], null, getLabelCol(), null, training, String.join("+", kinds),
                Model.thisLinregVersion(), Model.thisJcudaVersion(), "spark", result.rows(), null, null);
    }

    @Override
    public LinregRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<LinregRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static LinregRegressor load(String path) {
        return read().load(path);
    }

    private static String[] names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toArray(String[]::new);
    }

    public DoubleParam lr() { return lr; }
    public double getLr() { return (Double) $(lr); }
    public LinregRegressor setLr(double value) { return (LinregRegressor) set(lr, value); }

    public Param<String> lrSchedule() { return lrSchedule; }
    public String getLrSchedule() { return $(lrSchedule); }
    public LinregRegressor setLrSchedule(String value) { return (LinregRegressor) set(lrSchedule, value); }

    public DoubleParam lrDecay() { return lrDecay; }
    public double getLrDecay() { return (Double) $(lrDecay); }
    public LinregRegressor setLrDecay(double value) { return (LinregRegressor) set(lrDecay, value); }

    public IntParam lrStepEvery() { return lrStepEvery; }
    public int getLrStepEvery() { return (Integer) $(lrStepEvery); }
    public LinregRegressor setLrStepEvery(int value) { return (LinregRegressor) set(lrStepEvery, value); }

    public DoubleParam lrGamma() { return lrGamma; }
    public double getLrGamma() { return (Double) $(lrGamma); }
    public LinregRegressor setLrGamma(double value) { return (LinregRegressor) set(lrGamma, value); }

    public Param<String> loss() { return loss; }
    public String getLoss() { return $(loss); }
    public LinregRegressor setLoss(String value) { return (LinregRegressor) set(loss, value); }

    public DoubleParam quantile() { return quantile; }
    public double getQuantile() { return (Double) $(quantile); }
    public LinregRegressor setQuantile(double value) { return (LinregRegressor) set(quantile, value); }

    public IntParam epochs() { return epochs; }
    public int getEpochs() { return (Integer) $(epochs); }
    public LinregRegressor setEpochs(int value) { return (LinregRegressor) set(epochs, value); }

    public IntParam batchSize() { return batchSize; }
    public int getBatchSize() { return (Integer) $(batchSize); }
    public LinregRegressor setBatchSize(int value) { return (LinregRegressor) set(batchSize, value); }

    public LongParam seed() { return seed; }
    public long getSeed() { return (Long) $(seed); }
    public LinregRegressor setSeed(long value) { return (LinregRegressor) set(seed, value); }

    public BooleanParam shuffle() { return shuffle; }
    public boolean getShuffle() { return (Boolean) $(shuffle); }
    public LinregRegressor setShuffle(boolean value) { return (LinregRegressor) set(shuffle, value); }

    public DoubleParam momentum() { return momentum; }
    public double getMomentum() { return (Double) $(momentum); }
    public LinregRegressor setMomentum(double value) { return (LinregRegressor) set(momentum, value); }

    public BooleanParam nesterov() { return nesterov; }
    public boolean getNesterov() { return (Boolean) $(nesterov); }
    public LinregRegressor setNesterov(boolean value) { return (LinregRegressor) set(nesterov, value); }

    public DoubleParam clipNorm() { return clipNorm; }
    public double getClipNorm() { return (Double) $(clipNorm); }
    public LinregRegressor setClipNorm(double value) { return (LinregRegressor) set(clipNorm, value); }

    public BooleanParam fitIntercept() { return fitIntercept; }
    public boolean getFitIntercept() { return (Boolean) $(fitIntercept); }
    public LinregRegressor setFitIntercept(boolean value) { return (LinregRegressor) set(fitIntercept, value); }

    public DoubleParam l2() { return l2; }
    public double getL2() { return (Double) $(l2); }
    public LinregRegressor setL2(double value) { return (LinregRegressor) set(l2, value); }

    public DoubleParam l1() { return l1; }
    public double getL1() { return (Double) $(l1); }
    public LinregRegressor setL1(double value) { return (LinregRegressor) set(l1, value); }

    public IntParam averageStart() { return averageStart; }
    public int getAverageStart() { return (Integer) $(averageStart); }
    public LinregRegressor setAverageStart(int value) { return (LinregRegressor) set(averageStart, value); }

    public IntParam threads() { return threads; }
    public int getThreads() { return (Integer) $(threads); }
    public LinregRegressor setThreads(int value) { return (LinregRegressor) set(threads, value); }

    public Param<String> engine() { return engine; }
    public String getEngine() { return $(engine); }
    public LinregRegressor setEngine(String value) { return (LinregRegressor) set(engine, value); }

    public Param<String> weightCol() { return weightCol; }
    public String getWeightCol() { return $(weightCol); }
    public LinregRegressor setWeightCol(String value) { return (LinregRegressor) set(weightCol, value); }
    private boolean isWeighted() { return isDefined(weightCol) && !getWeightCol().isEmpty(); }

    public IntParam numPartitions() { return numPartitions; }
    public int getNumPartitions() { return (Integer) $(numPartitions); }
    public LinregRegressor setNumPartitions(int value) { return (LinregRegressor) set(numPartitions, value); }
}
