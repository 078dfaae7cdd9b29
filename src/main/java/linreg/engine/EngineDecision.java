package linreg.engine;

import java.util.List;
import linreg.train.Trainer;

/**
 * The engine a run trains on, why, and the one-line notices a user should read (a GPU that cannot
 * be used, a strategy left out, a CPU the cost model expects to win); printing them is the caller's.
 *
 * @param reason why this engine: "--engine cpu", "no usable GPU (...)", "GPU strategy fused (...)"
 */
public record EngineDecision(Trainer trainer, String reason, List<String> notices) {
    public EngineDecision {
        notices = List.copyOf(notices);
    }
}
