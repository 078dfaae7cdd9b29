package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DeviceDataGenerator on the fake driver and cuRAND, with no libcublas.so.11 at all: X is what
 * cuRAND drew, then y is finish_targets (kernels/data.cu, run on the CPU by the fake driver) of X
 * and the next draws, bit for bit. That checks the Java side of the launch (argument order, n, d,
 * b*, the noise's scale, X before the noise, even counts) without a GPU, and that drawing data
 * needs no cuBLAS.
 */
class DeviceDataOnFakeCudaTest {
    @ParameterizedTest(name = "n {0}, d {1}")
    @CsvSource({"1, 1", "1001, 3", "500, 4", "37, 300", "20000, 2"})
    void drawnDataIsCuRandsXAndFinishTargetsY(int n, int d) throws Exception {
        FakeCuda.Result r = FakeCuda.java(Map.of("LD_LIBRARY_PATH", FakeCuda.path("driver", "curand")),
                FakeCudaChild.class.getName(), "data", String.valueOf(n), String.valueOf(d), String.valueOf(n + d));
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("data ok: " + n + " × " + d, r.out().strip());
    }
}
