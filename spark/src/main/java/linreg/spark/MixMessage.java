package linreg.spark;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * What a task tells the others after an epoch (through the barrier's all-gather, which carries
 * text): its rows, the epoch's loss sums and its parameters, the floats by their bits, so that
 * averaging sees exactly what each task computed.
 *
 * @param rows the partition's rows (0 for an empty partition: it weighs nothing)
 * @param features d, which every partition must share
 * @param loss the tutorial's epoch loss on the partition: the sum of its batch losses
 * @param mae the mean |r| over the partition's samples in the epoch
 * @param params w then b after the epoch
 * @param failure why the task could not go on (diverged, bad rows), or null
 */
record MixMessage(long rows, int features, double loss, double mae, float[] params, String failure) {

    String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(8 + 4 + 8 + 8 + 4 + 4 * params.length);
        buffer.putLong(rows).putInt(features).putDouble(loss).putDouble(mae).putInt(params.length);
        for (float p : params) {
            buffer.putFloat(p);
        }
        String body = Base64.getEncoder().encodeToString(buffer.array());
        return failure == null ? body : body + "\n" + failure;
    }

    static MixMessage decode(String text) {
        int cut = text.indexOf('\n');
        String failure = cut < 0 ? null : text.substring(cut + 1);
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(cut < 0 ? text : text.substring(0, cut)));
        long rows = buffer.getLong();
        int features = buffer.getInt();
        double loss = buffer.getDouble();
        double mae = buffer.getDouble();
        float[] params = new float[buffer.getInt()];
        for (int j = 0; j < params.length; j++) {
            params[j] = buffer.getFloat();
        }
        return new MixMessage(rows, features, loss, mae, params, failure);
    }

    /**
     * The parameters mixed: each task's weighted by its share of the rows, summed in float64 in
     * partition order and rounded once to float32. With one partition (share 1) they are its bits.
     */
    static float[] average(MixMessage[] messages) {
        int size = 0;
        for (MixMessage m : messages) {
            size = Math.max(size, m.params.length);
        }
        double[] sum = new double[size];
        for (MixMessage m : messages) {
            double share = share(m, messages);
            for (int j = 0; share > 0 && j < size; j++) {
                sum[j] += share * m.params[j];
            }
        }
        float[] mixed = new float[size];
        for (int j = 0; j < size; j++) {
            mixed[j] = (float) sum[j];
        }
        return mixed;
    }

    /** The epoch's mean |r| over all rows: the tasks' means weighted by their shares. */
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
        return m.rows == 0 ? 0 : m.rows / (double) rows(messages);
    }
}
