package linreg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import linreg.data.AtomicFiles;
import linreg.data.DataException;

/**
 * Writes a bench's files into one folder: {@code <base>-bench.csv} (row by row, as the run goes),
 * then {@code <base>-bench.md} and the PNG charts, each atomically. The charts need java.desktop, which the GPU kit's Java runtime
 * lacks: without it they are skipped with a notice, and {@code --charts-from} draws them later
 * from the CSV.
 */
public final class BenchReport {
    /**
     * What was written.
     *
     * @param csv the CSV (null when redrawing from one)
     * @param markdown the Markdown report
     * @param charts the chart files
     * @param chartNotice why charts were not drawn, or null
     */
    public record Written(Path csv, Path markdown, List<Path> charts, String chartNotice) {
        /** Every file written. */
        public List<Path> files() {
            List<Path> all = new ArrayList<>();
            if (csv != null) {
                all.add(csv);
            }
            all.add(markdown);
            all.addAll(charts);
            return all;
        }
    }

    private static final String CSV_SUFFIX = "-bench.csv";
    private static final String MD_SUFFIX = "-bench.md";

    private BenchReport() {}

    /**
     * {@code stem}, or the first of {@code stem-2}, {@code stem-3}, ... whose CSV and report are
     * not in {@code folder} yet: a second bench on the same day writes files of its own.
     */
    public static String freeBase(Path folder, String stem) {
        return freeBase(folder, stem, CSV_SUFFIX, MD_SUFFIX);
    }

    /** {@code stem}, or the first of {@code stem-2}, {@code stem-3}, ... with none of its files (base + suffix) in {@code folder}. */
    public static String freeBase(Path folder, String stem, String... suffixes) {
        String base = stem;
        for (int k = 2; taken(folder, base, suffixes); k++) {
            base = stem + "-" + k;
        }
        return base;
    }

    private static boolean taken(Path folder, String base, String... suffixes) {
        for (String suffix : suffixes) {
            if (Files.exists(folder.resolve(base + suffix))) {
                return true;
            }
        }
        return false;
    }

    /** The CSV of a run, which the run writes row by row ({@link BenchCsv#rowWriter}). */
    public static Path csv(Path folder, String base) {
        return folder.resolve(base + CSV_SUFFIX);
    }

    /** Writes the charts and the Markdown for a finished run whose CSV ({@link #csv}) is written. */
    public static Written complete(Path folder, String base, String title, String runNotes, BenchResults results)
            throws IOException {
        return chartsAndMarkdown(folder, base, title, runNotes, results, csv(folder, base), true);
    }

    /**
     * Redraws the charts and the Markdown of an existing CSV into {@code folder} (null: beside the
     * CSV). The Markdown's "Run" section is kept from the report already there, if any.
     *
     * @throws DataException when the CSV cannot be read as a bench CSV
     */
    public static Written redraw(Path csv, Path folder) throws DataException, IOException {
        BenchResults results = BenchCsv.read(csv);
        Path into = folder != null ? folder : csv.toAbsolutePath().getParent();
        String name = csv.getFileName().toString();
        String base = name.endsWith(CSV_SUFFIX) ? name.substring(0, name.length() - CSV_SUFFIX.length())
                : name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        Path existing = into.resolve(base + MD_SUFFIX);
        String old = Files.isRegularFile(existing) ? Files.readString(existing) : "";
        String notes = runSection(old);
        if (notes == null) {
            notes = "Redrawn by `linreg bench --charts-from " + name + "`; the run's own notes were not found.";
        }
        String title = old.startsWith("# ") ? old.substring(2, old.indexOf('\n') < 0 ? old.length() : old.indexOf('\n')).strip()
                : "linreg bench, " + base;
        return chartsAndMarkdown(into, base, title, notes, results, csv, false);
    }

    private static Written chartsAndMarkdown(Path folder, String base, String title, String runNotes,
            BenchResults results, Path csv, boolean wroteCsv) throws IOException {
        List<String> chartNames = List.of();
        String notice = null;
        try {
            chartNames = drawCharts(results, folder, base);
        } catch (LinkageError e) {
            notice = "charts skipped: no java.desktop; run `linreg bench --charts-from " + csv.getFileName()
                    + "` on a machine with a full JDK";
        } catch (InternalError | RuntimeException e) {
            // Headless AWT without fonts, and the like: the numbers are written all the same.
            notice = "charts skipped: " + e + "; run `linreg bench --charts-from " + csv.getFileName()
                    + "` on a machine with a full JDK and fonts";
        }
        String notes = notice == null ? runNotes : runNotes.strip() + "\n\n" + notice + ".";
        Path md = folder.resolve(base + MD_SUFFIX);
        AtomicFiles.writeString(md, BenchMarkdown.render(title, notes, results, chartNames));
        List<Path> charts = chartNames.stream().map(folder::resolve).toList();
        return new Written(wroteCsv ? csv : null, md, charts, notice);
    }

    /** Draws through a class that is only loaded here, so that a missing java.desktop is caught. */
    private static List<String> drawCharts(BenchResults results, Path folder, String base) throws IOException {
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            throw new NoClassDefFoundError("java/awt/Color (no java.desktop module)");
        }
        return BenchCharts.draw(results, folder, base);
    }

    /** The body of a report's "## Run" section, or null. */
    static String runSection(String markdown) {
        int start = markdown.indexOf("\n## Run\n");
        if (start < 0) {
            return null;
        }
        int from = start + "\n## Run\n".length();
        int end = markdown.indexOf("\n## ", from);
        String body = (end < 0 ? markdown.substring(from) : markdown.substring(from, end)).strip();
        // A notice about skipped charts belongs to the run that could not draw them.
        return body.replaceAll("(?m)^charts skipped: .*$", "").strip();
    }
}
