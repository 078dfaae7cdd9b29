package linreg.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import linreg.data.DataInfo;
import linreg.data.Words;
import linreg.model.TrainingCodec;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.ValidationSplit;

/** The end of a training run, for people (text) and for programs (one JSON object). */
final class TrainReport {
    private final DataInfo data;
    private final TrainConfig config;
    private final String engineReason;
    private final TrainResult result;
    private final double loadSeconds;
    /** What weighted the samples, or null. */
    private final String weights;

    TrainReport(DataInfo data, TrainConfig config, TrainResult result, String engineReason, double loadSeconds) {
        this(data, config, result, engineReason, loadSeconds, null);
    }

    TrainReport(DataInfo data, TrainConfig config, TrainResult result, String engineReason, double loadSeconds,
            String weights) {
        this.weights = weights;
        this.engineReason = engineReason;
        this.data = data;
        this.config = config;
        this.result = result;
        this.loadSeconds = loadSeconds;
    }

    /** Largest |w_j - w*_j|, or NaN without a truth. */
    double maxAbsDw() {
        if (!data.hasTruth()) {
            return Double.NaN;
        }
        float[] truth = data.trueW();
        double max = 0;
        for (int j = 0; j < truth.length; j++) {
            max = Math.max(max, Math.abs((double) result.w()[j] - truth[j]));
        }
        return max;
    }

    /** The samples the engine trained on: the data's less those held out. */
    long trainingRows() {
        return ValidationSplit.trainingRows(data.samples(), config.holdOut().share());
    }

    /** The samples held out for validation (0 without). */
    long validationRows() {
        return data.samples() - trainingRows();
    }

    /** |b - b*|, or NaN without a truth. */
    double absDb() {
        return data.hasTruth() ? Math.abs((double) result.b() - data.trueB()) : Double.NaN;
    }

    String text() {
        StringBuilder s = new StringBuilder();
        if (data.hasTruth()) {
            s.append(String.format(Locale.ROOT, "true w:    %s  true b:    %.6f%n", vector(data.trueW()), data.trueB()));
        }
        s.append(String.format(Locale.ROOT, "learned w: %s  learned b: %.6f%n", vector(result.w()), result.b()));
        if (config.optimiser().averages()) {
            // The run's epochs are the first epoch's on (one carried on from a model starts past 0,
            // its mean afresh).
            int from = config.firstAveragedEpoch();
            s.append(config.epoch(result.epochs()) > from
                    ? String.format(Locale.ROOT, "(the mean of the parameters after every step from epoch %03d on)%n", from)
                    : String.format(Locale.ROOT, "(--average %d: no step was averaged in %s; these are the last step's)%n",
                            config.optimiser().averageStart(), Words.count(result.epochs(), "epoch")));
        }
        if (data.hasTruth()) {
            s.append(String.format(Locale.ROOT, "max |w - w*| = %.6f   |b - b*| = %.6f%n", maxAbsDw(), absDb()));
        }
        if (result.epochs() > 0 && config.objective().isMae()) {
            s.append(String.format(Locale.ROOT, "final epoch: loss %.6f, mean |residual| %.6f%n",
                    result.epochLoss()[result.epochs() - 1], result.finalMae()));
        } else if (result.epochs() > 0) {
            s.append(String.format(Locale.ROOT, "final epoch: %s loss %.6f, mean pinball loss %.6f%n",
                    config.objective().describe(), result.epochLoss()[result.epochs() - 1], result.finalMae() / 2));
        }
        if (result.validation() != null && result.epochs() > 0) {
            var v = result.validation()[result.epochs() - 1];
            s.append(String.format(Locale.ROOT, "validation (%d of %d samples held out): MAE %.6f, RMSE %.6f, R² %s%n",
                    validationRows(), data.samples(), v.mae(), v.rmse(), MetricText.r2(v.r2())));
        }
        if (result.stoppedEarly()) {
            s.append(String.format(Locale.ROOT,
                    "stopped early after epoch %03d: the %s did not improve by more than %s for %s%n",
                    result.epochs() - 1, result.validation() != null ? "validation MAE"
                            : config.objective().isMae() ? "training MAE" : "training loss", config.stopping().tol(),
                    Words.count(config.stopping().patience(), "epoch")));
        }
        double perEpoch = result.epochs() == 0 ? 0 : result.trainSeconds() / result.epochs();
        s.append(String.format(Locale.ROOT,
                "engine: %s (%s); %s × %s from %s; %s in %.3f s (%.3f ms/epoch, %.3g samples/s)%n",
                result.engine(), result.detail(), Words.count(trainingRows(), "sample"), Words.count(data.features(), "feature"),
                data.source() + (weights == null ? "" : ", weighted by " + weights), Words.count(result.epochs(), "epoch"),
                result.trainSeconds(), perEpoch * 1e3,
                perEpoch > 0 ? trainingRows() / perEpoch : 0.0));
        return s.toString();
    }

    private static String vector(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int j = 0; j < v.length; j++) {
            s.append(j == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", v[j]));
        }
        return s.append(']').toString();
    }

    private enum ValidationMetricsField { MAE, RMSE, R2 }

    /** One held-out metric per epoch, or null without validation. */
    private double[] validationSeries(ValidationMetricsField field) {
        if (result.validation() == null) {
            return null;
        }
        double[] v = new double[result.validation().length];
        for (int e = 0; e < v.length; e++) {
            var m = result.validation()[e];
            v[e] = field == ValidationMetricsField.MAE ? m.mae() : field == ValidationMetricsField.RMSE ? m.rmse() : m.r2();
        }
        return v;
    }

    String json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("engine", result.engine());
        o.put("engine_detail", result.detail());
        o.put("engine_reason", engineReason);
        o.put("data", data.source());
        o.put("weights", weights);
        o.put("n", data.samples());
        o.put("d", data.features());
        o.put("n_train", trainingRows());
        o.put("n_validation", config.holdOut().validates() ? validationRows() : null);
        o.putAll(TrainingCodec.write(config, data.features()));
        o.put("epoch_loss", result.epochLoss());
        o.put("epoch_mae", result.epochMae());
        o.put("epoch_seconds", result.epochSeconds());
        o.put("epochs_trained", result.epochs());
        o.put("stopped_early", result.stoppedEarly());
        o.put("validation_mae", validationSeries(ValidationMetricsField.MAE));
        o.put("validation_rmse", validationSeries(ValidationMetricsField.RMSE));
        o.put("validation_r2", validationSeries(ValidationMetricsField.R2));
        o.put("w", result.w());
        o.put("b", result.b());
        o.put("true_w", data.trueW());
        o.put("true_b", data.hasTruth() ? data.trueB() : null);
        o.put("max_abs_dw", data.hasTruth() ? maxAbsDw() : null);
        o.put("abs_db", data.hasTruth() ? absDb() : null);
        o.put("feature_names", data.featureNames());
        o.put("target_name", data.targetName());
        o.put("load_seconds", loadSeconds);
        o.put("host_bytes", data.hostBytes());
        o.put("mapped_bytes", data.mappedBytes());
        o.put("train_seconds", result.trainSeconds());
        return Json.object(o);
    }
}
