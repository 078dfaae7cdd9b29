package linreg.spark;

import java.util.ArrayList;
import java.util.List;
import linreg.data.Dataset;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One local Spark for every test of the module. local[4]: a barrier stage needs a slot for each
 * of its tasks at once, and the largest test has four (threads, on this machine's two cores).
 */
final class LocalSpark {
    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, org.apache.spark.sql.types.Metadata.empty())});
    /** {@link #SCHEMA} and a "weight" column, for weighted samples. */
    static final StructType WEIGHTED = SCHEMA.add("weight", DataTypes.DoubleType, false);

    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[4]").appName("linreg-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }

    /**
     * The core's samples as a (features, label) frame, or (features, label, weight) for weighted
     * samples, in {@code partitions} slices of consecutive rows, in order.
     */
    static org.apache.spark.sql.Dataset<Row> frame(Dataset data, int partitions) {
        int d = data.features();
        List<Row> rows = new ArrayList<>(data.samples());
        for (int i = 0; i < data.samples(); i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = data.x()[i * d + j];
            }
            rows.add(data.weighted()
                    ? RowFactory.create(Vectors.dense(x), (double) data.y()[i], (double) data.weights().values()[i])
                    : RowFactory.create(Vectors.dense(x), (double) data.y()[i]));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
        return session().createDataFrame(jsc.parallelize(rows, partitions), data.weighted() ? WEIGHTED : SCHEMA);
    }
}
