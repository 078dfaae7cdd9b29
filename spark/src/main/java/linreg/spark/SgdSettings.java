package linreg.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import linreg.train.LearningRateSchedule;
import linreg.train.TrainConfig;

/**
 * The training parameters of one fit, as the tasks receive them: the values of
 * {@link LinregRegressor}'s params, turned into the core's {@link TrainConfig} on each executor.
 * A new parameter of {@code linreg train} is a field here, one builder line in {@link #config()}
 * and a param in LinregRegressor.
 *
 * @param engine cpu, gpu or auto (a task's GPU when its executor has one, else the CPU)
 * @param partitions tasks of the barrier stage, one a partition
 */
record SgdSettings(float lr, String schedule, double lrDecay, int lrStepEvery, double lrGamma, int epochs,
        int batchSize, long seed, boolean shuffle, float momentum, boolean nesterov, float clipNorm, int threads,
        String engine, int partitions) implements Serializable {

    /** The run every task trains epoch by epoch; its start is the core's for this seed. */
    TrainConfig config() {
        return TrainConfig.builder()
                .lr(lr)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.valueOf(schedule), lrDecay, lrStepEvery, lrGamma))
                .epochs(epochs)
                .batchSize(batchSize)
                .seed(seed)
                .shuffle(shuffle)
                .momentum(momentum)
                .nesterov(nesterov)
                .clipNorm(clipNorm)
                .threads(threads)
                .build();
    }

    /** The settings under the names {@code linreg train --json} and the model file use. */
    Map<String, Object> describe() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("lr", lr);
        c.put("lr_schedule", config().schedule().toString());
        c.put("epochs", epochs);
        c.put("batch_size", batchSize);
        c.put("seed", seed);
        c.put("shuffle", shuffle);
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        c.put("clip_norm", clipNorm);
        c.put("threads", threads);
        c.put("engine", engine);
        c.put("spark_partitions", partitions);
        return c;
    }
}
