package linreg.gpu;

import java.util.Locale;

/**
 * One GPU as the driver describes it.
 *
 * @param ordinal the CUDA device index ({@code --device N})
 * @param computeMajor compute capability, major
 * @param computeMinor compute capability, minor
 * @param multiprocessors streaming multiprocessors
 * @param totalBytes device memory
 * @param cooperativeLaunch whether cuLaunchCooperativeKernel is supported
 */
public record DeviceInfo(int ordinal, String name, int computeMajor, int computeMinor, int multiprocessors,
        long totalBytes, boolean cooperativeLaunch) {
    /** Turing (sm_75), the oldest GPU the kernels are built for (DESIGN.md §2). */
    public static final int MIN_COMPUTE = 75;

    /** Compute capability as a number: 7.5 is 75, 9.0 is 90. */
    public int compute() {
        return computeMajor * 10 + computeMinor;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GPU %d: %s, compute capability %d.%d, %d SMs, %.1f GiB",
                ordinal, name, computeMajor, computeMinor, multiprocessors, totalBytes / (double) (1L << 30));
    }
}
