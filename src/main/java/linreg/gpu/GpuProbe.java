package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;

/**
 * Finds out, without failing, whether the GPU engine can run here and with which strategies, and
 * if not, why: no driver, no device, a device too old, a CUDA library that does not load (with
 * its name).
 */
public final class GpuProbe {
    private GpuProbe() {}

    /**
     * The driver's view: its CUDA version and the GPUs, or why there is none.
     *
     * @param driverVersion e.g. 12040 for CUDA 12.4, 0 when the driver did not answer
     * @param problem null when the driver works and sees at least one GPU
     */
    public record Driver(int driverVersion, List<DeviceInfo> devices, String problem) {
        /** "13.0" from 13000. */
        public String versionText() {
            return driverVersion / 1000 + "." + (driverVersion % 1000) / 10;
        }
    }

    /** The driver's first answer: its view does not change while the process runs. */
    private static Driver driver;

    /** Asks the driver once per process; never throws. */
    public static synchronized Driver driver() {
        if (driver == null) {
            driver = askDriver();
        }
        return driver;
    }

    private static Driver askDriver() {
        NativeLibraries.Load load = NativeLibraries.driver();
        if (!load.loaded()) {
            return new Driver(0, List.of(), "the NVIDIA driver's " + load.library() + " does not load: " + load.detail());
        }
        int result = cuInit(0);
        if (result != CUresult.CUDA_SUCCESS) {
            return new Driver(0, List.of(), "cuInit failed: " + CUresult.stringFor(result)
                    + (result == CUresult.CUDA_ERROR_NO_DEVICE ? " (the driver sees no GPU)" : ""));
        }
        int[] version = {0};
        cuDriverGetVersion(version);
        int[] count = {0};
        result = cuDeviceGetCount(count);
        if (result != CUresult.CUDA_SUCCESS || count[0] == 0) {
            return new Driver(version[0], List.of(), "the driver sees no CUDA device");
        }
        List<DeviceInfo> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            devices.add(describe(i));
        }
        return new Driver(version[0], List.copyOf(devices), null);
    }

    private static DeviceInfo describe(int ordinal) {
        CUdevice device = new CUdevice();
        Status.cuda(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        long[] memory = {0};
        cuDeviceTotalMem(memory, device);
        return new DeviceInfo(ordinal, new String(name, StandardCharsets.US_ASCII).replace("\0", "").strip(),
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT), memory[0],
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH) != 0);
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = {0};
        cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    /** Why GPU {@code ordinal} cannot run the kernels (driver, device, compute capability), or null. */
    public static String deviceReason(int ordinal) {
        Driver driver = driver();
        if (driver.problem() != null) {
            return driver.problem();
        }
        if (ordinal < 0 || ordinal >= driver.devices().size()) {
            return "--device " + ordinal + " does not exist: the driver sees " + driver.devices().size()
                    + " GPU" + (driver.devices().size() == 1 ? "" : "s") + " (0.." + (driver.devices().size() - 1) + ")";
        }
        DeviceInfo device = driver.devices().get(ordinal);
        if (device.compute() < DeviceInfo.MIN_COMPUTE) {
            return device.name() + " has compute capability " + device.computeMajor() + "." + device.computeMinor()
                    + "; the kernels need 7.5 (Turing) or newer";
        }
        return null;
    }

    /**
     * Which strategies can run on GPU {@code ordinal}, and why not: driver, device, compute
     * capability and cuRAND for all; cuBLAS (probed only when the rest is fine) for the pipeline.
     */
    public static StrategySupport strategies(int ordinal) {
        String device = deviceReason(ordinal);
        if (device != null) {
            return StrategySupport.of(device, null, null);
        }
        NativeLibraries.Load curand = NativeLibraries.curand();
        return StrategySupport.of(null, curand, curand.loaded() ? NativeLibraries.cublas() : null);
    }

    /** Why the GPU engine cannot train on device {@code ordinal} with any strategy, or null when it can. */
    public static String unusableReason(int ordinal) {
        return strategies(ordinal).unusableReason();
    }
}
