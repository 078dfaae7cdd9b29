package linreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.spec.Optimiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each part of a configuration checks its own settings; the configuration only what relates two. */
class ConfigPartsTest {
    private static void rejected(String message, Executable build) {
        assertEquals(message, assertThrows(ConfigException.class, build).getMessage());
    }

    private static Optimiser optimiser(float momentum, boolean nesterov, Float clipNorm, Float l2, Integer average) {
        return new Optimiser(0.05f, LearningRateSchedule.CONSTANT, momentum, nesterov, clipNorm, true, l2, null, average);
    }

    @Test
    void eachPartNamesItsBadSetting() {
        rejected("momentum must be in [0, 1), got 1.0", () -> optimiser(1f, false, null, null, null));
        rejected("nesterov needs momentum > 0", () -> optimiser(0f, true, null, null, null));
        rejected("clip_norm must be a finite number > 0, got 0.0", () -> optimiser(0f, false, 0f, null, null));
        rejected("l2 must be a finite number >= 0, got NaN", () -> optimiser(0f, false, null, Float.NaN, null));
        rejected("average must start at an epoch >= 0, got -1", () -> optimiser(0f, false, null, null, -1));
        rejected("patience must be at least 1 epoch, got 0", () -> new Stopping(0, null));
        rejected("tol applies to early stopping: give patience too", () -> new Stopping(null, 0.1));
        rejected("validation must be a fraction in (0, 1), got 1.0", () -> new HoldOut(1.0));
        rejected("init_w must hold finite numbers, got Infinity",
                () -> new Start(new float[] {1f, Float.POSITIVE_INFINITY}, 0f, 0, null, 0));
        rejected("start_average needs a mean and its steps (at least 1) together, got 0",
                () -> new Start(null, 0f, 0, new float[] {1f, 2f}, 0));
    }

    @Test
    void offIsNullInTheParts() {
        Optimiser o = optimiser(0f, false, null, 0f, null);
        assertNull(o.l2(), "a penalty of 0 is no penalty");
        assertEquals(0f, o.l2Alpha());
        assertTrue(o.plain());
        assertFalse(o.averages());
        assertEquals(-1, o.averageStart());
        assertEquals(0.0, new Stopping(3, null).tol(), "patience alone needs no improvement beyond 0");
        assertFalse(new HoldOut(null).validates());
        assertEquals(0, new HoldOut(null).share());
    }

    @Test
    void theConfigurationChecksWhatRelatesTwoParts() {
        rejected("start_average needs average", () -> TrainConfig.builder().startAverage(new float[] {1f, 2f}, 3).build());
        rejected("validation works with loss mae only, not yet with quantile",
                () -> TrainConfig.builder().objective(Objective.quantile(0.3)).validation(0.2).build());
        assertEquals(0f, TrainConfig.builder().initB(0.5f).intercept(false).build().start().b(),
                "without an intercept b starts at 0");
    }
}
