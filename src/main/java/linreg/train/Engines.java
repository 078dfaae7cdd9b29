package linreg.train;

import linreg.cpu.CpuTrainer;

/**
 * Where training engines come from: the Java API's entry point.
 *
 * <pre>{@code
 * Dataset data = SyntheticData.generate(500, SyntheticData.TUTORIAL_W, SyntheticData.TUTORIAL_B, 0);
 * TrainResult result = Engines.cpu().train(data, TrainConfig.builder().build());
 * }</pre>
 */
public final class Engines {
    private Engines() {}

    /** The pure-Java engine; threads come from {@link TrainConfig#threads()}, at most one per available processor. */
    public static Trainer cpu() {
        return new CpuTrainer();
    }
}
