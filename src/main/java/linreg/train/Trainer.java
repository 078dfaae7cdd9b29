package linreg.train;

import linreg.data.Dataset;

/** A training engine: runs the tutorial's mini-batch SGD on the MAE loss over a dataset. */
public interface Trainer {
    /** Short engine name: "cpu" or "gpu". */
    String name();

    /**
     * Trains from {@code config}'s start for {@code config.epochs()} epochs.
     *
     * @throws TrainingDivergedException when an epoch's loss is NaN or infinite
     */
    TrainResult train(Dataset data, TrainConfig config, EpochListener listener);

    /** {@link #train(Dataset, TrainConfig, EpochListener)} without a listener. */
    default TrainResult train(Dataset data, TrainConfig config) {
        return train(data, config, EpochListener.NONE);
    }
}
