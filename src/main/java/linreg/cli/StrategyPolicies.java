package linreg.cli;

import java.util.List;
import linreg.bench.CostModel;
import linreg.gpu.GpuTrainer;
import linreg.gpu.Strategy;

/** {@code --strategy}: a fixed strategy, or auto: the cost model's pick for the run's shape. */
final class StrategyPolicies {
    private StrategyPolicies() {}

    static GpuTrainer.StrategyPolicy of(TrainingOptions.StrategyChoice choice, String gpuName) {
        if (choice != TrainingOptions.StrategyChoice.auto) {
            Strategy fixed = Strategy.valueOf(choice.name());
            return (n, d, batch) -> fixed;
        }
        CostModel model = CostModel.load(gpuName);
        return (n, d, batch) -> Strategy.valueOf(model.choose(n, d, Math.min(batch, n), gpuKeys()).strategy());
    }

    /** The cost model's keys of every GPU strategy. */
    static List<String> gpuKeys() {
        return java.util.Arrays.stream(Strategy.values()).map(s -> "gpu/" + s.name()).toList();
    }
}
