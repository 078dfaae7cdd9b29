package linreg.spark;

import java.io.Serializable;

/**
 * What the barrier stage hands back to the driver (from its first task; all tasks end with the
 * same): the mixed parameters, the per-epoch history, or why training stopped.
 *
 * @param params w then b after the last epoch
 * @param epochLoss per epoch, the sum over every partition's batch losses
 * @param epochMae per epoch, the mean |residual| over all rows
 * @param rows the rows trained on
 * @param engines per partition, the engine that trained it ("cpu", "gpu 0")
 * @param failure bad input found by a task, or null
 * @param divergedAt the epoch whose loss was not finite, or -1
 */
record MixedRun(float[] params, double[] epochLoss, double[] epochMae, long rows, String[] engines, String failure,
        int divergedAt) implements Serializable {
}
