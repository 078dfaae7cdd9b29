package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --weights} and {@code --weights-column} through the command line, with their bad inputs. */
class WeightsOptionTest {
    @TempDir
    Path dir;

    /** A table x1, x2, y, w (and the same rows without w): y = 2·x1 − x2 + 1 plus noise. */
    private Path table(String name, boolean weights, String badWeight) throws IOException {
        StringBuilder s = new StringBuilder(weights ? "x1,x2,y,w\n" : "x1,x2,y\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            double y = 2 * x1 - x2 + 1 + 0.1 * r.nextGaussian();
            s.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f", x1, x2, y));
            if (weights) {
                s.append(',').append(i == 150 && badWeight != null ? badWeight : "1");
            }
            s.append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, s.toString());
        return f;
    }

    @Test
    void onesColumnTrainsAsTheUnweightedTableAndIsRecorded() throws IOException {
        Path weighted = table("w.csv", true, null);
        Path plain = table("p.csv", false, null);
        Cli.Run a = Cli.run("train", "--data", weighted.toString(), "--target", "y", "--weights", "w", "--json", "-q");
        Cli.Run b = Cli.run("train", "--data", plain.toString(), "--engine", "cpu", "--json", "-q");
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertTrue(a.out().contains("\"weights\":\"column \\\"w\\\"\""), a.out());
        assertTrue(a.out().contains("\"d\":2"), a.out());
        assertEquals(field(b.out(), "\"w\":"), field(a.out(), "\"w\":"));
        assertEquals(field(b.out(), "\"b\":"), field(a.out(), "\"b\":"));
        Cli.Run byNumber = Cli.run("train", "--data", weighted.toString(), "--target", "y", "--weights-column", "4",
                "--json", "-q");
        assertEquals(field(a.out(), "\"w\":"), field(byNumber.out(), "\"w\":"));
    }

    private static String field(String json, String key) {
        int at = json.indexOf(key);
        assertTrue(at >= 0, key + " in " + json);
        return json.substring(at, json.indexOf(key.equals("\"w\":") ? "]" : ",", at));
    }

    @Test
    void badWeightsAreRejectedNamingTheirRow() throws IOException {
        Path negative = table("neg.csv", true, "-2");
        Cli.assertRejected(Cli.run("train", "--data", negative.toString(), "--target", "y", "--weights", "w", "-q"),
                "neg.csv:152:4", "must not be negative");
        Path weighted = table("w.csv", true, null);
        Cli.assertRejected(Cli.run("train", "--data", weighted.toString(), "--weights", "w", "-q"),
                "weights column", "is also the target");
        Cli.assertRejected(Cli.run("train", "--data", weighted.toString(), "--target", "y", "--weights", "nope", "-q"),
                "no column named \"nope\"");
        Cli.assertRejected(Cli.run("train", "--weights", "w", "-q"), "--weights", "--data");
    }

