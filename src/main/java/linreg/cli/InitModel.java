package linreg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import linreg.data.DataException;
import linreg.data.Standardizer;
import linreg.model.Model;
import linreg.model.ModelFile;

/**
 * {@code --init-model}: a saved model as the start of a run that continues it: its w and b, and
 * as first epoch the epochs it was trained for (its own first epoch plus those it trained), so
 * that the continued epochs take the orders and rates of one longer run. A model trained on
 * z-scores ({@code --standardize}) is continued on z-scores of its own standardisation (not one
 * fitted again), from its parameters mapped back to z-scores.
 *
 * @param w the model's weights, as the float32 they were trained as (on z-scores for a standardised model)
 * @param b its bias
 * @param standardizer the model's standardisation, or null
 * @param firstEpoch the epoch the continued run starts at
 * @param record what the new model file records of it: the path and the model's training summary
 */
record InitModel(float[] w, float b, int firstEpoch, Standardizer standardizer, Map<String, Object> record) {
    /**
     * @param names the data's feature names, or null
     * @param standardize whether the run trains on z-scores
     * @throws DataException for a missing or malformed file, another width or other feature names,
     *     or a model standardised where the run is not, or the other way round
     */
    static InitModel read(Path file, int d, List<String> names, boolean standardize) throws DataException {
        Model model = ModelFile.read(file);
        String where = "--init-model " + file;
        model.checkFeatures(d, "the data");
        model.checkFeatureNames(names, "the data");
        Standardizer z = model.standardization();
        if ((z != null) != standardize) {
            throw new DataException(where + ": the model was trained " + (z != null ? "with" : "without")
                    + " --standardize; continue it " + (z != null ? "with" : "without") + " --standardize too");
        }
        int first = epochs(model.training().get("first_epoch"), where, "first_epoch", true);
        int trained = epochs(model.training().get("epochs_trained"), where, "epochs_trained", false);
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) (z != null ? z.zWeight(model.w(), j) : model.w()[j]);
        }
        float b = (float) (z != null ? z.zBias(model.w(), model.b()) : model.b());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("model", file.toString());
        record.put("training", model.training());
        return new InitModel(w, b, first + trained, z, record);
    }

    private static int epochs(Object value, String where, String key, boolean optional) throws DataException {
        if (value == null && optional) {
            return 0;  // files from before continued runs started at epoch 0
        }
        if (!(value instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() != Math.rint(
                number.doubleValue()) || number.doubleValue() > Integer.MAX_VALUE) {
            throw new DataException(where + ": its training \"" + key + "\" is " + value + ", expected a number of epochs");
        }
        return number.intValue();
    }
}
