package linreg.train;

import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.Standardizer;

/**
 * Training on z-scores ({@code --standardize}): fits the standardisation on the training rows
 * (the hold-out excluded, as the engines will split it), trains any engine on the z-scored data,
 * and gives everything back in the original units: w and b (in float64), the losses and the
 * held-out MAE and RMSE times σ_y (R² is unit-free).
 *
 * @param result the run in original units (w and b rounded to float32 for display)
 * @param standardizer the fitted standardisation
 * @param w the learned weights in original units
 * @param b the learned bias in original units
 */
public record StandardizedTraining(TrainResult result, Standardizer standardizer, double[] w, double b) {

    /** Fits on {@code data}'s training rows, trains on z-scores, maps back. */
    public static StandardizedTraining train(Trainer trainer, Dataset data, TrainConfig config, EpochListener listener)
            throws DataException {
        return train(trainer, data, config, listener, null);
    }

    /** The same through {@code given} (a continued model's), or fitted when it is null. */
    public static StandardizedTraining train(Trainer trainer, Dataset data, TrainConfig config, EpochListener listener,
            Standardizer given) throws DataException {
        Standardizer z = given;
        if (z == null) {
            z = Standardizer.fit(config.holdOut().validates()
                    ? ValidationSplit.of(data, config.holdOut().share(), config.seed()).training() : data);
        }
        double scale = z.targetStd();
        TrainResult zResult = trainer.train(z.transform(data), config, scaled(listener, scale));
        double[] w = z.weights(zResult.w());
        double b = z.bias(zResult.w(), zResult.b());
        float[] wf = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            wf[j] = (float) w[j];
        }
        ValidationMetrics[] validation = null;
        if (zResult.validation() != null) {
            validation = new ValidationMetrics[zResult.validation().length];
            for (int e = 0; e < validation.length; e++) {
                validation[e] = scaled(zResult.validation()[e], scale);
            }
        }
        TrainResult original = new TrainResult(zResult.engine(), zResult.detail() + ", on z-scores", wf, (float) b,
                times(zResult.epochLoss(), scale), times(zResult.epochMae(), scale), zResult.epochSeconds(),
                zResult.trainSeconds(), validation, zResult.stoppedEarly());
        return new StandardizedTraining(original, z, w, b);
    }

    private static EpochListener scaled(EpochListener listener, double scale) {
        return new EpochListener() {
            @Override
            public void onEpoch(int epoch, double loss, double mae, double seconds) {
                listener.onEpoch(epoch, loss * scale, mae * scale, seconds);
            }

            @Override
            public void onValidation(int epoch, ValidationMetrics metrics) {
                listener.onValidation(epoch, scaled(metrics, scale));
            }
        };
    }

    private static ValidationMetrics scaled(ValidationMetrics m, double scale) {
        return new ValidationMetrics(m.mae() * scale, m.rmse() * scale, m.r2());
    }

    private static double[] times(double[] v, double scale) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] * scale;
        }
        return r;
    }
}
