package linreg.bench;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Locale;
import linreg.data.AtomicFiles;
import linreg.data.CsvLoader;
import linreg.data.Dataset;
import linreg.model.QuantileFit;
import linreg.spec.Objective;
import linreg.train.Engines;
import linreg.train.EpochListener;
import linreg.train.StandardizedTraining;
import linreg.train.TrainConfig;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The README's averaging figure: the pinball loss (original units) of the run's result after each
 * epoch, with and without {@code --average}, for one data file, τ and recipe ({@code
 * --standardize}, batch 8, constant lr, CPU engine). A run of E epochs is the first E epochs of a
 * longer one, so each point is the result of a run of that many epochs: the curve is what
 * {@code linreg train} would print at every length, not an estimate.
 *
 * <pre>java -cp target/linreg.jar:target/lib/* linreg.bench.AveragingFigure DATA.csv TAU LR EPOCHS START OUT.png</pre>
 */
public final class AveragingFigure {
    private AveragingFigure() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: AveragingFigure DATA.csv TAU LR EPOCHS START OUT.png");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        double tau = Double.parseDouble(args[1]);
        float lr = Float.parseFloat(args[2]);
        int epochs = Integer.parseInt(args[3]);
        int start = Integer.parseInt(args[4]);
        Dataset data = new CsvLoader().load(file, null);
        double[] x = new double[epochs];
        double[] plain = new double[epochs];
        double[] averaged = new double[epochs];
        for (int e = 1; e <= epochs; e++) {
            x[e - 1] = e - 1;
            plain[e - 1] = pinball(data, tau, lr, e, -1);
            averaged[e - 1] = pinball(data, tau, lr, e, start);
        }
        String name = file.getFileName().toString();
        XYChart chart = new XYChartBuilder().width(900).height(520).xAxisTitle("epoch")
                .yAxisTitle("pinball loss (tau " + tau + ")")
                .title(String.format(Locale.ROOT, "%s, tau %s: constant lr %s, batch 8, --standardize", name, tau, lr))
                .build();
        chart.getStyler().setLocale(Locale.ROOT);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.addSeries("last step's parameters", x, plain);
        chart.addSeries("--average " + start, x, averaged);
        double low = Math.min(min(plain), min(averaged));
        chart.getStyler().setYAxisMin(low * 0.995);
        chart.getStyler().setYAxisMax(low * 1.06);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(Path.of(args[5]), out -> out.write(png.toByteArray()));
        System.out.printf(Locale.ROOT, "%s tau %s: after %d epochs pinball %.6f (last step) and %.6f (--average %d)%n",
                name, tau, epochs, plain[epochs - 1], averaged[epochs - 1], start);
    }

    /** The pinball loss of a run of {@code epochs} epochs ({@code start} -1: no averaging). */
    private static double pinball(Dataset data, double tau, float lr, int epochs, int start) throws Exception {
        TrainConfig config = TrainConfig.builder().objective(Objective.quantile(tau)).lr(lr).epochs(epochs).batchSize(8)
                .average(start).build();
        StandardizedTraining t = StandardizedTraining.train(Engines.cpu(), data, config, EpochListener.NONE);
        return QuantileFit.of(tau, t.w(), t.b(), data).pinball();
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double a : v) {
            m = Math.min(m, a);
        }
        return m;
    }
}
