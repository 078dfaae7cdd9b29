package linreg.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import linreg.data.DataException;
import linreg.model.OutputFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/**
 * {@code --plot FILE.png}: the per-epoch mean |residual| of the training rows, and of the
 * validation rows when there are some, against the epoch, drawn by XChart and written atomically
 * as PNG (only PNG: a name with another extension is refused). The y axis is logarithmic when
 * every value is positive and they span two decades or more, as SGD's losses usually do; it is
 * then labelled at 1, 2 and 5 × 10^k. The title names the data by its file name, never its
 * folder.
 *
 * <p>Drawing needs Java's {@code java.desktop} module (AWT) and a font; a runtime without them
 * (a jlinked or "headless" JRE missing fonts) gets a one-line {@link DataException}, so the
 * command exits 2 with the reason instead of a stack trace. The training itself is not lost:
 * callers draw after reporting.
 */
public final class LossPlot {
    static final int WIDTH = 900;
    static final int HEIGHT = 560;
    /** What the y axis shows, in the title and as the axis's label. */
    static final String QUANTITY = "mean |residual|";

    private LossPlot() {}

    /**
     * Refuses a file name that asks for another format than PNG (x.svg, x.pdf): a name ending in
     * .png, or with no extension (a device such as /dev/stdout), is drawn.
     *
     * @throws DataException naming the file
     */
    public static void checkName(Path file) throws DataException {
        Path name = file.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        if (dot > 0 && !s.substring(dot + 1).equalsIgnoreCase("png")) {
            throw new DataException(file + ": --plot draws PNG only; give a file name ending in .png");
        }
    }

    /** "mean |residual| per epoch, data.csv": the data by its file name alone. */
    static String title(String data) {
        return title(data, QUANTITY);
    }

    /** "QUANTITY per epoch, data.csv". */
    static String title(String data, String quantity) {
        if (data == null) {
            return quantity + " per epoch";
        }
        Path name = Path.of(data).getFileName();
        return quantity + " per epoch, " + (name == null ? data : name.toString());
    }

    /** What the plot of a run of {@code objective} shows: the mean |residual|, or the mean pinball loss at τ. */
    static String quantity(linreg.spec.Objective objective) {
        return objective.isMae() ? QUANTITY : "mean pinball loss (tau " + objective.tauText() + ")";
    }

    /**
     * Draws the per-epoch MAE into {@code file}.
     *
     * @param trainMae per epoch, the training rows' mean |residual| (epoch 0 first)
     * @param validationMae per epoch, the validation rows' mean |residual|, or null
     * @param data where the samples came from (a file name, its folders dropped, or "synthetic"), or null
     * @throws DataException one line: not a PNG name, nothing to plot, no java.desktop, or the file cannot be written
     */
    public static void write(Path file, double[] trainMae, double[] validationMae, String data) throws DataException {
        write(file, trainMae, validationMae, data, QUANTITY);
    }

