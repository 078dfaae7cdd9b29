package linreg.gpu;

import org.junit.jupiter.api.Assumptions;

/** For tests tagged "gpu": they run where the GPU engine can, and say why they skip elsewhere. */
final class GpuTestSupport {
    private GpuTestSupport() {}

    /** Skips the calling test (or class) with the reason when GPU 0 cannot run the GPU engine. */
    static void assumeGpu() {
        String reason = GpuProbe.unusableReason(0);
        Assumptions.assumeTrue(reason == null, () -> "skipped, no usable GPU: " + reason);
    }
}
