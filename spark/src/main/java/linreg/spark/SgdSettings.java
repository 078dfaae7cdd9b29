package linreg.spark;

import java.io.Serializable;
import java.util.Map;
import linreg.model.TrainingCodec;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.train.ConfigException;
import linreg.train.TrainConfig;

/**
 * The training parameters of one fit, as the tasks receive them: the values of
 * {@link LinregRegressor}'s params, turned into the core's {@link TrainConfig} on each executor.
 * A new parameter of {@code linreg train} is a field here, one builder line in {@link #config()}
 * and a param in LinregRegressor.
 *
 * @param averageStart the epoch from which the parameters are averaged, or -1: none
 * @param engine cpu, gpu or auto (a task's GPU when its executor has one, else the CPU)
 * @param partitions tasks of the barrier stage, one a partition
 */
record SgdSettings(String loss, double quantile, float lr, String schedule, double lrDecay, int lrStepEvery, double lrGamma, int epochs,
        int batchSize, long seed, boolean shuffle, float momentum, boolean nesterov, float clipNorm, boolean fitIntercept, float l2,
        float l1, int averageStart, int threads, String engine, int partitions) implements Serializable {

    /**
     * The run every task trains epoch by epoch; its start is the core's for this seed.
     *
     * @throws IllegalArgumentException naming a bad value by its param ("nesterov needs momentum > 0")
     */
    TrainConfig config() {
        try {
            return build();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.message(SgdSettings::param, e.value() == null ? null : e.value().toString()));
        }
    }

    /** The param of a setting of the core's configuration: "clip_norm" is clipNorm. */
    private static String param(String setting) {
        StringBuilder s = new StringBuilder();
        for (String word : setting.split("_")) {
            s.append(s.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return s.toString();
    }

    private TrainConfig build() {
        return TrainConfig.builder()
                .objective(Objective.of(Objective.Kind.valueOf(loss), quantile))
                .lr(lr)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.valueOf(schedule), lrDecay, lrStepEvery, lrGamma))
                .epochs(epochs)
                .batchSize(batchSize)
                .seed(seed)
                .shuffle(shuffle)
                .momentum(momentum)
                .nesterov(nesterov)
                .clipNorm(clipNorm > 0 ? clipNorm : null)
                .intercept(fitIntercept)
                .l2(l2 > 0 ? l2 : null)
                .l1(l1 > 0 ? l1 : null)
                .average(averageStart >= 0 ? averageStart : null)
                .threads(threads)
                .build();
    }

    /** The settings for d features as {@code linreg train --json} and the model file spell them, and the Spark ones. */
    Map<String, Object> describe(int d) {
        Map<String, Object> c = TrainingCodec.write(config(), d);
        c.put("engine", engine);
        c.put("spark_partitions", partitions);
        return c;
    }
}
