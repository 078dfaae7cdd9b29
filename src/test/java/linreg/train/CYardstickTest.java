package linreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java engine and the C yardstick (bench/c/linreg_sgd.c), two implementations of
 * docs/algorithm.md written apart, agree bit for bit on the same data and start. Skipped where
 * there is no C compiler.
 */
class CYardstickTest {
    @TempDir
    static Path dir;
    private static Path binary;

    @BeforeAll
    static void compile() throws Exception {
        binary = dir.resolve("linreg_sgd");
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-O2", "-ffp-contract=off", "-std=c11", "-o", binary.toString(),
                    "bench/c/linreg_sgd.c", "-lm").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no gcc on PATH: " + e.getMessage());
            return;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "gcc failed: " + log);
    }

    @ParameterizedTest(name = "n={0} d={1} batch={2} shuffle={3}")
    @CsvSource({
        "500, 4, 16, true",
        "500, 4, 16, false",
        "1001, 3, 1, true",
        "777, 7, 33, true",
        "3000, 5, 1500, true",
        "5000, 2, 5000, true",
        "2100, 300, 257, true",
        "10000, 4, 4500, true",
    })
    void sameBitsAsTheCProgram(int n, int d, int batch, boolean shuffle) throws Exception {
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 1.1f, n + d);
        Path file = dir.resolve("data-" + n + "-" + d + ".bin");
        writeRaw(data, file);
        long seed = 1000 + batch;
        TrainConfig config = TrainConfig.builder().seed(seed).epochs(7).batchSize(batch).shuffle(shuffle).build();
        float[] start = config.initialParams(d);
        TrainResult java = Engines.cpu().train(data, config);

        List<String> command = new ArrayList<>(List.of(binary.toString(), "--samples", "" + n, "--features", "" + d,
                "--batch", "" + batch, "--epochs", "7", "--lr", "0.05", "--seed", "" + seed, "--data", file.toString(),
                "--init-w", join(start, d), "--init-b", Float.toString(start[d]), "--quiet"));
        if (!shuffle) {
            command.add("--no-shuffle");
        }
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), err);
        JsonObject c = JsonParser.parseString(out).getAsJsonObject();
        JsonArray loss = c.getAsJsonArray("epoch_loss");
        for (int e = 0; e < 7; e++) {
            assertEquals(java.epochLoss()[e], loss.get(e).getAsDouble(), 0.0, "epoch " + e + " loss");
        }
        JsonArray w = c.getAsJsonArray("w_hex");
        for (int j = 0; j < d; j++) {
            assertEquals(Float.floatToIntBits(java.w()[j]), Float.floatToIntBits((float) Double.parseDouble(w.get(j).getAsString())), "w" + j);
        }
        assertEquals(Float.floatToIntBits(java.b()), Float.floatToIntBits((float) Double.parseDouble(c.get("b_hex").getAsString())), "b");
    }

    private static String join(float[] v, int count) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < count; j++) {
            s.append(j == 0 ? "" : ",").append(Float.toString(v[j]));
        }
        return s.toString();
    }

    /** The C program's input: little-endian float32 X (row-major) then y. */
    static void writeRaw(Dataset data, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * (data.x().length + data.y().length)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(data.x()).put(data.y());
        try (OutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(buffer.array());
        }
    }
}
