package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import linreg.model.Model;
import linreg.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --init-model}: E1 epochs, then E2 more from the saved model, are one run of E1 + E2; and its bad inputs. */
class InitModelTest {
    @TempDir
    Path dir;

    private Path csv() throws Exception {
        StringBuilder s = new StringBuilder("a,b,y\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 400; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            s.append(a).append(',').append(b).append(',').append(3 * a - 2 * b + 1 + 0.3 * r.nextGaussian()).append('\n');
        }
        Path file = dir.resolve("train.csv");
        Files.writeString(file, s);
        return file;
    }

    private Model train(Path data, Path save, String... extra) throws Exception {
        String[] base = {"train", "--data", data.toString(), "--engine", "cpu", "--quiet", "--seed", "11", "--batch-size",
            "8", "--lr-schedule", "step", "--lr-step-every", "2", "--save-model", save.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli.Run run = Cli.run(args);
        assertEquals(0, run.code(), run.err());
        return ModelFile.read(save);
    }

    @Test
    void e1ThenE2EpochsFromTheSavedModelAreOneRunOfE1PlusE2() throws Exception {
        Path data = csv();
        Model whole = train(data, dir.resolve("whole.json"), "--epochs", "5");
        Path firstFile = dir.resolve("first.json");
        train(data, firstFile, "--epochs", "3");
        Model second = train(data, dir.resolve("second.json"), "--epochs", "2", "--init-model", firstFile.toString());
        assertArrayEquals(whole.w(), second.w(), "w, bit for bit");
        assertEquals(Double.doubleToRawLongBits(whole.b()), Double.doubleToRawLongBits(second.b()), "b, bit for bit");
        assertEquals(3, ((Number) second.training().get("first_epoch")).intValue(), "the continued run starts at epoch 3");
        Object warm = second.training().get("warm_start");
        assertTrue(warm instanceof Map<?, ?>, "the model records its warm start: " + warm);
        assertEquals(firstFile.toString(), ((Map<?, ?>) warm).get("model"));
        assertTrue(((Map<?, ?>) warm).get("training") instanceof Map<?, ?>, "and the start's training summary");
        assertEquals(null, whole.training().get("warm_start"), "a fresh run: null");

        // Continued again: the first epoch adds up (3 + 2).
        Model third = train(data, dir.resolve("third.json"), "--epochs", "1", "--init-model",
                dir.resolve("second.json").toString());
        assertEquals(5, ((Number) third.training().get("first_epoch")).intValue());
    }

    @Test
    void aStandardisedModelGoesOnOnItsOwnZScores() throws Exception {
        Path data = csv();
        Model whole = train(data, dir.resolve("whole.json"), "--epochs", "5", "--standardize");
        Path firstFile = dir.resolve("first.json");
        train(data, firstFile, "--epochs", "3", "--standardize");
        Model second = train(data, dir.resolve("second.json"), "--epochs", "2", "--standardize", "--init-model",
                firstFile.toString());
        assertArrayEquals(whole.w(), second.w(), "w, bit for bit");
        assertEquals(Double.doubleToRawLongBits(whole.b()), Double.doubleToRawLongBits(second.b()), "b, bit for bit");
        assertArrayEquals(whole.standardization().featureMeans(), second.standardization().featureMeans());
    }

    @Test
    void theEpochLinesGoOnCounting() throws Exception {
        Path data = csv();
        Path first = dir.resolve("first.json");
        train(data, first, "--epochs", "3");
        Cli.Run run = Cli.run("train", "--data", data.toString(), "--engine", "cpu", "--seed", "11", "--epochs", "2",
                "--init-model", first.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("epoch 003: loss: ") && run.out().contains("epoch 004: loss: ")
                && !run.out().contains("epoch 000:"), run.out());
    }

    /** A continued averaged run says from which epoch its mean goes: its first, the mean starting afresh. */
    @Test
    void aContinuedAveragedRunNamesWhereItsMeanStarts() throws Exception {
        Path data = csv();
        Path first = dir.resolve("avg.json");
        train(data, first, "--epochs", "4", "--average", "1");
        Cli.Run run = Cli.run("train", "--data", data.toString(), "--engine", "cpu", "--seed", "11", "--epochs", "2",
                "--average", "1", "--init-model", first.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("(the mean of the parameters after every step from epoch 004 on)"), run.out());
    }

    @Test
    void badStartsAreOneLineErrors() throws Exception {
        Path data = csv();
        Path model = dir.resolve("m.json");
        train(data, model, "--epochs", "1");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--init-model", dir.resolve("none.json").toString()),
                "none.json");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"format\": \"linreg-model\", \"w\": [1, ");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--init-model", broken.toString()), "broken.json");
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, "a,b,c,y\n1,2,3,4\n5,6,7,8\n");
        Cli.assertRejected(Cli.run("train", "--data", wide.toString(), "--init-model", model.toString()),
                "the model has 2 features but the data has 3");
        Path renamed = dir.resolve("renamed.csv");
        Files.writeString(renamed, "a,c,y\n1,2,3\n4,5,6\n");
        Cli.assertRejected(Cli.run("train", "--data", renamed.toString(), "--init-model", model.toString()),
                "feature 2 is \"c\" but the model's is \"b\"");
        Path standardized = dir.resolve("z.json");
        train(data, standardized, "--epochs", "1", "--standardize");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--init-model", standardized.toString()),
                "the model was trained with --standardize; continue it with --standardize too");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--standardize", "--init-model", model.toString()),
                "the model was trained without --standardize");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--init-model", model.toString(), "--init-w", "1,2"),
                "--init-model", "--init-w");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--init-model", model.toString(), "--init-b", "1"),
                "--init-model", "--init-b");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--init-model", model.toString(), "--no-intercept"),
                "--no-intercept keeps b at 0, but the model of --init-model " + model + " has b = ");
        Path noBias = dir.resolve("nob.json");
        train(data, noBias, "--epochs", "1", "--no-intercept");
        assertEquals(0.0, train(data, dir.resolve("nob2.json"), "--epochs", "1", "--no-intercept", "--init-model",
                noBias.toString()).b(), "a model without a bias goes on without one");
    }
}
