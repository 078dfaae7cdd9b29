package linreg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import linreg.cli.Main;
import linreg.data.Dataset;
import linreg.model.Model;
import linreg.model.ModelFile;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark ML's conventions: params checked with Spark's messages, transform, save and load. */
class EstimatorContractTest {
    private static final long RUN_SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void badParamsGiveSparksErrors() {
        LinregRegressor estimator = new LinregRegressor();
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> estimator.setLr(-1));
        assertTrue(lr.getMessage().contains("parameter lr given invalid value -1.0"), lr.getMessage());
        IllegalArgumentException engine = assertThrows(IllegalArgumentException.class, () -> estimator.setEngine("tpu"));
        assertTrue(engine.getMessage().contains("parameter engine given invalid value tpu"), engine.getMessage());
        assertThrows(IllegalArgumentException.class, () -> estimator.setBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> estimator.setMomentum(1));
        assertThrows(IllegalArgumentException.class, () -> estimator.setNumPartitions(0));
        assertThrows(IllegalArgumentException.class, () -> estimator.setLrSchedule("cosine"));

        Dataset data = Problems.noisy(new SplittableRandom(RUN_SEED), 100, 2, 1);
        IllegalArgumentException nesterov = assertThrows(IllegalArgumentException.class,
                () -> new LinregRegressor().setNesterov(true).fit(LocalSpark.frame(data, 1)));
        assertEquals("nesterov needs momentum > 0", nesterov.getMessage());
    }

    @Test
    void aFeaturesColumnThatIsNoVectorIsRefusedBeforeTraining() {
        org.apache.spark.sql.Dataset<Row> frame = LocalSpark.session().createDataFrame(
                List.of(RowFactory.create(1.0, 2.0), RowFactory.create(2.0, 4.0)),
                DataTypes.createStructType(List.of(DataTypes.createStructField("features", DataTypes.DoubleType, false),
                        DataTypes.createStructField("label", DataTypes.DoubleType, false))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LinregRegressor().fit(frame));
        assertTrue(e.getMessage().contains("Column features must be of type") && e.getMessage().contains("VectorUDT")
                && e.getMessage().endsWith("but was actually class org.apache.spark.sql.types.DoubleType$:double."),
                e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new LinregRegressor().setLabelCol("price").fit(LocalSpark.frame(Problems.noisy(new SplittableRandom(1), 10, 1, 1), 1)));
        assertTrue(missing.getMessage().contains("price"), missing.getMessage());
    }

    @Test
    void rowsTheCoreCannotTrainOnAreNamed() {
        org.apache.spark.sql.Dataset<Row> widths = LocalSpark.session().createDataFrame(
                List.of(RowFactory.create(Vectors.dense(1, 2), 1.0), RowFactory.create(Vectors.dense(1, 2, 3), 2.0)),
                LocalSpark.SCHEMA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinregRegressor().setNumPartitions(1).setEngine("cpu").fit(widths));
        assertTrue(e.getMessage().contains("partition 0, row 1: 3 features, but the partition's first row has 2"), e.getMessage());
        org.apache.spark.sql.Dataset<Row> nan = LocalSpark.session().createDataFrame(
                List.of(RowFactory.create(Vectors.dense(1, 2), 1.0), RowFactory.create(Vectors.dense(1, Double.NaN), 2.0)),
                LocalSpark.SCHEMA);
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> new LinregRegressor().setNumPartitions(1).setEngine("cpu").fit(nan));
        assertTrue(value.getMessage().contains("partition 0: x[1, 1] is NaN"), value.getMessage());
    }

    @Test
    void transformSaveLoadAndLinregPredict() throws Exception {
        Dataset data = Problems.noisy(new SplittableRandom(RUN_SEED ^ 3), 400, 3, 0.1);
        org.apache.spark.sql.Dataset<Row> frame = LocalSpark.frame(data, 2);
        LinregRegressor estimator = new LinregRegressor().setEngine("cpu").setEpochs(5).setPredictionCol("yhat");
        LinregRegressionModel model = estimator.fit(frame);
        List<Row> predicted = model.transform(frame).select("features", "yhat").collectAsList();
        assertEquals(400, predicted.size());
        for (Row row : predicted) {
            assertEquals(model.predict((Vector) row.getAs(0)), row.getDouble(1));
        }

        String saved = dir.resolve("model").toString();
        model.write().overwrite().save(saved);
        LinregRegressionModel loaded = LinregRegressionModel.load(saved);
        assertEquals(model.uid(), loaded.uid());
        assertEquals("yhat", loaded.getPredictionCol());
        assertArrayEquals(model.weights(), loaded.weights());
        assertEquals(model.bias(), loaded.bias());
        assertArrayEquals(model.epochMae(), loaded.epochMae());

        // linreg predict reads the saved model.json as it is and predicts what transform does.
        Path modelJson = Path.of(saved, ModelStore.MODEL_FILE);
        Model file = ModelFile.read(modelJson);
        assertEquals("cpu", file.engine());
        Path csv = Problems.csv(dir.resolve("rows.csv"), data);
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {"predict", "--model", modelJson.toString(), "--data", csv.toString()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertEquals(0, code);
        String[] lines = out.toString().split("\\R");
        assertEquals("prediction", lines[0]);
        for (int i = 0; i < predicted.size(); i++) {
            assertEquals(predicted.get(i).getDouble(1), Double.parseDouble(lines[i + 1]), "row " + i);
        }

        String estimatorPath = dir.resolve("estimator").toString();
        estimator.write().save(estimatorPath);
        LinregRegressor back = LinregRegressor.load(estimatorPath);
        assertEquals(5, back.getEpochs());
        assertEquals("yhat", back.getPredictionCol());
        assertTrue(Files.isDirectory(Path.of(estimatorPath, "metadata")));
    }
}
