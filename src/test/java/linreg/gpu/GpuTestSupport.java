package linreg.gpu;

import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need a GPU: they run where the GPU engine can, and say why they skip elsewhere.
 * A whole class carries {@link RequiresGpu}; {@link #assumeGpu()} is for a single test body.
 */
final class GpuTestSupport {
    private GpuTestSupport() {}

    /**
     * Why GPU tests skip here ("skipped, no usable GPU: ..."), or null where GPU 0 can run
     * {@code strategies} (none given: any strategy at all).
     */
    static String skipReason(Strategy... strategies) {
        StrategySupport support = GpuProbe.strategies(0);
        String why = support.unusableReason() != null ? "no usable GPU: " + support.unusableReason() : null;
        for (Strategy s : strategies) {
            if (why == null && support.reason(s) != null) {
                why = "strategy " + s + " unavailable: " + support.reason(s);
            }
        }
        return why == null ? null : "skipped, " + why;
    }

    /**
     * Skips the calling test with the reason when GPU 0 cannot run {@code strategies}. Not from
     * {@code @BeforeAll}: there it hides the class's tests and the reason (use {@link RequiresGpu}).
     */
    static void assumeGpu(Strategy... strategies) {
        String reason = skipReason(strategies);
        Assumptions.assumeTrue(reason == null, reason);
    }
}
