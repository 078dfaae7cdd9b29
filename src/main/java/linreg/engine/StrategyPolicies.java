package linreg.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import linreg.bench.CostModel;
import linreg.gpu.GpuTrainer;
import linreg.gpu.Strategy;
import linreg.gpu.StrategySupport;

/**
 * {@code --strategy}: a fixed strategy, or auto: the cost model's pick among the strategies that
 * can run here; and the notice that says so when auto had to leave one out.
 */
public final class StrategyPolicies {
    private StrategyPolicies() {}

    /**
     * @throws linreg.gpu.StrategyUnavailableException for a fixed strategy that cannot run here
     *     (its message names why and the fix)
     */
    public static GpuTrainer.StrategyPolicy of(StrategyChoice choice, CostModel model, StrategySupport support) {
        if (choice != StrategyChoice.auto) {
            Strategy fixed = Strategy.valueOf(choice.name());
            support.require(fixed);
            return (n, d, batch) -> fixed;
        }
        List<String> keys = keys(support.available());
        return (n, d, batch) -> Strategy.valueOf(model.choose(n, d, Math.min(batch, n), keys).strategy());
    }

    /**
     * With auto, when a strategy was left out because it cannot run here: one line naming the
     * strategy that runs and each one left out, with why and the fix; otherwise null.
     */
    public static String notice(StrategyChoice choice, StrategySupport support, Strategy picked) {
        if (choice != StrategyChoice.auto) {
            return null;
        }
        List<String> left = Arrays.stream(Strategy.values()).filter(s -> support.reason(s) != null)
                .map(s -> "strategy " + s + " is unavailable: " + support.reason(s)).toList();
        return left.isEmpty() ? null : "linreg: the GPU runs strategy " + picked + "; " + String.join("; ", left);
    }

    /** The cost model's keys of these GPU strategies: "gpu/pipeline", ... */
    public static List<String> keys(Collection<Strategy> strategies) {
        return strategies.stream().map(s -> "gpu/" + s.name()).toList();
    }
}
