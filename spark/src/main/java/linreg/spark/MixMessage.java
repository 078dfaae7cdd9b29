package linreg.spark;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * What a task tells the others after an epoch (through the barrier's all-gather, which carries
 * text): its rows, the epoch's loss sums and its parameters, the floats by their bits, so that
 * averaging sees exactly what each task computed.
 *
 * @param rows the partition's rows (0 for an empty partition: it weighs nothing)
 * @param weight what the partition weighs in the mix: its rows, or the sum of its sample weights
 * @param features d, which every partition must share
 * @param loss the tutorial's epoch loss on the partition: the sum of its batch losses
 * @param mae the mean |r| over the partition's samples in the epoch
 * @param params w then b after the epoch (its last step's, with averaging)
 * @param mean with averaging, the task's running mean of them (w then b) after the epoch; else empty
 * @param steps the steps the task's mean averages (0: none yet)
 * @param engine the engine that trains the partition ("cpu", "gpu 0"), in the first round
 * @param failure why the task cannot train (bad rows, no GPU), in the first round, or null
 */
record MixMessage(long rows, double weight, int features, double loss, double mae, float[] params, float[] mean, long steps,
        String engine, String failure) {
    /**
     * The first round's message. Each all-gather costs about a second (a Spark 3.5 task polls for
     * the answer every 1000 ms), so it says everything the tasks must know before the epochs.
     */
    static MixMessage start(long rows, int features, String engine, String failure) {
        return new MixMessage(rows, rows, features, 0, 0, new float[0], new float[0], 0, engine, failure);
    }

    /** An epoch's message. */
    static MixMessage epoch(long rows, double weight, int features, double loss, double mae, float[] params, float[] mean,
            long steps) {
        return new MixMessage(rows, weight, features, loss, mae, params, mean == null ? new float[0] : mean, steps, "", null);
    }

    String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(8 + 8 + 4 + 8 + 8 + 4 + 4 * params.length + 4 + 4 * mean.length + 8);
        buffer.putLong(rows).putDouble(weight).putInt(features).putDouble(loss).putDouble(mae).putInt(params.length);
        for (float p : params) {
            buffer.putFloat(p);
        }
        buffer.putInt(mean.length);
        for (float a : mean) {
            buffer.putFloat(a);
        }
        buffer.putLong(steps);
        String body = Base64.getEncoder().encodeToString(buffer.array()) + "\n" + engine;
        return failure == null ? body : body + "\n" + failure;
    }

    static MixMessage decode(String text) {
        String[] parts = text.split("\n", 3);
        String failure = parts.length > 2 ? parts[2] : null;
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(parts[0]));
        long rows = buffer.getLong();
        double weight = buffer.getDouble();
        int features = buffer.getInt();
        double loss = buffer.getDouble();
        double mae = buffer.getDouble();
        float[] params = new float[buffer.getInt()];
        for (int j = 0; j < params.length; j++) {
            params[j] = buffer.getFloat();
        }
        float[] mean = new float[buffer.getInt()];
        for (int j = 0; j < mean.length; j++) {
            mean[j] = buffer.getFloat();
        }
        return new MixMessage(rows, weight, features, loss, mae, params, mean, buffer.getLong(), parts[1], failure);
    }

    /**
     * The parameters mixed: each task's weighted by its share of the rows (of the sample weights,
     * for weighted rows), summed in float64 in
     * partition order and rounded once to float32. With one partition (share 1) they are its bits.
     */
    static float[] average(MixMessage[] messages) {
        return average(messages, MixMessage::params);
    }

    /** The tasks' running means mixed as {@link #average(MixMessage[])} mixes the parameters; empty without averaging. */
    static float[] averageMean(MixMessage[] messages) {
        return average(messages, MixMessage::mean);
    }

    private static float[] average(MixMessage[] messages, java.util.function.Function<MixMessage, float[]> part) {
        int size = 0;
        for (MixMessage m : messages) {
            size = Math.max(size, part.apply(m).length);
        }
        double[] sum = new double[size];
        for (MixMessage m : messages) {
            double share = share(m, messages);
            float[] values = part.apply(m);
            for (int j = 0; share > 0 && j < size; j++) {
                sum[j] += share * values[j];
            }
        }
        float[] mixed = new float[size];
        for (int j = 0; j < size; j++) {
            mixed[j] = (float) sum[j];
        }
        return mixed;
    }

    /** The epoch's mean |r| over all rows (weighted mean, for weighted rows): the tasks' means weighted by their shares. */
    static double mae(MixMessage[] messages) {
        double sum = 0;
        for (MixMessage m : messages) {
            sum += share(m, messages) * m.mae;
        }
        return sum;
    }

    /** The epoch's loss: every task's sum of batch losses, summed (the tutorial's sum over all batches). */
    static double loss(MixMessage[] messages) {
        double sum = 0;
        for (MixMessage m : messages) {
            sum += m.loss;
        }
        return sum;
    }

    /** The rows of every task. */
    static long rows(MixMessage[] messages) {
        long total = 0;
        for (MixMessage m : messages) {
            total += m.rows;
        }
        return total;
    }

    private static double share(MixMessage m, MixMessage[] messages) {
        double total = 0;
        for (MixMessage other : messages) {
            total += other.weight;
        }
        return m.weight == 0 ? 0 : m.weight / total;
    }
}
