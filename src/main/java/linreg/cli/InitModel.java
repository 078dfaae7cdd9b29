package linreg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import linreg.data.DataException;
import linreg.model.Model;
import linreg.model.ModelFile;

/**
 * {@code --init-model}: a saved model as the start of a run that continues it: its w and b, and
 * as first epoch the epochs it was trained for (its own first epoch plus those it trained), so
 * that the continued epochs take the orders and rates of one longer run.
 *
 * @param w the model's weights, as the float32 they were trained as
 * @param b its bias
 * @param firstEpoch the epoch the continued run starts at
 * @param record what the new model file records of it: the path and the model's training summary
 */
record InitModel(float[] w, float b, int firstEpoch, Map<String, Object> record) {
    /**
     * @param names the data's feature names, or null
     * @throws DataException for a missing or malformed file, another width or other feature names,
     *     or a model trained on z-scores ({@code --standardize}: not continued yet)
     */
    static InitModel read(Path file, int d, List<String> names) throws DataException {
        Model model = ModelFile.read(file);
        String where = "--init-model " + file;
        model.checkFeatures(d, "the data");
        model.checkFeatureNames(names, "the data");
        if (model.standardization() != null) {
            throw new DataException(where + ": the model was trained with --standardize; continuing a standardised"
                    + " model is not supported yet (its z-scores were fitted on its own data)");
        }
        int first = epochs(model.training().get("first_epoch"), where, "first_epoch", true);
        int trained = epochs(model.training().get("epochs_trained"), where, "epochs_trained", false);
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) model.w()[j];
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("model", file.toString());
        record.put("training", model.training());
        return new InitModel(w, (float) model.b(), first + trained, record);
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
