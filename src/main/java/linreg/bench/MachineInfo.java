package linreg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a bench ran on, for its rows and its file names. */
public final class MachineInfo {
    private MachineInfo() {}

    /** "AMD EPYC, 2 cores" from /proc/cpuinfo (the architecture where there is none). */
    public static String cpu() {
        String model = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture will do
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return model + ", " + cores + " core" + (cores == 1 ? "" : "s");
    }

    /** The 1-, 5- and 15-minute load averages ("0.12 0.30 0.25"), or "unknown": other work skews CPU timings. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** A file-name-safe lower-case form: "NVIDIA H100 80GB HBM3" → "nvidia-h100-80gb-hbm3". */
    public static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "unknown" : s.length() > 48 ? s.substring(0, 48).replaceAll("-+$", "") : s;
    }

    /** The bench files' machine part: the GPU's slug where one ran, else the CPU's ("cpu-amd-epyc-2-cores"). */
    public static String fileSlug(String gpuName) {
        return gpuName != null ? slug(gpuName) : "cpu-" + slug(cpu());
    }
}
