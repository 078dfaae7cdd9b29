package linreg.gpu;

import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.HeapRows;
import linreg.data.SampleWeights;
import linreg.train.SampleLimit;

/**
 * Samples on the device: row-major float32 X (n×d) and y (n), and the sample weights v (n) of a
 * weighted run, in buffers owned by the context. Either uploaded once from the host or drawn on
 * the device by {@link DeviceDataGenerator} (unweighted).
 */
public final class DeviceDataset {
    private final long n;
    private final int d;
    private final DeviceBuffer x;
    private final DeviceBuffer y;
    private final DeviceBuffer v;
    private final SampleWeights weights;
    private final float[] trueW;
    private final float trueB;

    DeviceDataset(long n, int d, DeviceBuffer x, DeviceBuffer y, float[] trueW, float trueB) {
        this(n, d, x, y, null, null, trueW, trueB);
    }

    private DeviceDataset(long n, int d, DeviceBuffer x, DeviceBuffer y, DeviceBuffer v, SampleWeights weights,
            float[] trueW, float trueB) {
        this.n = n;
        this.d = d;
        this.x = x;
        this.y = y;
        this.v = v;
        this.weights = weights;
        this.trueW = trueW;
        this.trueB = trueB;
    }

    /** Uploads a host dataset (one copy of X, one of y and, when weighted, one of the weights). */
    public static DeviceDataset upload(CudaContext context, Dataset data) {
        int n = data.samples();
        int d = data.features();
        DeviceBuffer x = context.allocate("X", 4L * DeviceMemoryPlan.evenCount((long) n * d));
        DeviceBuffer y = context.allocate("y", 4L * DeviceMemoryPlan.evenCount(n));
        x.upload(data.featureRows());
        y.upload(data.targets());
        DeviceBuffer v = null;
        if (data.weighted()) {
            v = context.allocate("sample weights", 4L * n);
            v.upload(data.weights().values());
        }
        return new DeviceDataset(n, d, x, y, v, data.weights(), data.trueW(), data.trueB());
    }

    /** Copies X and y to the host once (for the CPU engine to train on the same samples). */
    public Dataset toHost() {
        int rows = SampleLimit.check(n);
        HeapRows hx;
        HeapRows hy;
        try {
            hx = HeapRows.allocate(rows, d, HeapRows.segmentRows(d), 0, "the GPU's " + n + "×" + d + " samples on the host");
            hy = HeapRows.allocate(rows, 1, HeapRows.segmentRows(1), hx.heapBytes(), "the GPU's targets on the host");
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        x.download(hx);
        y.download(hy);
        Dataset host = trueW == null ? Dataset.of(hx, hy, "GPU", null, null) : Dataset.synthetic(hx, hy, trueW, trueB);
        return host.withWeights(weights);  // the weights came from the host: the same values
    }

    public long samples() {
        return n;
    }

    public int features() {
        return d;
    }

    DeviceBuffer x() {
        return x;
    }

    DeviceBuffer y() {
        return y;
    }

    /** The sample weights on the device, or null for an unweighted run. */
    DeviceBuffer v() {
        return v;
    }

    /** Whether the samples carry weights. */
    public boolean weighted() {
        return v != null;
    }

    /** The weights' host values, or null (the hold-out's V and R² take them there). */
    float[] hostWeights() {
        return weights == null ? null : weights.values();
    }

    /** The true w of generated data, or null. */
    public float[] trueW() {
        return trueW == null ? null : trueW.clone();
    }

    public float trueB() {
        return trueB;
    }
}
