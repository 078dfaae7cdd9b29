package linreg.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import linreg.data.DataException;
import linreg.data.Samples;
import linreg.model.Model;
import linreg.model.ModelFile;
import linreg.model.OutputFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code linreg predict}: a saved model's predictions for a data file, as CSV with one column,
 * {@code prediction}, one row per data row in the same order. Each value is b + Σ w_j·x_j in
 * float64, written as the shortest decimal that reads back to the same double.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts y for each row of a data file with a saved model.",
            "The model is one saved by `linreg train --save-model`; the predictions are CSV with one column, "
                    + "prediction, on stdout or in --output. The data has the model's d feature columns, or d + 1 "
                    + "with the target (which is then ignored)."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model file (JSON).")
    Path modelFile;

    @Mixin
    DataOptions.FileInput input;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the predictions to FILE (atomically; its folder must exist) instead of stdout.")
    Path output;

    @Option(names = "--json", description = "With --output: a one-object JSON summary on stdout (rows, features, "
            + "the files, the prediction range).")
    boolean json;

    @Override
    public Integer call() throws DataException {
        CommandLine cl = spec.commandLine();
        input.validate(cl);
        if (json && output == null) {
            throw new CommandLine.ParameterException(cl, "--json needs --output FILE: without it the predictions "
                    + "themselves go to stdout");
        }
        new OutputPaths().input("--model", modelFile).input("--data", input.data).input("--labels", input.labels)
                .output("--output", output).check();
        Model model = ModelFile.read(modelFile);
        Samples samples = input.load(model, cl.getErr());
        double[] predictions = model.predictions(samples.featureRows());
        if (output == null) {
            PrintWriter out = cl.getOut();
            try {
                write(out, predictions);
            } catch (IOException e) {
                throw new IllegalStateException(e); // a PrintWriter does not throw
            }
            out.flush();
        } else {
            OutputFile.write(output, stream -> {
                Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
                write(writer, predictions);
                writer.flush();
            });
            if (json) {
                cl.getOut().println(Json.object(summary(samples, predictions)));
                cl.getOut().flush();
            }
        }
        return ExitCode.OK;
    }

    /** What --json says of a run: the counts, the files and the range of the predictions. */
    private Map<String, Object> summary(Samples samples, double[] predictions) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rows", samples.samples());
        s.put("features", samples.features());
        s.put("data", samples.source());
        s.put("model", modelFile.toString());
        s.put("output", output.toString());
        s.put("prediction_min", Arrays.stream(predictions).min().orElse(Double.NaN));
        s.put("prediction_max", Arrays.stream(predictions).max().orElse(Double.NaN));
        s.put("prediction_mean", Arrays.stream(predictions).average().orElse(Double.NaN));
        return s;
    }

    private static void write(Writer writer, double[] predictions) throws IOException {
        writer.write("prediction\n");
        for (double p : predictions) {
            writer.write(Double.toString(p));
            writer.write('\n');
        }
    }
}
