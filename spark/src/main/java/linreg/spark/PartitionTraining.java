package linreg.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import linreg.data.Dataset;
import linreg.train.ResumedEpoch;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.TrainingDivergedException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of the barrier stage: its partition's rows trained epoch by epoch with the core's
 * engine, every task from the same parameters, then the parameters all-gathered and averaged
 * (iterative parameter mixing, McDonald, Hall and Mann 2010), each task's by its share of the
 * rows, or of the sample weights for weighted rows. With averaging each task also keeps
 * the running mean of its parameters and its step count from epoch to epoch; the means are mixed
 * as the parameters are, each task's count stays its own (its partition's batches), and the
 * result is the mixed mean. Every task takes the same decisions
 * from the same gathered messages, so all meet at every all-gather and end together.
 *
 * <p>Rows are (features vector, label), the label already cast to double.
 */
final class PartitionTraining extends AbstractFunction1<Iterator<Row>, Iterator<MixedRun>> implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTraining.class);

    private final SgdSettings settings;

    PartitionTraining(SgdSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<MixedRun> apply(Iterator<Row> rows) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int partition = context.partitionId();
        MixedRun run = train(rows, partition, context::allGather,
                engineRows -> TaskEngine.open(settings.engine(), engineRows, settings.config(), context.resourcesJMap()));
        List<MixedRun> out = partition == 0 ? List.of(run) : List.of();  // every task ends with the same run
        return JavaConverters.asScalaIteratorConverter(out.iterator()).asScala();
    }

    /** What a task opens its engine with: its rows. */
    interface EngineOpener {
        TaskEngine open(Dataset rows);
    }

    /**
     * The epochs of one task.
     *
     * @param gather the barrier's all-gather: this task's message in, every task's, in partition order, out
     */
    MixedRun train(Iterator<Row> rows, int partition, Function<String, String[]> gather, EngineOpener opener) {
        TrainConfig run = settings.config();
        Dataset data = null;
        String failure = null;
        try {
            data = PartitionRows.read(rows, partition);
        } catch (IllegalArgumentException e) {
            failure = e.getMessage();
        }
        TaskEngine engine = null;
        try {
            if (data != null && failure == null) {
                engine = opener.open(data);
            }
        } catch (RuntimeException e) {
            failure = "partition " + partition + ": " + e.getMessage();
        }
        try (TaskEngine closing = engine) {
            long count = data == null ? 0 : data.samples();
            double weight = data == null ? 0 : data.weighted() ? totalWeight(data.weights().values()) : count;
            int d = data == null ? 0 : data.features();
            MixMessage[] start = gatherAll(gather,
                    MixMessage.start(count, d, engine == null ? "none (no rows)" : engine.name(), failure));
            String[] engines = Arrays.stream(start).map(MixMessage::engine).toArray(String[]::new);
            String problem = startProblem(start);
            if (problem != null) {
                return new MixedRun(null, null, null, 0, engines, problem, -1);
            }
            d = Arrays.stream(start).mapToInt(MixMessage::features).max().orElse(0);
            float[] params = run.initialParams(d);
            float[] mean = null;  // with averaging, the mixed running mean once a step was averaged
            long steps = 0;  // this task's averaged steps
            double[] loss = new double[run.epochs()];
            double[] mae = new double[run.epochs()];
            for (int e = 0; e < run.epochs(); e++) {
                MixMessage mine = MixMessage.epoch(0, 0, d, 0, 0, params, mean, steps);
                if (engine != null) {
                    mine = epoch(engine, run, e, params, mean, steps, count, weight);
                }
                steps = mine.steps();
                MixMessage[] all = gatherAll(gather, mine);
                loss[e] = MixMessage.loss(all);
                mae[e] = MixMessage.mae(all);
                if (!Double.isFinite(loss[e])) {
                    return new MixedRun(params, Arrays.copyOf(loss, e + 1), Arrays.copyOf(mae, e + 1),
                            MixMessage.rows(all), engines, null, e);
                }
                params = MixMessage.average(all);
                float[] mixedMean = MixMessage.averageMean(all);
                mean = mixedMean.length > 0 ? mixedMean : null;
                if (partition == 0) {
                    LOG.info(String.format(Locale.ROOT, "epoch %03d: loss: %.6f, mae: %.6f", e, loss[e], mae[e]));
                }
            }
            return new MixedRun(mean != null ? mean : params, loss, mae, MixMessage.rows(start), engines, null, -1);
        }
    }

    /**
     * One epoch of the partition from the shared parameters (and running mean); a diverged one
     * reports a NaN loss.
     */
    private static MixMessage epoch(TaskEngine engine, TrainConfig run, int e, float[] params, float[] mean, long steps,
            long count, double weight) {
        int d = params.length - 1;
        TrainConfig one = ResumedEpoch.of(run, e, Arrays.copyOf(params, d), params[d], mean, mean == null ? 0 : steps);
        try {
            TrainResult result = engine.train(one);
            float[] ended = result.params();
            if (!run.optimiser().averages()) {
                return MixMessage.epoch(count, weight, d, result.epochLoss()[0], result.epochMae()[0], ended, null, 0);
            }
            // With averaging the result is the mean; the epoch's last step is the iterate.
            float[] after = result.iterate();
            return MixMessage.epoch(count, weight, d, result.epochLoss()[0], result.epochMae()[0], after,
                    result.averagedSteps() > 0 ? ended : null, result.averagedSteps());
        } catch (TrainingDivergedException diverged) {
            return MixMessage.epoch(count, weight, d, Double.NaN, Double.NaN, params, mean, steps);
        }
    }

    /** The partition's sample weights summed in float64: its share of a weighted mix. */
    private static double totalWeight(float[] v) {
        double total = 0;
        for (float x : v) {
            total += x;
        }
        return total;
    }

    private static MixMessage[] gatherAll(Function<String, String[]> gather, MixMessage mine) {
        return Arrays.stream(gather.apply(mine.encode())).map(MixMessage::decode).toArray(MixMessage[]::new);
    }

    /** A task's bad rows, partitions of different widths, or no rows at all; else null. */
    private static String startProblem(MixMessage[] start) {
        int d = 0;
        for (int p = 0; p < start.length; p++) {
            if (start[p].failure() != null) {
                return start[p].failure();
            }
            if (start[p].rows() > 0) {
                if (d != 0 && start[p].features() != d) {
                    return "the features column holds vectors of " + d + " and of " + start[p].features()
                            + " values (partition " + p + "); every row needs the same number of features";
                }
                d = start[p].features();
            }
        }
        return MixMessage.rows(start) == 0 ? "the data has no rows to train on" : null;
    }
}
