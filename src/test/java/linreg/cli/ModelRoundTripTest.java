package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import linreg.data.Dataset;
import linreg.data.Standardizer;
import linreg.data.SyntheticData;
import linreg.model.Metrics;
import linreg.model.Model;
import linreg.model.ModelFile;
import linreg.model.TrainingCodec;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train with the Java API, save the model, then predict and evaluate with the command line. */
class ModelRoundTripTest {
    @TempDir
    Path dir;

    private static Path csv(Path file, Dataset data) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("x1,x2,x3,x4,y\n");
            for (int i = 0; i < data.samples(); i++) {
                for (int j = 0; j < data.features(); j++) {
                    w.write(data.x()[i * data.features() + j] + ",");
                }
                w.write(data.y()[i] + "\n");
            }
        }
        return file;
    }

    private void roundTrip(Dataset data, Model model, Path dataFile) throws Exception {
        Path file = dir.resolve("model.json");
        ModelFile.write(file, model);
        Cli.Run predict = Cli.run("predict", "--model", file.toString(), "--data", dataFile.toString());
        assertEquals(ExitCode.OK, predict.code(), predict.err());
        String[] lines = predict.out().split("\n");
        assertEquals("prediction", lines[0]);
        assertEquals(data.samples() + 1, lines.length);
        double[] expected = model.predictions(data.x(), data.samples());
        for (int i = 0; i < data.samples(); i++) {
            assertEquals(expected[i], Double.parseDouble(lines[i + 1]), "row " + i);
        }
        Cli.Run evaluate = Cli.run("evaluate", "--model", file.toString(), "--data", dataFile.toString(), "--json");
        assertEquals(ExitCode.OK, evaluate.code(), evaluate.err());
        JsonObject o = JsonParser.parseString(evaluate.out()).getAsJsonObject();
        Metrics m = Metrics.of(model.w(), model.b(), data);
        assertEquals(m.mae(), o.get("mae").getAsDouble());
        assertEquals(m.rmse(), o.get("rmse").getAsDouble());
        assertEquals(m.r2(), o.get("r2").getAsDouble());
        // The tutorial's problem is learned: noise 0.01, so the MAE is small and R² near 1.
        assertTrue(m.mae() < 0.1, "MAE " + m.mae());
        assertTrue(m.r2() > 0.999, "R² " + m.r2());
    }

    @Test
    void plainTraining() throws Exception {
        Dataset data = SyntheticData.generate(500, SyntheticData.TUTORIAL_W, SyntheticData.TUTORIAL_B, 0);
        TrainConfig config = TrainConfig.builder().build();
        TrainResult result = Engines.cpu().train(data, config);
        double[] w = new double[4];
        for (int j = 0; j < 4; j++) {
            w[j] = result.w()[j];
        }
        Model model = new Model(w, result.b(), List.of("x1", "x2", "x3", "x4"), "y", null, TrainingCodec.write(config, 4),
                result.engine(), Model.thisLinregVersion(), Model.thisJcudaVersion(), data.source(), data.samples(),
                Metrics.of(w, result.b(), data), null);
        roundTrip(data, model, csv(dir.resolve("data.csv"), data));
    }

    @Test
    void standardisedTraining() throws Exception {
        Dataset data = SyntheticData.generate(500, new float[] {10, 7, 5, 2}, 1.1f, 3);
        // Shift and scale the features so that standardising matters.
        float[] x = data.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = 100 + 50 * x[i];
        }
        float[] y = new float[data.samples()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (data.y()[i] - 1.1f) + 1.1f + 1000;
        }
        Dataset shifted = Dataset.of(x, y, 4, "shifted", null, null);
        Standardizer s = Standardizer.fit(shifted);
        TrainConfig config = TrainConfig.builder().lr(0.01f).epochs(60).build();
        TrainResult result = Engines.cpu().train(s.transform(shifted), config);
        double[] w = s.weights(result.w());
        double b = s.bias(result.w(), result.b());
        Model model = new Model(w, b, null, null, s, TrainingCodec.write(config, 4), result.engine(), Model.thisLinregVersion(),
                Model.thisJcudaVersion(), shifted.source(), shifted.samples(), Metrics.of(w, b, shifted), null);
        Path npy = linreg.data.NpyWriter.write(dir.resolve("data.npy"), "<f4", false, new long[] {500, 5}, rows(shifted));
        roundTrip(shifted, model, npy);
        assertEquals(s.targetStd(), ModelFile.read(dir.resolve("model.json")).standardization().targetStd());
    }

    private static double[] rows(Dataset data) {
        int d = data.features();
        double[] v = new double[data.samples() * (d + 1)];
        for (int i = 0; i < data.samples(); i++) {
            for (int j = 0; j < d; j++) {
                v[i * (d + 1) + j] = data.x()[i * d + j];
            }
            v[i * (d + 1) + d] = data.y()[i];
        }
        return v;
    }
}