    /** {@link #write(Path, double[], double[], String)} of another per-epoch loss, named {@code quantity}. */
    public static void write(Path file, double[] trainMae, double[] validationMae, String data, String quantity)
            throws DataException {
        checkName(file);
        OutputFile.check(file);
        if (trainMae.length == 0) {
            throw new DataException(file + ": nothing to plot: no epoch ran");
        }
        byte[] png = render(file, trainMae, validationMae, title(data, quantity), quantity);
        OutputFile.write(file, out -> out.write(png));
    }
    private static byte[] render(Path file, double[] trainLoss, double[] validationLoss, String title, String quantity)
            throws DataException {
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            throw new DataException(file + ": cannot draw the plot: this Java runtime has no java.desktop module (AWT);"
                    + " run linreg on a full JDK or JRE");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        try {
            return Drawing.png(trainLoss, validationLoss, title, quantity);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            // AWT without fonts or native libraries fails in many ways, all of them a missing part of Java.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new DataException(file + ": cannot draw the plot: " + message.replace('\n', ' ')
                    + " (Java's desktop libraries or fonts are missing?)");
        }
    }

    /** The XChart calls, apart so that nothing of AWT is loaded before the module check. */
    static final class Drawing {
        /** Wider than this, a log axis is labelled at the decades only: 1, 2, 5 would crowd. */
        private static final double MAX_DECADES_FOR_1_2_5 = 6;

        static byte[] png(double[] trainMae, double[] validationMae, String title, String quantity) throws IOException {
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                    .yAxisTitle(quantity).build();
            XYStyler styler = chart.getStyler();
            styler.setLocale(Locale.ROOT);
            styler.setLegendPosition(Styler.LegendPosition.InsideNE);
            styler.setMarkerSize(trainMae.length > 60 ? 0 : 5);
            styler.setXAxisDecimalPattern("0");
            chart.addSeries("training", epochs(trainMae.length), finite(trainMae));
            if (validationMae != null && validationMae.length > 0) {
                chart.addSeries("validation", epochs(validationMae.length), finite(validationMae));
            }
            double[] range = range(trainMae, validationMae);
            if (logarithmic(trainMae, validationMae)) {
                // XChart labels a log axis at the decades alone or at every 1..9 × 10^k, which
                // collide; it lays out the latter unseen, so that their column is wide enough,
                // and the labels drawn are the 1, 2, 5 × 10^k among them.
                styler.setYAxisLogarithmic(true);
                styler.setYAxisLogarithmicDecadeOnly(false);
                styler.setYAxisTickLabelsColor(new Color(0, 0, 0, 0));
                chart.addAnnotation(new LogAxisLabels(logTicks(range[0], range[1])));
            } else {
                // Given the data's own range, XChart puts the ticks at the data values themselves
                // when they are evenly spaced (always so for one or two epochs), each in 17 digits.
                double[] axis = linearAxis(range[0], range[1]);
                styler.setYAxisMin(axis[0]);
                styler.setYAxisMax(axis[1]);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(chart, bytes, BitmapEncoder.BitmapFormat.PNG);
            return bytes.toByteArray();
        }

        private static double[] epochs(int count) {
            double[] x = new double[count];
            Arrays.setAll(x, e -> e);
            return x;
        }

        /** Non-finite losses become gaps (NaN), which XChart leaves out. */
        private static double[] finite(double[] values) {
            double[] v = values.clone();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    v[i] = Double.NaN;
                }
            }
            return v;
        }

        /** The smallest and largest finite value of the series (0, 0 when there is none). */
        static double[] range(double[] trainMae, double[] validationMae) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] series : new double[][] {trainMae, validationMae == null ? new double[0] : validationMae}) {
                for (double v : series) {
                    if (Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            return min <= max ? new double[] {min, max} : new double[] {0, 0};
        }

        static boolean logarithmic(double[] trainMae, double[] validationMae) {
            for (double[] series : new double[][] {trainMae, validationMae == null ? new double[0] : validationMae}) {
                for (double v : series) {
                    if (!(v > 0) || Double.isInfinite(v)) {
                        return false;
                    }
                }
            }
            double[] range = range(trainMae, validationMae);
            return range[1] >= 100 * range[0];
        }

        /**
         * A linear axis's range: min and max rounded out to a 1, 2 or 5 × 10^k step (from 0 for a
         * single value), so that XChart's ticks are round numbers.
         */
        static double[] linearAxis(double min, double max) {
            if (min == max) {
                return min == 0 ? new double[] {0, 1} : new double[] {Math.min(0, min), Math.max(0, roundUp(max, step(Math.abs(max) / 4)))};
            }
            double step = step((max - min) / 4);
            return new double[] {Math.floor(min / step) * step, roundUp(max, step)};
        }

        private static double roundUp(double v, double step) {
            return Math.ceil(v / step) * step;
        }

        /** The smallest 1, 2 or 5 × 10^k at least {@code x} (> 0). */
        static double step(double x) {
            double decade = Math.pow(10, Math.floor(Math.log10(x)));
            for (int m : new int[] {1, 2, 5}) {
                if (m * decade >= x) {
                    return m * decade;
                }
            }
            return 10 * decade;
        }

        /**
         * The labels of a log axis over min..max: 1, 2, 5 × 10^k, or the decades alone over a wide
         * span, over whole decades, as XChart's axis reaches a little past the data (the labels
         * outside the plot are not drawn).
         */
        static List<Double> logTicks(double min, double max) {
            int low = (int) Math.floor(Math.log10(min));
            int high = (int) Math.ceil(Math.log10(max));
            int[] mantissas = high - low <= MAX_DECADES_FOR_1_2_5 ? new int[] {1, 2, 5} : new int[] {1};
            List<Double> ticks = new ArrayList<>();
            for (int k = low; k <= high; k++) {
                for (int m : mantissas) {
                    ticks.add(Double.parseDouble(m + "e" + k));  // the decimal value itself, not m · 10^k rounded twice
                }
            }
            return ticks;
        }

        /** A tick label as XChart writes its own: "0.05", "20", or "2E-5" and "5E3" outside 0.001..1000. */
        static String label(double v) {
            String pattern = Math.abs(v) > 1000.0 || Math.abs(v) < 0.001 ? "0E0" : "0.###";
            return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
        }
    }

    /**
     * The labels of a log y axis, in XChart's tick-label font and colour, right-aligned in the
     * column XChart keeps for its own (unseen) labels, beside their grid lines.
     */
    private static final class LogAxisLabels extends Annotation {
        private final List<Double> values;

        LogAxisLabels(List<Double> values) {
            super(false);
            this.values = values;
        }

        @Override
        public void paint(Graphics2D g) {
            AxesChartStyler s = (AxesChartStyler) styler;
            Font font = s.getAxisTickLabelsFont();
            g.setFont(font);
            g.setColor(s.getAxisTickLabelsColor());
            Object antialiasing = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            double right = getXAxisScreenValueForMin() - s.getPlotMargin() - s.getAxisTickMarkLength() - s.getAxisTickPadding();
            for (double v : values) {
                int y = getYAxisScreenValue(v);
                if (y <= getYAxisScreenValueForMin() || y >= getYAxisScreenValueForMax()) {
                    continue;
                }
                Shape text = new TextLayout(Drawing.label(v), font, g.getFontRenderContext()).getOutline(null);
                Rectangle2D bounds = text.getBounds();
                AffineTransform saved = g.getTransform();
                g.translate(right - bounds.getWidth(), y + bounds.getHeight() / 2.0);
                g.fill(text);
                g.setTransform(saved);
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, antialiasing);
        }
    }
}
