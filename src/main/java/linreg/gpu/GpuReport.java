package linreg.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code linreg doctor} says about the GPU side, line by line: the driver, each GPU, the
 * CUDA libraries the JCuda bindings need, and whether the PTX modules JIT-compile on each GPU.
 * Gathering it never throws: every failure becomes a line.
 */
public final class GpuReport {
    private GpuReport() {}

    /**
     * What was found: the driver and its GPUs, the CUDA libraries, per GPU the PTX check, and
     * which strategies can run on GPU {@code ordinal}.
     *
     * @param ptx per GPU (in the driver's order) the outcome of loading every PTX module
     */
    public record Result(NativeLibraries.Load driverLibrary, GpuProbe.Driver driver, NativeLibraries.Load curand,
            NativeLibraries.Load cublas, List<String> ptx, StrategySupport strategies) {
        /** Why no strategy can run (null: the GPU engine is usable). */
        public String unusableReason() {
            return strategies.unusableReason();
        }

        /** The report as doctor prints it, a line each. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("NVIDIA driver: " + driverLibrary + (driver.driverVersion() > 0 ? "; CUDA " + driver.versionText() : ""));
            if (driver.problem() != null) {
                lines.add("GPUs: none (" + driver.problem() + ")");
            }
            for (DeviceInfo device : driver.devices()) {
                lines.add(device + ", cooperative launch " + (device.cooperativeLaunch() ? "yes" : "no"));
            }
            lines.add(curand.toString());
            lines.add(cublas.toString());
            for (DeviceInfo device : driver.devices()) {
                lines.add("PTX modules on GPU " + device.ordinal() + ": " + ptx.get(device.ordinal()));
            }
            return lines;
        }
    }

    public static Result gather(int ordinal) {
        NativeLibraries.Load driverLibrary = NativeLibraries.driver();
        GpuProbe.Driver driver = GpuProbe.driver();
        List<String> ptx = new ArrayList<>();
        for (DeviceInfo device : driver.devices()) {
            ptx.add(jitCheck(device.ordinal()));
        }
        return new Result(driverLibrary, driver, NativeLibraries.curand(), NativeLibraries.cublas(), List.copyOf(ptx),
                GpuProbe.strategies(ordinal));
    }

    /** Loads every PTX module on the GPU (the driver JIT-compiles it) and reports free memory. */
    private static String jitCheck(int ordinal) {
        String reason = GpuProbe.deviceReason(ordinal);
        if (reason != null) {
            return "not tried (" + reason + ")";
        }
        try (CudaContext context = CudaContext.open(ordinal)) {
            context.kernels();
            long[] memory = context.memoryInfo();
            StringBuilder names = new StringBuilder();
            for (String[] module : Kernels.MODULES) {
                names.append(names.length() == 0 ? "" : ", ").append(module[0]);
            }
            return String.format(Locale.ROOT, "all JIT-compiled (%s); %.1f GiB of %.1f GiB free", names,
                    memory[0] / (double) (1L << 30), memory[1] / (double) (1L << 30));
        } catch (RuntimeException | LinkageError e) {
            return "FAILED: " + e.getMessage();
        }
    }
}
