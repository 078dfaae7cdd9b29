package linreg.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The Markdown page of a gpu-check run: the verdicts at the top, then every log of its folder. */
final class GpuCheckMarkdown {
    /** A JVM crash log is long; its head says what crashed and where. */
    private static final int CRASH_LOG_LINES = 60;

    private GpuCheckMarkdown() {}

    static String render(JsonObject o, List<GpuCheckReport.Step> steps, Path logs) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# gpu-check (").append(text(o, "stage")).append(") on ").append(text(o, "gpu")).append(", ")
                .append(text(o, "date")).append("\n\n");
        s.append("- result: **").append(o.get("passed").getAsBoolean() ? "passed" : "not passed").append("**; run ")
                .append(text(o, "state")).append(" after ").append(text(o, "elapsed_seconds")).append(" s of its ")
                .append(text(o, "deadline_seconds")).append(" s deadline\n");
        s.append("- nvidia-smi: driver ").append(text(o, "driver_version")).append(", CUDA ").append(text(o, "cuda_version"))
                .append("; the CUDA driver API: ").append(text(o, "driver")).append('\n');
        for (JsonElement d : o.getAsJsonArray("devices")) {
            s.append("- ").append(d.getAsString()).append('\n');
        }
        if (text(o, "gpu_problem") != null) {
            s.append("- no usable GPU: ").append(text(o, "gpu_problem")).append('\n');
        }
        s.append("- command: `").append(text(o, "command")).append("`\n");
        if (o.get("test_classes").isJsonArray()) {
            s.append("- gpu-tagged tests: ").append(text(o, "tests_run")).append(" run, ").append(text(o, "tests_failed"))
                    .append(" failed, ").append(text(o, "tests_skipped")).append(" skipped (null: a class crashed, "
                            + "timed out or wrote no report)\n");
        }
        if (text(o, "smoke") != null) {
            s.append("- kit smoke test: ").append(text(o, "smoke")).append('\n');
        }
        if (o.get("sass_barrier").isJsonObject()) {
            JsonObject sass = o.getAsJsonObject("sass_barrier");
            s.append("- SASS grid barrier: ").append(text(sass, "verdict")).append(" (").append(text(sass, "reason"))
                    .append(")\n");
        }
        s.append("\nThe same data as JSON: the `.json` file beside this one; the logs are also in the `.tar.gz`.\n");

        s.append("\n## Steps\n\n| step | exit | seconds | skipped, or crash log |\n| --- | --- | --- | --- |\n");
        for (GpuCheckReport.Step st : steps) {
            s.append("| ").append(st.name()).append(" | ").append(st.ran() ? st.rc().toString() : "-").append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", st.seconds())).append(" | ")
                    .append(st.skippedReason() != null ? st.skippedReason() : st.crashLog() != null ? st.crashLog() : "")
                    .append(" |\n");
        }
        table(s, o, "test_classes", "Test classes (one JVM each)");
        table(s, o, "compares", "Comparisons");
        if (o.get("sanitizer").isJsonObject()) {
            JsonObject san = o.getAsJsonObject("sanitizer");
            if (text(san, "skipped_reason") != null) {
                s.append("\n## Sanitizers\n\nskipped: ").append(text(san, "skipped_reason")).append('\n');
            } else {
                table(s, san, "runs", "Sanitizers");
            }
        }

        for (GpuCheckReport.Step st : steps) {
            log(s, logs.resolve(st.name() + ".log"), Integer.MAX_VALUE);
            log(s, logs.resolve(st.name() + ".json"), Integer.MAX_VALUE);
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path crash : files.filter(p -> p.getFileName().toString().startsWith("hs_err")).sorted().toList()) {
                log(s, crash, CRASH_LOG_LINES);
            }
        }
        return s.toString();
    }

    /** The array {@code key} of {@code o} as a table, its objects' keys as columns. */
    private static void table(StringBuilder s, JsonObject o, String key, String title) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            return;
        }
        List<String> columns = e.getAsJsonArray().get(0).getAsJsonObject().keySet().stream().toList();
        s.append("\n## ").append(title).append("\n\n| ").append(String.join(" | ", columns)).append(" |\n|");
        s.append(" --- |".repeat(columns.size())).append('\n');
        for (JsonElement row : e.getAsJsonArray()) {
            JsonObject r = row.getAsJsonObject();
            s.append('|');
            for (String c : columns) {
                String v = text(r, c);
                s.append(' ').append(v == null ? "" : v.replace("|", "\\|")).append(" |");
            }
            s.append('\n');
        }
    }

    private static void log(StringBuilder s, Path file, int maxLines) throws IOException {
        String text = GpuCheckReport.read(file).strip();
        if (text.isEmpty()) {
            return;
        }
        String[] lines = text.split("\n", -1);
        if (lines.length > maxLines) {
            text = String.join("\n", List.of(lines).subList(0, maxLines)) + "\n... (" + (lines.length - maxLines)
                    + " more lines in the file)";
        }
        s.append("\n## ").append(file.getFileName()).append("\n\n```\n").append(text.replace("```", "'''")).append("\n```\n");
    }

    private static String text(JsonObject o, String key) {
        return GpuCheckReport.text(o, key);
    }
}
