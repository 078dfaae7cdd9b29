package linreg.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import linreg.data.DataException;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.spec.Optimiser;
import linreg.train.ConfigException;
import linreg.train.HoldOut;
import linreg.train.Start;
import linreg.train.Stopping;
import linreg.train.TrainConfig;

/**
 * A training configuration as JSON values, the one spelling that {@code train --json},
 * {@code compare --json} and the model file's {@code "training"} object share, and back. The
 * names are the flags' ({@code batch_size} is {@code --batch-size}); a setting that is off is
 * {@code null}; the start is written as the run took it (the drawn w0 too), so a configuration
 * read back trains the same bits.
 */
public final class TrainingCodec {
    private TrainingCodec() {}

    /** The settings of {@code config} for d features, in a fixed order. */
    public static Map<String, Object> write(TrainConfig config, int d) {
        Map<String, Object> c = new LinkedHashMap<>();
        Optimiser o = config.optimiser();
        c.put("loss", config.objective().name());
        c.put("quantile", config.objective().isMae() ? null : config.objective().tau());
        c.put("batch_size", config.batchSize());
        c.put("lr", o.lr());
        c.put("epochs", config.epochs());
        c.put("seed", config.seed());
        c.put("shuffle", config.shuffle());
        c.put("threads", config.threads());
        LearningRateSchedule schedule = o.schedule();
        c.put("lr_schedule", schedule.kind().name());
        c.put("lr_decay", schedule.kind() == LearningRateSchedule.Kind.invsqrt ? schedule.decayEpochs() : null);
        c.put("lr_step_every", schedule.kind() == LearningRateSchedule.Kind.step ? schedule.stepEvery() : null);
        c.put("lr_gamma", schedule.kind() == LearningRateSchedule.Kind.step ? schedule.gamma() : null);
        c.put("momentum", o.momentum());
        c.put("nesterov", o.nesterov());
        c.put("clip_norm", o.clipNorm());
        c.put("fit_intercept", o.intercept());
        c.put("l2", o.l2());
        c.put("l1", o.l1());
        c.put("average", o.average());
        c.put("validation", config.holdOut().fraction());
        c.put("patience", config.stopping().patience());
        c.put("tol", config.stopping().tol());
        float[] start = config.initialParams(d);
        c.put("init_w", Arrays.copyOf(start, d));
        c.put("init_b", start[d]);
        c.put("first_epoch", config.start().firstEpoch());
        return c;
    }

    /**
     * The configuration {@link #write} wrote, read from JSON (numbers by their text, so a float
     * reads back to its bits).
     *
     * @param where names the object in messages ("model.json: training")
     * @throws DataException naming a setting that is missing, of the wrong kind or out of range
     */
    public static TrainConfig read(JsonObject c, String where) throws DataException {
        Reader r = new Reader(c, where);
        LearningRateSchedule.Kind kind = r.choice("lr_schedule", LearningRateSchedule.Kind.values());
        LearningRateSchedule schedule;
        try {
            schedule = new LearningRateSchedule(kind,
                    kind == LearningRateSchedule.Kind.invsqrt ? r.number("lr_decay").doubleValue() : 1,
                    kind == LearningRateSchedule.Kind.step ? r.integer("lr_step_every").intValue() : 10,
                    kind == LearningRateSchedule.Kind.step ? r.number("lr_gamma").doubleValue() : 0.5);
        } catch (IllegalArgumentException e) {
            throw new DataException(where + ": lr_schedule " + kind + ": " + e.getMessage());
        }
        try {
            Number clip = r.optionalNumber("clip_norm");
            Number validation = r.optionalNumber("validation");
            Number patience = r.optionalInteger("patience");
            Number tol = r.optionalNumber("tol");
            Number average = r.optionalInteger("average");
            // Absent from files of before continued runs, which all started at epoch 0.
            Number firstEpoch = c.has("first_epoch") ? r.integer("first_epoch") : 0;
            // Files written before these settings existed fitted b without penalties.
            boolean intercept = !r.has("fit_intercept") || r.bool("fit_intercept");
            Number l2 = r.has("l2") ? r.optionalNumber("l2") : null;
            Number l1 = r.has("l1") ? r.optionalNumber("l1") : null;
            Optimiser optimiser = new Optimiser(r.number("lr").floatValue(), schedule, r.number("momentum").floatValue(),
                    r.bool("nesterov"), clip == null ? null : clip.floatValue(), intercept,
                    l2 == null ? null : l2.floatValue(), l1 == null ? null : l1.floatValue(),
                    average == null ? null : average.intValue());
            Stopping stopping = new Stopping(patience == null ? null : patience.intValue(),
                    tol == null ? null : tol.doubleValue());
            HoldOut holdOut = new HoldOut(validation == null ? null : validation.doubleValue());
            Start start = new Start(r.floats("init_w"), r.number("init_b").floatValue(), firstEpoch.intValue(), null, 0);
            return new TrainConfig(r.objective(), optimiser, stopping, holdOut, start, r.integer("seed").longValue(),
                    r.integer("epochs").intValue(), r.integer("batch_size").intValue(), r.bool("shuffle"),
                    r.integer("threads").intValue());
        } catch (ConfigException e) {
            throw new DataException(where + ": " + e.getMessage());
        }
    }

