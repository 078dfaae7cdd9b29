package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.model.QuantileFit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --loss quantile} through the real command line: its output names the loss, evaluate measures it. */
class QuantileLossTest {
    @TempDir
    Path dir;

    @Test
    void theMedianQuantilePrintsTheMaesEpochs() {
        Cli.Run mae = Cli.run("train", "--epochs", "5", "--samples", "300", "--seed", "4");
        Cli.Run median = Cli.run("train", "--epochs", "5", "--samples", "300", "--seed", "4", "--loss", "quantile",
                "--quantile", "0.5");
        assertEquals(0, median.code(), median.err());
        String[] a = mae.out().split("\n");
        String[] b = median.out().split("\n");
        for (int e = 0; e < 5; e++) {
            assertEquals(a[e], b[e], "epoch line " + e);
        }
        assertTrue(a[6].startsWith("learned w: "), a[6]);
        assertEquals(a[6], b[6], "the learned parameters");
        assertTrue(median.out().contains("final epoch: quantile (tau 0.5) loss"), median.out());
    }

    @Test
    void jsonAndTheModelFileNameTheLossAndEvaluateMeasuresIt() throws Exception {
        Path model = dir.resolve("q.json");
        Cli.Run run = Cli.run("train", "--json", "--epochs", "30", "--samples", "2000", "--seed", "3", "--loss", "quantile",
                "--quantile", "0.9", "--save-model", model.toString());
        assertEquals(0, run.code(), run.err());
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("quantile", o.get("loss").getAsString());
        assertEquals(0.9, o.get("quantile").getAsDouble());
        JsonObject saved = JsonParser.parseString(Files.readString(model)).getAsJsonObject();
        JsonObject training = saved.getAsJsonObject("training");
        assertEquals("quantile", training.get("loss").getAsString());
        assertEquals(0.9, training.get("quantile").getAsDouble());

        JsonObject plain = JsonParser.parseString(Cli.run("train", "--json", "--epochs", "1", "--samples", "50").out())
                .getAsJsonObject();
        assertEquals("mae", plain.get("loss").getAsString());
        assertTrue(plain.get("quantile").isJsonNull());

        // The data the run trained on, as a file, for evaluate.
        Dataset data = SyntheticData.generate(2000, SyntheticData.TUTORIAL_W, SyntheticData.TUTORIAL_B, 3);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < data.samples(); i++) {
            for (int j = 0; j < data.features(); j++) {
                csv.append(Float.toString(data.x()[i * data.features() + j])).append(',');
            }
            csv.append(Float.toString(data.y()[i])).append('\n');
        }
        Path file = Files.writeString(dir.resolve("train.csv"), csv);
        Cli.Run eval = Cli.run("evaluate", "--model", model.toString(), "--data", file.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        JsonObject e = JsonParser.parseString(eval.out()).getAsJsonObject();
        double[] w = new double[4];
        for (int j = 0; j < 4; j++) {
            w[j] = saved.get("w").getAsJsonArray().get(j).getAsDouble();
        }
        QuantileFit want = QuantileFit.of(0.9, w, saved.get("b").getAsDouble(), data);
        assertEquals("quantile", e.get("loss").getAsString());
        assertEquals(want.pinball(), e.get("pinball_loss").getAsDouble(), 1e-9 * want.pinball());
        assertEquals(want.below(), e.get("fraction_below").getAsDouble());
        Cli.Run text = Cli.run("evaluate", "--model", model.toString(), "--data", file.toString());
        assertTrue(text.out().contains(String.format(Locale.ROOT, "pinball loss (tau 0.9): %.6g", want.pinball())), text.out());
        assertTrue(text.out().contains("fraction of targets below the prediction: "), text.out());
    }
}