    /**
     * The GPU engine takes weights: {@code --engine gpu}, {@code auto} and {@code compare} treat a
     * weighted run as an unweighted one. Without a usable GPU that is exit 3 naming why (not a
     * refusal of the weights); with one, the CPU engine's weighted bits.
     */
    @Test
    void theGpuEngineTakesWeights() throws IOException {
        Path weighted = table("w.csv", true, null);
        String noGpu = linreg.gpu.GpuProbe.unusableReason(0);
        Cli.Run cpu = Cli.run("train", "--data", weighted.toString(), "--target", "y", "--weights", "w", "--engine", "cpu",
                "--json", "-q");
        Cli.Run auto = Cli.run("train", "--data", weighted.toString(), "--target", "y", "--weights", "w", "--json", "-q");
        assertEquals(0, auto.code(), auto.err());
        assertEquals(field(cpu.out(), "\"w\":"), field(auto.out(), "\"w\":"));
        assertTrue(!auto.out().contains("sample weights ("), "the engine is chosen as for unweighted data: " + auto.out());
        String[] data = {"--data", weighted.toString(), "--target", "y", "--weights", "w", "--json"};
        for (String command : new String[] {"train --engine gpu -q", "compare"}) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of(data));
            Cli.Run gpu = Cli.run(args.toArray(String[]::new));
            if (noGpu != null) {
                assertEquals(ExitCode.NO_GPU, gpu.code(), gpu.err());
                assertTrue(gpu.err().contains("no usable GPU") && !gpu.err().contains("weights"), gpu.err());
            } else if (command.equals("compare")) {
                assertEquals(0, gpu.code(), gpu.err());
                assertTrue(gpu.out().contains("\"weights\":\"column \\\"w\\\"\"") && gpu.out().contains("\"agree\":true"),
                        gpu.out());
            } else {
                assertEquals(0, gpu.code(), gpu.err());
                assertEquals(field(cpu.out(), "\"w\":"), field(gpu.out(), "\"w\":"));
            }
        }
    }

    @Test
    void npyWeightsFileBesideNpyData() throws IOException {
        double[] xy = new double[3 * 40];
        double[] ones = new double[40];
        double[] bad = new double[40];
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        for (int i = 0; i < 40; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            xy[3 * i] = x1;
            xy[3 * i + 1] = x2;
            xy[3 * i + 2] = 3 * x1 + x2;
            ones[i] = 1;
            bad[i] = i == 17 ? Double.NaN : 1;
        }
        Path data = linreg.data.NpyWriter.matrix(dir.resolve("xy.npy"), "<f4", 40, 3, xy);
        Path w = linreg.data.NpyWriter.vector(dir.resolve("w.npy"), "<f4", ones);
        Cli.Run weighted = Cli.run("train", "--data", data.toString(), "--weights", w.toString(), "--json", "-q");
        Cli.Run plain = Cli.run("train", "--data", data.toString(), "--engine", "cpu", "--json", "-q");
        assertEquals(0, weighted.code(), weighted.err());
        assertEquals(field(plain.out(), "\"w\":"), field(weighted.out(), "\"w\":"));
        assertTrue(weighted.out().contains("w.npy"), weighted.out());
        Path nan = linreg.data.NpyWriter.vector(dir.resolve("nan.npy"), "<f4", bad);
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--weights", nan.toString(), "-q"),
                "nan.npy", "[17]");
        Path short_ = linreg.data.NpyWriter.vector(dir.resolve("short.npy"), "<f4", 1, 2);
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--weights", short_.toString(), "-q"),
                "short.npy", "2 weights", "40 rows");
        Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--weights-column", "2", "-q"),
                "--weights-column", "FILE.npy");
    }

    @Test
    void evaluateWeighsTheMetrics() throws IOException {
        Path weighted = table("w.csv", true, null);
        Path model = dir.resolve("m.json");
        assertEquals(0, Cli.run("train", "--data", weighted.toString(), "--target", "y", "--weights", "w", "-q",
                "--save-model", model.toString()).code());
        assertTrue(Files.readString(model).contains("\"weights\""));
        Path plain = table("p.csv", false, null);
        Cli.Run ones = Cli.run("evaluate", "--model", model.toString(), "--data", weighted.toString(), "--weights", "w",
                "--json");
        Cli.Run unweighted = Cli.run("evaluate", "--model", model.toString(), "--data", plain.toString(), "--json");
        assertEquals(0, ones.code(), ones.err());
        assertEquals(field(unweighted.out(), "\"mae\":"), field(ones.out(), "\"mae\":"));
        Path doubled = table("d.csv", true, "0");
        Cli.Run zero = Cli.run("evaluate", "--model", model.toString(), "--data", doubled.toString(), "--weights", "w",
                "--json");
        assertEquals(0, zero.code(), zero.err());
        assertTrue(!field(unweighted.out(), "\"mae\":").equals(field(zero.out(), "\"mae\":")), "a weight 0 counts");
    }
}