    /** Typed access to the JSON values, each problem a one-line DataException. */
    private record Reader(JsonObject c, String where) {
        private JsonElement value(String key) throws DataException {
            JsonElement v = c.get(key);
            if (v == null) {
                throw new DataException(where + ": \"" + key + "\" is missing");
            }
            return v;
        }

        boolean has(String key) {
            return c.has(key);
        }

        private DataException wrong(String key, String expected) {
            return new DataException(where + ": \"" + key + "\" is " + c.get(key) + ", expected " + expected);
        }

        Number number(String key) throws DataException {
            return required(key, optionalNumber(key), "a number");
        }

        Number integer(String key) throws DataException {
            return required(key, optionalInteger(key), "an integer");
        }

        private Number required(String key, Number v, String expected) throws DataException {
            if (v == null) {
                throw wrong(key, expected);
            }
            return v;
        }

        Number optionalNumber(String key) throws DataException {
            JsonElement v = value(key);
            if (v.isJsonNull()) {
                return null;
            }
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw wrong(key, "a number");
            }
            return v.getAsNumber();
        }

        Number optionalInteger(String key) throws DataException {
            Number v = optionalNumber(key);
            if (v != null) {
                try {
                    return new BigDecimal(v.toString()).longValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw wrong(key, "an integer");
                }
            }
            return null;
        }

        boolean bool(String key) throws DataException {
            JsonElement v = value(key);
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
                throw wrong(key, "true or false");
            }
            return v.getAsBoolean();
        }

        Objective objective() throws DataException {
            Objective.Kind kind = choice("loss", Objective.Kind.values());
            try {
                return Objective.of(kind, kind == Objective.Kind.mae ? 0.5 : number("quantile").doubleValue());
            } catch (IllegalArgumentException e) {
                throw new DataException(where + ": " + e.getMessage());
            }
        }

        /** The constant of {@code values} that the setting names. */
        <E extends Enum<E>> E choice(String key, E[] values) throws DataException {
            JsonElement v = value(key);
            for (E e : values) {
                if (v.isJsonPrimitive() && e.name().equals(v.getAsString())) {
                    return e;
                }
            }
            throw wrong(key, "one of " + Arrays.toString(values));
        }

        float[] floats(String key) throws DataException {
            JsonElement v = value(key);
            if (!v.isJsonArray()) {
                throw wrong(key, "a list of numbers");
            }
            float[] f = new float[v.getAsJsonArray().size()];
            for (int j = 0; j < f.length; j++) {
                JsonElement e = v.getAsJsonArray().get(j);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                    throw wrong(key, "a list of numbers");
                }
                f[j] = e.getAsFloat();
            }
            return f;
        }
    }
}
