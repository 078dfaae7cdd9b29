package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import linreg.gpu.CopyBandwidth;
import linreg.gpu.GpuProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The copy anchor on a real GPU (skips itself, saying why, where there is none). */
@Tag("gpu")
class CopyBandwidthTest {
    @Test
    void aDeviceToDeviceCopyHasAPlausibleBandwidth() {
        String reason = GpuProbe.unusableReason(0);
        Assumptions.assumeTrue(reason == null, () -> "skipped, no usable GPU: " + reason);
        CopyBandwidth.Result r = CopyBandwidth.measure(0, 64L << 20, 5);
        assertEquals(64L << 20, r.bytes());
        assertEquals(5, r.copies());
        double gbPerSecond = r.trafficBytesPerSecond() / 1e9;
        // Turing and newer: from about 200 GB/s (a T4) to a few TB/s (HBM).
        assertTrue(gbPerSecond > 50 && gbPerSecond < 20_000, gbPerSecond + " GB/s");
    }
}
