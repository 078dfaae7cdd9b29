package linreg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.Samples;
import linreg.data.Words;
import linreg.model.Metrics;
import linreg.model.Model;
import linreg.model.ModelFile;
import linreg.model.QuantileFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code linreg evaluate}: a saved model's MAE, RMSE and R² on a data file with targets; for a
 * model trained with {@code --loss quantile} also its pinball loss and the fraction of targets
 * below its predictions.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures a saved model on a data file: MAE, RMSE and R².",
            "The model is one saved by `linreg train --save-model`; the metrics are computed in float64 (R² is n/a "
                    + "for a constant target). A model of --loss quantile also gets its pinball loss and the fraction "
                    + "of targets below its predictions. The data needs the target: d + 1 columns, or an .npy X with "
                    + "--labels. With --weights every metric is the weighted one (README)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model file (JSON).")
    Path modelFile;

    @Mixin
    DataOptions.FileInput input;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws DataException {
        input.validate(spec.commandLine());
        Model model = ModelFile.read(modelFile);
        Samples samples = input.load(model, spec.commandLine().getErr());
        if (!samples.hasTarget()) {
            throw new DataException(samples.source() + ": no target to evaluate against: its "
                    + Words.count(samples.features(), "column") + (samples.features() == 1 ? " is" : " are") + " the model's features (add the target as column " + (samples.features() + 1)
                    + ", or give --labels for .npy features)");
        }
        Dataset data = samples.toDataset();
        Metrics m = Metrics.of(model.w(), model.b(), data);
        double tau = QuantileFit.tauOf(model);
        QuantileFit q = Double.isNaN(tau) ? null : QuantileFit.of(tau, model.w(), model.b(), data);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", modelFile.toString());
            o.put("data", samples.source());
            o.put("n", samples.samples());
            o.put("d", samples.features());
            o.put("weights", samples.weights() == null ? null : samples.weights().origin());
            o.put("mae", m.mae());
            o.put("rmse", m.rmse());
            o.put("r2", m.r2());
            o.put("loss", q == null ? "mae" : "quantile");
            o.put("quantile", q == null ? null : q.tau());
            o.put("pinball_loss", q == null ? null : q.pinball());
            o.put("fraction_below", q == null ? null : q.below());
            out.println(Json.object(o));
        } else {
            out.printf(Locale.ROOT, "%s × %s from %s%s%n", Words.count(samples.samples(), "sample"),
                    Words.count(samples.features(), "feature"), samples.source(),
                    samples.weights() == null ? "" : ", weighted by " + samples.weights().origin());
            out.printf(Locale.ROOT, "MAE:  %.6g%nRMSE: %.6g%nR²:   %s%n", m.mae(), m.rmse(), MetricText.r2(m.r2()));
            if (q != null) {
                out.printf(Locale.ROOT, "pinball loss (tau %s): %.6g%nfraction of targets below the prediction: %.4f%n",
                        q.tau(), q.pinball(), q.below());
            }
        }
        out.flush();
        return ExitCode.OK;
    }
}
