package linreg.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import linreg.data.DataException;
import linreg.model.Model;
import linreg.model.ModelFile;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * A {@link LinregRegressionModel} on any Hadoop file system: Spark ML's {@code metadata/} (the
 * uid and params, by Spark's own writer) and {@code model.json}, the core's model file, which
 * {@code linreg predict --model DIR/model.json} reads as it is (copy it off HDFS or S3 first).
 */
final class ModelStore {
    /** The core's model file inside a saved model's folder. */
    static final String MODEL_FILE = "model.json";

    private ModelStore() {}

    static final class Writer extends MLWriter {
        private final LinregRegressionModel instance;

        Writer(LinregRegressionModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path, MODEL_FILE);
            Path local = null;
            try {
                local = Files.createTempFile("linreg-model", ".json");
                ModelFile.write(local, instance.linregModel());
                FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
                fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(local.toUri()), target);
            } catch (IOException e) {
                throw new UncheckedIOException(target + ": cannot write the model: " + e.getMessage(), e);
            } catch (DataException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } finally {
                deleteQuietly(local);
            }
        }
    }

    static final class Reader extends MLReader<LinregRegressionModel> {
        @Override
        public LinregRegressionModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                    LinregRegressionModel.class.getName());
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path, MODEL_FILE);
            Path local = null;
            try {
                local = Files.createTempFile("linreg-model", ".json");
                source.getFileSystem(sc().hadoopConfiguration())
                        .copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(local.toUri()), true);
                Model model = ModelFile.read(local);
                LinregRegressionModel loaded = new LinregRegressionModel(metadata.uid(), model);
                metadata.getAndSetParams(loaded, Option.empty());
                return loaded;
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": cannot read the model: " + e.getMessage(), e);
            } catch (DataException e) {
                throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(local);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary file left behind costs nothing worth failing a save for
        }
    }
}
