package linreg.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import linreg.spec.CanonicalSum;

/**
 * The device memory a GPU run needs, worked out before anything is allocated, so that a problem
 * too big for the card fails at once with the sizes instead of half-way with an allocation error.
 */
public final class DeviceMemoryPlan {
    /** Kept free for cuBLAS's workspace, the modules and the driver's own use. */
    public static final long RESERVE_BYTES = 256L << 20;

    private final List<String> names = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();

    private DeviceMemoryPlan() {}

    /** Floats for a cuRAND normal draw of {@code count} values: cuRAND wants an even count. */
    static long evenCount(long count) {
        return (count + 1) & ~1L;
    }

    /**
     * A training run of n samples with d features.
     *
     * @param generated whether the data is drawn on the device (a noise buffer of n floats lives
     *     until y is done; it is freed before training, so it only counts when bigger than what
     *     training adds)
     */
    public static DeviceMemoryPlan training(long n, int d, int batch, int epochs, boolean shuffle, boolean generated) {
        return training(n, d, batch, epochs, shuffle, generated, false, false);
    }

    /**
     * As {@link #training(long, int, int, int, boolean, boolean)}, with a validation hold-out (a
     * gathered copy of X and y) and momentum (a velocity per parameter).
     */
    public static DeviceMemoryPlan training(long n, int d, int batch, int epochs, boolean shuffle, boolean generated,
            boolean validation, boolean momentum) {
        DeviceMemoryPlan plan = new DeviceMemoryPlan();
        long m = Math.min(batch, n);
        plan.add("X (n×d floats)", 4 * evenCount(n * d));
        plan.add("y", 4 * evenCount(n));
        long training = 0;
        if (shuffle) {
            training += plan.add("shuffled X", 4 * n * d);
            training += plan.add("shuffled y", 4 * n);
        }
        training += plan.add("batch predictions", 4 * m);
        training += plan.add("segment sums", 4L * CanonicalSum.segments((int) m) * (d + 2));
        training += plan.add("parameters, sums and epoch records", 4L * (d + 1) + 4L * (d + 2) + 32L * Math.max(1, epochs) + 8);
        if (validation) {
            training += plan.add("validation split copy", 4L * n * d + 4L * n + 8L * CanonicalSum.segments((int) Math.min(n, Integer.MAX_VALUE)));
        }
        if (momentum) {
            training += plan.add("velocity", 4L * (d + 1));
        }
        if (generated && 4 * evenCount(n) > training) {
            plan.add("noise while generating y", 4 * evenCount(n) - training);
        }
        return plan;
    }

    /**
     * This plan with the sample weights of a weighted run of n samples: one column of n floats,
     * its shuffled copy (the pipeline's shuffle) and its hold-out split copy.
     */
    DeviceMemoryPlan withWeights(long n, boolean shuffle, boolean validation) {
        add("sample weights", 4 * n);
        if (shuffle) {
            add("shuffled weights", 4 * n);
        }
        if (validation) {
            add("validation split weights", 4 * n);
        }
        return this;
    }

    /**
     * A streamed run ({@link StreamingTrainer}): the ring of chunks instead of the data, and the
     * buffers of the per-batch kernels.
     */
    public static DeviceMemoryPlan streaming(StreamPlan stream, int epochs, boolean momentum) {
        DeviceMemoryPlan plan = new DeviceMemoryPlan();
        int d = stream.features();
        plan.add("stream ring (" + stream.slots() + " chunks of " + stream.chunkRows() + " rows)", stream.ringBytes());
        plan.add("segment sums", 4L * CanonicalSum.segments(stream.batch()) * (d + 2));
        plan.add("parameters, sums and epoch records", 4L * (d + 1) + 4L * (d + 2) + 32L * Math.max(1, epochs) + 8);
        if (momentum) {
            plan.add("velocity", 4L * (d + 1));
        }
        return plan;
    }

    /** Whether the plan fits in {@code freeBytes} with the reserve. */
    public boolean fits(long freeBytes) {
        return bytes() + RESERVE_BYTES <= freeBytes;
    }

    private long add(String name, long bytes) {
        names.add(name);
        sizes.add(bytes);
        return bytes;
    }

    /** Bytes the run needs, without the reserve. */
    public long bytes() {
        return sizes.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Checks the plan against the free memory of the context's GPU.
     *
     * @throws DeviceMemoryException saying how much is needed and how much is free
     */
    public void check(DeviceInfo device, long freeBytes) {
        long needed = bytes() + RESERVE_BYTES;
        if (needed > freeBytes) {
            throw new DeviceMemoryException(String.format(Locale.ROOT,
                    "the run needs %s of GPU memory (%s, plus %s reserve) but %s has %s free; use fewer samples, "
                            + "or --no-shuffle to drop the shuffled copy",
                    gib(needed), breakdown(), gib(RESERVE_BYTES), device.name(), gib(freeBytes)));
        }
    }

    /** "X (n×d floats) 1.5 GiB, y 0.4 GiB, ...". */
    public String breakdown() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(gib(sizes.get(i)));
        }
        return s.toString();
    }

    static String gib(long bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
