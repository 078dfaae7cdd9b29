package linreg.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import linreg.data.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The bench's PNG charts (XChart, log-log): per swept batch size, seconds per epoch against n with
 * one line per engine/strategy and one panel per d; and the GPU/CPU speedup against n, one panel
 * per d, one line per strategy and batch. Needs java.desktop (AWT): callers load this class only
 * through {@link BenchReport}, which turns its absence into a notice.
 */
final class BenchCharts {
    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 460;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2)};
    private static final float[][] DASHES = {null, {8f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};

    private BenchCharts() {}

    /** Draws every chart into {@code folder} as {@code base}-...png; returns the file names written. */
    static List<String> draw(BenchResults results, Path folder, String base) throws IOException {
        List<String> written = new ArrayList<>();
        for (String batch : results.batches()) {
            List<XYChart> panels = new ArrayList<>();
            for (int d : results.features()) {
                XYChart chart = secondsPerEpoch(results, batch, d);
                if (!chart.getSeriesMap().isEmpty()) {
                    panels.add(chart);
                }
            }
            String name = base + "-seconds-per-epoch-batch" + batch + ".png";
            if (save(panels, folder.resolve(name))) {
                written.add(name);
            }
        }
        List<XYChart> speedups = new ArrayList<>();
        for (int d : results.features()) {
            XYChart chart = speedup(results, d);
            if (chart.getSeriesMap().size() > 1) {
                speedups.add(chart);
            }
        }
        String name = base + "-speedup.png";
        if (save(speedups, folder.resolve(name))) {
            written.add(name);
        }
        return written;
    }

    private static XYChart secondsPerEpoch(BenchResults results, String batch, int d) {
        XYChart chart = chart(String.format(Locale.ROOT, "batch %s, d = %d", batch, d), "seconds per epoch");
        List<String> keys = results.trainingKeys();
        for (int k = 0; k < keys.size(); k++) {
            List<Double> ns = new ArrayList<>();
            List<Double> seconds = new ArrayList<>();
            for (long n : results.sizes()) {
                BenchRow r = results.find(keys.get(k), n, d, batch);
                if (r != null && r.ok()) {
                    ns.add((double) n);
                    seconds.add(r.secondsPerEpoch());
                }
            }
            if (!ns.isEmpty()) {
                style(chart.addSeries(keys.get(k), ns, seconds), PALETTE[k % PALETTE.length], DASHES[0]);
            }
        }
        return chart;
    }

    private static XYChart speedup(BenchResults results, int d) {
        XYChart chart = chart(String.format(Locale.ROOT, "GPU speedup over the CPU, d = %d", d), "CPU seconds / GPU seconds");
        List<String> gpuKeys = results.gpuKeys();
        List<String> batches = results.batches();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int g = 0; g < gpuKeys.size(); g++) {
            for (int b = 0; b < batches.size(); b++) {
                List<Double> ns = new ArrayList<>();
                List<Double> ratio = new ArrayList<>();
                for (long n : results.sizes()) {
                    BenchRow gpu = results.find(gpuKeys.get(g), n, d, batches.get(b));
                    BenchRow cpu = results.find("cpu", n, d, batches.get(b));
                    if (gpu != null && cpu != null && gpu.ok() && cpu.ok()) {
                        ns.add((double) n);
                        ratio.add(cpu.secondsPerEpoch() / gpu.secondsPerEpoch());
                        lo = Math.min(lo, n);
                        hi = Math.max(hi, n);
                    }
                }
                if (!ns.isEmpty()) {
                    String name = gpuKeys.get(g) + ", batch " + batches.get(b);
                    style(chart.addSeries(name, ns, ratio), PALETTE[b % PALETTE.length], DASHES[g % DASHES.length]);
                }
            }
        }
        if (hi > 0) {
            XYSeries even = chart.addSeries("break-even", new double[] {lo, Math.max(hi, lo * 10)}, new double[] {1, 1});
            even.setMarker(SeriesMarkers.NONE);
            even.setLineColor(Color.DARK_GRAY);
            even.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
        }
        return chart;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle("n (samples)").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setYAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLocale(Locale.ROOT);
        // No tick-label functions: in XChart 3.8.8 they switch a log axis back to linear ticks.
        return chart;
    }

    private static void style(XYSeries series, Color color, float[] dash) {
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(dash == null ? new BasicStroke(2f)
                : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
    }

    /** The panels side by side in one PNG; false (and nothing written) when there are none. */
    private static boolean save(List<XYChart> panels, Path file) throws IOException {
        if (panels.isEmpty()) {
            return false;
        }
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(panels, 1, panels.size(), out,
                BitmapEncoder.BitmapFormat.PNG));
        return true;
    }
}
