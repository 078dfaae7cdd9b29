package linreg.spark;

import java.util.Arrays;
import linreg.data.Dataset;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import scala.collection.Iterator;

/**
 * A partition's (features, label) rows as the core's host dataset: float32 like every file the
 * command line reads, in the partition's order.
 */
final class PartitionRows {
    private PartitionRows() {}

    /**
     * The rows, or null for an empty partition.
     *
     * @throws IllegalArgumentException naming the partition and row of a null, a vector of another
     *     width than the first row's, or a value the core does not train on
     */
    static Dataset read(Iterator<Row> rows, int partition) {
        float[] x = new float[0];
        float[] y = new float[0];
        int n = 0;
        int d = -1;
        while (rows.hasNext()) {
            Row row = rows.next();
            String where = "partition " + partition + ", row " + n;
            if (row.isNullAt(0) || row.isNullAt(1)) {
                throw new IllegalArgumentException(where + ": the " + (row.isNullAt(0) ? "features" : "label") + " is null");
            }
            Vector v = row.getAs(0);
            if (d < 0) {
                d = v.size();
                if (d == 0) {
                    throw new IllegalArgumentException(where + ": the features vector is empty");
                }
            } else if (v.size() != d) {
                throw new IllegalArgumentException(where + ": " + v.size() + " features, but the partition's first row has " + d);
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
            }
            for (int j = 0; j < d; j++) {
                x[n * d + j] = (float) v.apply(j);
            }
            y[n] = (float) row.getDouble(1);
            n++;
        }
        if (n == 0) {
            return null;
        }
        try {
            return Dataset.of(Arrays.copyOf(x, n * d), Arrays.copyOf(y, n), d, "partition " + partition, null, null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("partition " + partition + ": " + e.getMessage());
        }
    }
}
