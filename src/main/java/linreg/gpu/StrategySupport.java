package linreg.gpu;

import java.util.Arrays;
import java.util.List;

/**
 * Which GPU strategies can run on one GPU, and why not. Every strategy needs a usable GPU and
 * cuRAND (which draws generated data); one that {@link Strategy#usesCublas} also needs cuBLAS,
 * through JCuda 11.8's binding, which links libcublas.so.11: CUDA 12 and 13 hosts lack it, and
 * {@link #CUBLAS_FIX} says how to get it there.
 *
 * @param gpuProblem why no strategy can run (driver, device, cuRAND), or null
 * @param cublasProblem why cuBLAS cannot be used, or null (also when it was not probed: gpuProblem)
 */
public record StrategySupport(String gpuProblem, String cublasProblem) {
    /** How to get libcublas.so.11 on a CUDA 12 or 13 host (README, "CUDA 12 and 13 hosts"). */
    public static final String CUBLAS_FIX = "run `make cublas-shim` in linreg-gpu and put its build/cublas-shim on"
            + " LD_LIBRARY_PATH (a libcublas.so.11 that forwards to this host's libcublas.so.13 or .12), or"
            + " pip install nvidia-cublas-cu11 and put its nvidia/cublas/lib there";

    /**
     * From what a probe found: the device's problem (null: none), the cuRAND and cuBLAS loads (null
     * where not probed).
     */
    public static StrategySupport of(String deviceProblem, NativeLibraries.Load curand, NativeLibraries.Load cublas) {
        String gpu = deviceProblem != null ? deviceProblem
                : curand != null && !curand.loaded() ? "cuRAND's " + curand.library() + " does not load: " + curand.detail()
                : null;
        String blas = gpu == null && cublas != null && !cublas.loaded()
                ? "cuBLAS's " + cublas.library() + " does not load: " + cublas.detail() : null;
        return new StrategySupport(gpu, blas);
    }

    /** Why {@code strategy} cannot run, ending with the fix where there is one; null when it can. */
    public String reason(Strategy strategy) {
        if (gpuProblem != null) {
            return gpuProblem;
        }
        return strategy.usesCublas && cublasProblem != null ? cublasProblem + "; fix: " + CUBLAS_FIX : null;
    }

    /** The strategies that can run, in declaration order. */
    public List<Strategy> available() {
        return Arrays.stream(Strategy.values()).filter(s -> reason(s) == null).toList();
    }

    /** Why the GPU engine cannot run at all (no strategy can), or null. */
    public String unusableReason() {
        return available().isEmpty() ? reason(Strategy.values()[0]) : null;
    }

    /**
     * @throws GpuUnavailableException without a usable GPU; {@link StrategyUnavailableException}
     *     when the GPU is usable but {@code strategy} is not
     */
    public void require(Strategy strategy) {
        String why = reason(strategy);
        if (why != null && unusableReason() != null) {
            throw new GpuUnavailableException(unusableReason());
        }
        if (why != null) {
            throw new StrategyUnavailableException("strategy " + strategy + " is unavailable: " + why);
        }
    }
}
