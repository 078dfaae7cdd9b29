package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import linreg.data.SyntheticData;
import linreg.train.EpochListener;
import linreg.train.SampleLimit;
import linreg.train.TrainConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The GPU side where there is no usable GPU (CI, most laptops): a reason, never a crash; and the
 * memory plan, which needs no GPU.
 */
class GpuFallbackTest {
    @Test
    void withoutAGpuEveryEntryNamesTheReason() {
        String reason = GpuProbe.unusableReason(0);
        Assumptions.assumeTrue(reason != null, "a usable GPU is present; the no-GPU path is not reachable here");
        assertTrue(reason.contains("libcuda.so.1") || reason.contains("device") || reason.contains("GPU")
                || reason.contains("libcublas") || reason.contains("libcurand"), reason);
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                () -> new GpuTrainer(0).train(SyntheticData.generate(10, SyntheticData.TUTORIAL_W, 1f, 0),
                        TrainConfig.builder().build()));
        assertEquals(reason, e.getMessage());
        assertThrows(GpuUnavailableException.class, () -> GpuSession.open(0));
        GpuReport.Result report = GpuReport.gather(0);
        assertEquals(reason, report.unusableReason());
        assertTrue(report.lines().get(0).startsWith("NVIDIA driver: "), report.lines().get(0));
    }

    @Test
    void missingDriverIsReportedByItsLoaderMessage() {
        NativeLibraries.Load driver = NativeLibraries.driver();
        Assumptions.assumeFalse(driver.loaded(), "libcuda.so.1 loads here");
        assertTrue(driver.detail().contains("cannot open shared object file") || !driver.detail().isBlank(), driver.detail());
        assertTrue(GpuProbe.driver().problem().contains("libcuda.so.1"), GpuProbe.driver().problem());
    }

    @Test
    void nonexistentDeviceIsNamed() {
        Assumptions.assumeTrue(GpuProbe.driver().problem() == null, "no driver here");
        String reason = GpuProbe.deviceReason(99);
        assertTrue(reason.contains("--device 99"), reason);
    }

    /** More than 2^31 - 1 samples are refused before the GPU is even opened, not wrapped to a negative int. */
    @Test
    void moreSamplesThanARunTakesAreRefused() {
        SampleLimit.TooManySamplesException e = assertThrows(SampleLimit.TooManySamplesException.class,
                () -> new GpuTrainer(0).trainSynthetic(3_000_000_000L, SyntheticData.TUTORIAL_W, 1f, 0,
                        TrainConfig.builder().build(), EpochListener.NONE));
        assertTrue(e.getMessage().startsWith("3000000000 samples are more than a run takes (at most 2^31 - 1"),
                e.getMessage());
        assertEquals(Integer.MAX_VALUE, SampleLimit.check(Integer.MAX_VALUE));
        assertThrows(SampleLimit.TooManySamplesException.class, () -> SampleLimit.check(1L << 31));
    }

    @Test
    void memoryPlanCountsEveryBuffer() {
        // n = 1e6, d = 4, batch 16, 50 epochs, shuffled: X, y, their shuffled copies, then the
        // batch's predictions (64 B), one segment's sums (24 B), parameters, sums, 50 epochs'
        // records and two block counters (20 + 24 + 1600 + 8 B). The noise buffer (4 MB) lives
        // before training and is smaller than what training adds, so it does not raise the peak.
        assertEquals(16_000_000L + 4_000_000 + 16_000_000 + 4_000_000 + 64 + 24 + 1652,
                DeviceMemoryPlan.training(1_000_000, 4, 16, 50, true, true).bytes());
        // Without the shuffle the noise buffer is the peak: X, y and 4 MB.
        assertEquals(16_000_000L + 4_000_000 + 4_000_000,
                DeviceMemoryPlan.training(1_000_000, 4, 16, 50, false, true).bytes());
        // Odd counts are rounded up to even for cuRAND: X and y of n = 3 take 4 floats each.
        assertEquals(16 + 16 + 4 + 12 + (8 + 12 + 32 + 8),
                DeviceMemoryPlan.training(3, 1, 1, 1, false, false).bytes());
        // A hold-out adds a gathered copy of X and y (and 8 B of segment sums per 1024 rows);
        // momentum a velocity per parameter.
        assertEquals(DeviceMemoryPlan.training(1_000_000, 4, 16, 50, true, true).bytes() + 16_000_000 + 4_000_000 + 8 * 977
                + 4 * 5, DeviceMemoryPlan.training(1_000_000, 4, 16, 50, true, true, true, true).bytes());
    }

    @Test
    void memoryPlanCountsTheSampleWeights() {
        // A weighted run adds the weights' column (4 MB for n = 1e6), its shuffled copy and its split copy.
        long plain = DeviceMemoryPlan.training(1_000_000, 4, 16, 50, true, false, true, false).bytes();
        assertEquals(plain + 3 * 4_000_000L,
                DeviceMemoryPlan.training(1_000_000, 4, 16, 50, true, false, true, false).withWeights(1_000_000, true, true)
                        .bytes());
        assertEquals(DeviceMemoryPlan.training(1_000_000, 4, 16, 50, false, false).bytes() + 4_000_000L,
                DeviceMemoryPlan.training(1_000_000, 4, 16, 50, false, false).withWeights(1_000_000, false, false).bytes());
    }

    @Test
    void planThatDoesNotFitSaysNeededAndFree() {
        DeviceInfo card = new DeviceInfo(0, "Test GPU", 9, 0, 132, 80L << 30, true);
        DeviceMemoryPlan plan = DeviceMemoryPlan.training(1_000_000_000L, 4, 65536, 10, true, true);
        DeviceMemoryException e = assertThrows(DeviceMemoryException.class, () -> plan.check(card, 30L << 30));
        assertTrue(e.getMessage().contains("needs 37.5") && e.getMessage().contains("30.00 GiB free"), e.getMessage());
        assertTrue(e.getMessage().contains("Test GPU"), e.getMessage());
        plan.check(card, 40L << 30);
    }
}
