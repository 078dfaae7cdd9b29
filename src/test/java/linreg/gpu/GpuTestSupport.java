package linreg.gpu;

import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need a GPU: they run where the GPU engine can, and say why they skip elsewhere.
 * A whole class carries {@link RequiresGpu}; {@link #assumeGpu()} is for a single test body.
 */
final class GpuTestSupport {
    private GpuTestSupport() {}

    /** Why GPU tests skip here ("skipped, no usable GPU: ..."), or null where GPU 0 can run the GPU engine. */
    static String skipReason() {
        String reason = GpuProbe.unusableReason(0);
        return reason == null ? null : "skipped, no usable GPU: " + reason;
    }

    /**
     * Skips the calling test with the reason when GPU 0 cannot run the GPU engine. Not from
     * {@code @BeforeAll}: there it hides the class's tests and the reason (use {@link RequiresGpu}).
     */
    static void assumeGpu() {
        String reason = skipReason();
        Assumptions.assumeTrue(reason == null, reason);
    }
}
