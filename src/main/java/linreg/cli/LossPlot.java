package linreg.cli;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import linreg.data.DataException;
import linreg.model.OutputFile;

/**
 * {@code --plot FILE.png}: the per-epoch training loss, and the validation loss when there is
 * one, against the epoch, drawn by XChart and written atomically as PNG. The loss axis is
 * logarithmic when every value is positive and they span two decades or more, as SGD's losses
 * usually do.
 *
 * <p>Drawing needs Java's {@code java.desktop} module (AWT) and a font; a runtime without them
 * (a jlinked or "headless" JRE missing fonts) gets a one-line {@link DataException}, so the
 * command exits 2 with the reason instead of a stack trace. The training itself is not lost:
 * callers draw after reporting.
 */
public final class LossPlot {
    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    private LossPlot() {}

    /**
     * Draws the losses into {@code file}.
     *
     * @param trainLoss per epoch, the training loss (epoch 0 first)
     * @param validationLoss per epoch, the validation loss, or null
     * @throws DataException one line: nothing to plot, no java.desktop, or the file cannot be written
     */
    public static void write(Path file, double[] trainLoss, double[] validationLoss, String title) throws DataException {
        OutputFile.check(file);
        if (trainLoss.length == 0) {
            throw new DataException(file + ": nothing to plot: no epoch ran");
        }
        byte[] png = render(file, trainLoss, validationLoss, title);
        OutputFile.write(file, out -> out.write(png));
    }

    private static byte[] render(Path file, double[] trainLoss, double[] validationLoss, String title) throws DataException {
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            throw new DataException(file + ": cannot draw the plot: this Java runtime has no java.desktop module (AWT);"
                    + " run linreg on a full JDK or JRE");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        try {
            return Drawing.png(trainLoss, validationLoss, title);
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
        static byte[] png(double[] trainLoss, double[] validationLoss, String title) throws java.io.IOException {
            var chart = new org.knowm.xchart.XYChartBuilder().width(WIDTH).height(HEIGHT).title(title == null ? "" : title)
                    .xAxisTitle("epoch").yAxisTitle("loss").build();
            var styler = chart.getStyler();
            styler.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
            styler.setMarkerSize(trainLoss.length > 60 ? 0 : 5);
            styler.setXAxisDecimalPattern("0");
            styler.setYAxisLogarithmic(logarithmic(trainLoss, validationLoss));
            chart.addSeries("training", epochs(trainLoss.length), finite(trainLoss));
            if (validationLoss != null && validationLoss.length > 0) {
                chart.addSeries("validation", epochs(validationLoss.length), finite(validationLoss));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            org.knowm.xchart.BitmapEncoder.saveBitmap(chart, bytes, org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
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

        static boolean logarithmic(double[] trainLoss, double[] validationLoss) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double[] series : new double[][] {trainLoss, validationLoss == null ? new double[0] : validationLoss}) {
                for (double v : series) {
                    if (!(v > 0) || Double.isInfinite(v)) {
                        return false;
                    }
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            return max >= 100 * min;
        }
    }
}
