package linreg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench as a Markdown report: the run, one table per d (seconds per epoch per engine and
 * GPU/CPU speedup), the crossovers, the anchors and bandwidth, and the cases that did not run.
 * Everything but the run notes comes from the rows, so {@code --charts-from} can redraw it.
 */
public final class BenchMarkdown {
    private BenchMarkdown() {}

    /**
     * @param title the first heading's text
     * @param runNotes Markdown lines about the run (command, machine, wall time), kept as given
     * @param charts file names of the charts beside the report (empty when none were drawn)
     */
    public static String render(String title, String runNotes, BenchResults results, List<String> charts) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(title).append("\n\n");
        s.append("## Run\n\n").append(runNotes.strip()).append("\n\n");
        s.append("## Method\n\n")
                .append("Each case trains the tutorial's problem (generated data, lr 0.05, a fresh shuffle every epoch) for a\n")
                .append("warm-up and then the timed epochs; a cell is the median timed epoch. CPU epochs are wall time; GPU\n")
                .append("epochs are timed with CUDA events. Speedup is the CPU's seconds over the GPU's at the same case.\n")
                .append("Cases that would not fit host heap or GPU memory, or whose estimated time exceeds the per-case\n")
                .append("budget, are skipped and listed below with the reason. Raw rows: the CSV beside this file.\n\n");
        List<String> keys = results.trainingKeys();
        for (int d : results.features()) {
            s.append("## d = ").append(d).append(": seconds per epoch\n\n");
            table(s, results, keys, d);
        }
        crossovers(s, results);
        anchors(s, results);
        if (!charts.isEmpty()) {
            s.append("## Charts\n\n");
            for (String chart : charts) {
                s.append("![").append(chart).append("](").append(chart).append(")\n\n");
            }
        }
        notRun(s, results);
        return s.toString();
    }

    private static void table(StringBuilder s, BenchResults results, List<String> keys, int d) {
        List<String> gpuKeys = keys.stream().filter(k -> k.startsWith("gpu")).toList();
        boolean copy = !Double.isNaN(results.copyGbPerSecond());
        s.append("| batch | n |");
        keys.forEach(k -> s.append(' ').append(k).append(" |"));
        gpuKeys.forEach(k -> s.append(" speedup ").append(k).append(" |"));
        if (copy) {
            gpuKeys.forEach(k -> s.append(' ').append(k).append(" % of copy bandwidth |"));
        }
        s.append("\n| --- | ---: |");
        keys.forEach(k -> s.append(" ---: |"));
        gpuKeys.forEach(k -> s.append(" ---: |"));
        if (copy) {
            gpuKeys.forEach(k -> s.append(" ---: |"));
        }
        s.append('\n');
        for (String batch : results.batches()) {
            for (long n : results.sizes()) {
                List<BenchRow> cells = new ArrayList<>();
                keys.forEach(k -> cells.add(results.find(k, n, d, batch)));
                if (cells.stream().allMatch(c -> c == null)) {
                    continue;
                }
                s.append("| ").append(batch).append(" | ").append(BenchFormat.count(n)).append(" |");
                for (BenchRow c : cells) {
                    s.append(' ').append(cell(c)).append(" |");
                }
                BenchRow cpu = results.find("cpu", n, d, batch);
                for (String k : gpuKeys) {
                    BenchRow gpu = results.find(k, n, d, batch);
                    s.append(' ').append(cpu != null && gpu != null && cpu.ok() && gpu.ok()
                            ? String.format(Locale.ROOT, "%.2f×", cpu.secondsPerEpoch() / gpu.secondsPerEpoch()) : "")
                            .append(" |");
                }
                if (copy) {
                    for (String k : gpuKeys) {
                        BenchRow gpu = results.find(k, n, d, batch);
                        double u = gpu == null ? Double.NaN : results.utilisation(gpu);
                        s.append(' ').append(Double.isNaN(u) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * u)).append(" |");
                    }
                }
                s.append('\n');
            }
        }
        s.append('\n');
    }

    private static String cell(BenchRow r) {
        if (r == null) {
            return "";
        }
        if (r.ok()) {
            return BenchFormat.seconds(r.secondsPerEpoch());
        }
        int colon = r.status().indexOf(':');
        return colon < 0 ? r.status() : r.status().substring(0, colon);
    }

    private static void crossovers(StringBuilder s, BenchResults results) {
        List<Crossovers.Crossover> all = Crossovers.of(results);
        s.append("## Crossovers: the smallest n at which the GPU beats the CPU\n\n");
        if (all.isEmpty()) {
            String why = results.rows().stream().filter(r -> "gpu".equals(r.engine()) && !r.ok() && r.n() == 0)
                    .map(BenchRow::status).findFirst().map(w -> " (" + w + ")").orElse("");
            s.append("No GPU strategy ran").append(why).append(", so there is no crossover to show.\n\n");
            return;
        }
        s.append("Interpolated log-log between the measured sizes.\n\n| GPU | d | batch | crossover |\n| --- | ---: | ---: | --- |\n");
        for (Crossovers.Crossover c : all) {
            s.append("| ").append(c.gpuKey()).append(" | ").append(c.d()).append(" | ").append(c.batch()).append(" | ")
                    .append(c.text()).append(" |\n");
        }
        s.append('\n');
    }

    private static void anchors(StringBuilder s, BenchResults results) {
        s.append("## Anchors and bandwidth\n\n");
        List<BenchRow> anchors = results.rows().stream().filter(r -> !r.training()).toList();
        if (anchors.isEmpty()) {
            s.append("No anchors were run.\n\n");
        }
        for (BenchRow a : anchors) {
            s.append("- **").append(a.key()).append("**");
            if (!a.device().isEmpty()) {
                s.append(" on ").append(a.device());
            }
            s.append(": ");
            if (!a.ok()) {
                s.append(a.status());
            } else if ("copy".equals(a.engine()) && "htod".equals(a.strategy())) {
                s.append(String.format(Locale.ROOT, "cuMemcpyHtoD of %s from pinned memory, median of %d copies: %s, "
                        + "%.1f GB/s (the streamed case's ceiling)", BenchFormat.bytes(a.bytesPerEpoch()), a.epochs(),
                        BenchFormat.seconds(a.secondsPerEpoch()), a.gbPerSecond()));
            } else if ("copy".equals(a.engine())) {
                s.append(String.format(Locale.ROOT, "cuMemcpyDtoD of %s, median of %d copies: %s, %.1f GB/s of traffic "
                        + "(read + write)", BenchFormat.bytes(a.bytesPerEpoch() / 2), a.epochs(),
                        BenchFormat.seconds(a.secondsPerEpoch()), a.gbPerSecond()));
            } else {
                s.append(String.format(Locale.ROOT, "n=%s d=%d batch=%s, %d epochs: %s per epoch, %s steps/s",
                        BenchFormat.count(a.n()), a.d(), a.batch(), a.epochs(), BenchFormat.seconds(a.secondsPerEpoch()),
                        BenchFormat.rate(a.stepsPerSecond())));
                double u = results.utilisation(a);
                if (!Double.isNaN(u)) {
                    s.append(String.format(Locale.ROOT, " (%.1f%% of the copy bandwidth)", 100 * u));
                }
            }
            s.append('\n');
        }
        s.append('\n');
        double copy = results.copyGbPerSecond();
        List<BenchRow> gpu = results.training().stream().filter(r -> "gpu".equals(r.engine()) && r.ok()).toList();
        if (!Double.isNaN(copy) && !gpu.isEmpty()) {
            BenchRow best = gpu.stream().max((a, b) -> Double.compare(results.utilisation(a), results.utilisation(b))).get();
            s.append(String.format(Locale.ROOT, "Bandwidth utilisation (the epoch's least traffic, n·(d+1)·4 bytes, per "
                    + "second over the copy's %.1f GB/s) is in the CSV for every GPU row; the highest: %.1f%% at %s.%n%n",
                    copy, 100 * results.utilisation(best), best.label()));
        }
    }

    private static void notRun(StringBuilder s, BenchResults results) {
        List<BenchRow> notRun = results.training().stream().filter(r -> !r.ok()).toList();
        if (notRun.isEmpty()) {
            return;
        }
        s.append("## Cases that did not run\n\n");
        for (BenchRow r : notRun) {
            s.append("- ").append(r.n() > 0 ? r.label() : r.key()).append(": ").append(r.status()).append('\n');
        }
        s.append('\n');
    }
}
