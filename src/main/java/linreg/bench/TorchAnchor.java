package linreg.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch tutorial loop ({@code seed_torch.py}) on the GPU, run as a subprocess where python3
 * with CUDA-enabled torch is present: the peer a user would otherwise write, measured in the same
 * run. Its seconds per epoch are the script's own: the training loop's time over the epochs.
 */
public final class TorchAnchor {
    public static final String SCRIPT = "seed_torch.py";
    private static final int BATCH = 16;
    private static final int EPOCHS = 3;

    private TorchAnchor() {}

    /** The folder holding seed_torch.py: {@code given}, else anchors/, else ../shared/anchors/; null when none. */
    public static Path find(Path given) {
        List<Path> candidates = given != null ? List.of(given) : List.of(Path.of("anchors"), Path.of("..", "shared", "anchors"));
        for (Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir;
            }
        }
        return null;
    }

    /**
     * Runs {@code python3 <dir>/seed_torch.py --device cuda --num n --batch 16 --epochs 3 --quiet}.
     *
     * @param gpuName the GPU's name, or null with {@code gpuReason} saying why there is none
     * @param timeoutSeconds the time the anchor may take, the check for torch included
     * @return an ok row, or an unavailable row saying why it could not run
     */
    public static BenchRow run(Path dir, String gpuName, String gpuReason, long n, long timeoutSeconds) {
        long start = System.nanoTime();
        if (gpuName == null) {
            return unavailable("", n, "no usable GPU (" + gpuReason + ")");
        }
        if (dir == null) {
            return unavailable(gpuName, n, "no " + SCRIPT + " in anchors/ or ../shared/anchors/ (--anchors DIR)");
        }
        Output check = python(List.of("python3", "-c",
                "import torch; print(torch.__version__, torch.cuda.is_available())"), Math.min(120, timeoutSeconds));
        if (check.problem != null) {
            return unavailable(gpuName, n, check.problem);
        }
        if (check.exit != 0) {
            return unavailable(gpuName, n, "python3 has no torch (" + lastLine(check.text) + ")");
        }
        String[] version = lastLine(check.text).split(" ");
        if (version.length < 2 || !"True".equals(version[1])) {
            return unavailable(gpuName, n, "torch " + version[0] + " sees no CUDA device");
        }
        long left = Math.max(1, timeoutSeconds - (System.nanoTime() - start) / 1_000_000_000L);
        Output run = python(List.of("python3", dir.resolve(SCRIPT).toString(), "--device", "cuda", "--num",
                Long.toString(n), "--batch", Integer.toString(BATCH), "--epochs", Integer.toString(EPOCHS), "--quiet"),
                left);
        if (run.problem != null || run.exit != 0) {
            return unavailable(gpuName, n, run.problem != null ? run.problem
                    : SCRIPT + " exited " + run.exit + ": " + lastLine(run.text));
        }
        try {
            JsonObject o = JsonParser.parseString(lastLine(run.text)).getAsJsonObject();
            return BenchRow.measured("torch", "tutorial", gpuName + " (torch " + o.get("torch").getAsString() + ")", n,
                    o.get("d").getAsInt(), Integer.toString(BATCH), o.get("epochs").getAsInt(),
                    o.get("seconds_per_epoch").getAsDouble(), 0);
        } catch (RuntimeException e) {
            return unavailable(gpuName, n, SCRIPT + " printed no result line: " + lastLine(run.text));
        }
    }

    /** The anchor's row when it did not run; {@code status} is "skipped: ..." or "unavailable: ...". */
    public static BenchRow notRun(String gpuName, long n, String status) {
        return BenchRow.notRun("torch", "tutorial", gpuName != null ? gpuName : "", n, 4, Integer.toString(BATCH), 0, status);
    }

    private static BenchRow unavailable(String device, long n, String why) {
        return notRun(device, n, BenchRow.unavailable(why));
    }

    /** A subprocess's exit and output, or the problem that kept it from finishing. */
    private record Output(int exit, String text, String problem) {}

    private static Output python(List<String> command, long timeoutSeconds) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Output(-1, "", "python3 does not start: " + e.getMessage());
        }
        // Read while it runs, so that a chatty child never blocks on a full pipe.
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(-1, "", String.join(" ", command.subList(0, 2)) + " took more than " + timeoutSeconds + " s");
            }
            return new Output(p.exitValue(), text.get(10, TimeUnit.SECONDS), null);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Output(-1, "", "interrupted");
        } catch (Exception e) {
            return new Output(p.exitValue(), "", null);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
