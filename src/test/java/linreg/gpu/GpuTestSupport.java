package linreg.gpu;

import org.junit.jupiter.api.Assumptions;

/** For tests tagged "gpu": they run where the GPU engine can, and say why they skip elsewhere. */
final class GpuTestSupport {
    private GpuTestSupport() {}

    /**
     * Skips the calling test (or class) with the reason when GPU 0 cannot run {@code strategies}
     * (none given: any strategy at all).
     */
    static void assumeGpu(Strategy... strategies) {
        StrategySupport support = GpuProbe.strategies(0);
        String why = support.unusableReason() != null ? "no usable GPU: " + support.unusableReason() : null;
        for (Strategy s : strategies) {
            if (why == null && support.reason(s) != null) {
                why = "strategy " + s + " unavailable: " + support.reason(s);
            }
        }
        String reason = why;
        Assumptions.assumeTrue(reason == null, () -> "skipped, " + reason);
    }
}
