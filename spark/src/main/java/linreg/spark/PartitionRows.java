package linreg.spark;

import java.util.Arrays;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SampleWeights;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import scala.collection.Iterator;

/**
 * A partition's (features, label[, weight]) rows as the core's host dataset: float32 like every
 * file the command line reads, in the partition's order.
 */
final class PartitionRows {
    private PartitionRows() {}

    /**
     * The rows, or null for an empty partition.
     *
     * @throws IllegalArgumentException naming the partition and row of a null, a vector of another
     *     width than the first row's, a value the core does not train on or a bad weight
     */
    static Dataset read(Iterator<Row> rows, int partition) {
        float[] x = new float[0];
        float[] y = new float[0];
        float[] v = null;
        int n = 0;
        int d = -1;
        while (rows.hasNext()) {
            Row row = rows.next();
            String where = "partition " + partition + ", row " + n;
            boolean weighted = row.size() > 2;
            if (row.isNullAt(0) || row.isNullAt(1) || weighted && row.isNullAt(2)) {
                throw new IllegalArgumentException(where + ": the "
                        + (row.isNullAt(0) ? "features" : row.isNullAt(1) ? "label" : "weight") + " is null");
            }
            Vector features = row.getAs(0);
            if (d < 0) {
                d = features.size();
                if (d == 0) {
                    throw new IllegalArgumentException(where + ": the features vector is empty");
                }
            } else if (features.size() != d) {
                throw new IllegalArgumentException(where + ": " + features.size() + " features, but the partition's first row has " + d);
            }
            if (n == y.length) {
                int grown = Math.max(1024, y.length * 2);
                if ((long) grown * d > Dataset.MAX_ELEMENTS) {
                    grown = (int) (Dataset.MAX_ELEMENTS / d);
                    if (grown <= n) {
                        throw new IllegalArgumentException("partition " + partition + ": more rows than a host array holds;"
                                + " use more partitions");
                    }
                }
                x = Arrays.copyOf(x, grown * d);
                y = Arrays.copyOf(y, grown);
                v = weighted ? Arrays.copyOf(v == null ? new float[0] : v, grown) : null;
            }
            for (int j = 0; j < d; j++) {
                x[n * d + j] = (float) features.apply(j);
            }
            y[n] = (float) row.getDouble(1);
            if (weighted) {
                v[n] = (float) row.getDouble(2);
            }
            n++;
        }
        if (n == 0) {
            return null;
        }
        String where = "partition " + partition;
        try {
            Dataset data = Dataset.of(Arrays.copyOf(x, n * d), Arrays.copyOf(y, n), d, where, null, null);
            return v == null ? data : data.withWeights(SampleWeights.of(Arrays.copyOf(v, n), "weightCol", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
