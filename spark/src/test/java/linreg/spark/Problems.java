package linreg.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import linreg.data.CsvLoader;
import linreg.data.DataException;
import linreg.data.Dataset;

/** Test problems: the tutorial's w* = [10, 7, 5, 2, ...], b* = 1.1, Gaussian features and noise. */
final class Problems {
    static final float[] TRUE_W = {10f, 7f, 5f, 2f};
    static final float TRUE_B = 1.1f;

    private Problems() {}

    /** n rows of d features (d ≤ 4) with noise of standard deviation {@code noise}. */
    static Dataset noisy(SplittableRandom random, int n, int d, double noise) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = TRUE_B;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) random.nextGaussian();
                t += (double) x[i * d + j] * TRUE_W[j];
            }
            y[i] = (float) (t + noise * random.nextGaussian());
        }
        return Dataset.synthetic(x, y, d, java.util.Arrays.copyOf(TRUE_W, d), TRUE_B);
    }

    /** The rows as CSV (features, then the target), each float as Java's shortest text of it. */
    static Path csv(Path file, Dataset data) throws IOException {
        int d = data.features();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.samples(); i++) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < d; j++) {
                line.append(data.x()[i * d + j]).append(',');
            }
            lines.add(line.append(data.y()[i]).toString());
        }
        return Files.write(file, lines);
    }

    /** A CSV file as {@code linreg train --data} reads it. */
    static Dataset read(Path csv) throws DataException {
        return new CsvLoader().load(csv, null);
    }
}
