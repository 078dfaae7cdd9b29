package linreg.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The rows of one bench, and what can be read across them (the copy ceiling, the engines). */
public final class BenchResults {
    private final List<BenchRow> rows;

    public BenchResults(List<BenchRow> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<BenchRow> rows() {
        return rows;
    }

    /** The measured device-to-device copy traffic in GB/s, or NaN when the copy did not run. */
    public double copyGbPerSecond() {
        return copyGbPerSecond("dtod");
    }

    /** The measured host-to-device copy bandwidth in GB/s (the streamed case's ceiling), or NaN. */
    public double linkGbPerSecond() {
        return copyGbPerSecond("htod");
    }

    private double copyGbPerSecond(String kind) {
        return rows.stream().filter(r -> "copy".equals(r.engine()) && kind.equals(r.strategy()) && r.ok())
                .mapToDouble(BenchRow::gbPerSecond).findFirst().orElse(Double.NaN);
    }

    /** Bytes of one copy of a copy row: a device-to-device copy counts its bytes twice (read and write). */
    public static double copiedBytes(BenchRow copy) {
        return "dtod".equals(copy.strategy()) ? copy.bytesPerEpoch() / 2 : copy.bytesPerEpoch();
    }

    /**
     * A GPU row's least traffic per second as a fraction of the copy's: how close the epoch comes
     * to being bound by memory bandwidth (NaN for other rows or without a copy measurement); for
     * the streamed case, of the host-to-device link's.
     */
    public double utilisation(BenchRow row) {
        if (!row.ok() || !("gpu".equals(row.engine()) || "torch".equals(row.engine()))) {
            return Double.NaN;
        }
        if (BenchRunner.STREAMED.equals(row.strategy())) {
            return row.gbPerSecond() / linkGbPerSecond();
        }
        return row.gbPerSecond() / copyGbPerSecond();
    }

    /** Training rows (cpu and gpu, not the anchors). */
    public List<BenchRow> training() {
        return rows.stream().filter(BenchRow::training).toList();
    }

    /** Engine keys of the training cases (rows with an n), the CPU's first: "cpu", "gpu/pipeline", ... */
    public List<String> trainingKeys() {
        Set<String> keys = new LinkedHashSet<>();
        training().stream().filter(r -> r.n() > 0).map(BenchRow::key).sorted(Comparator.comparing((String k) -> !k.equals("cpu"))
                .thenComparing(k -> k)).forEach(keys::add);
        return new ArrayList<>(keys);
    }

    /** GPU strategy keys among the training rows: "gpu/pipeline", ... */
    public List<String> gpuKeys() {
        return trainingKeys().stream().filter(k -> k.startsWith("gpu")).toList();
    }

    /** Distinct d of the measured or skipped training cases, ascending. */
    public List<Integer> features() {
        return training().stream().map(BenchRow::d).filter(d -> d > 0).distinct().sorted().toList();
    }

    /** Distinct swept batch sizes, numbers ascending then "full". */
    public List<String> batches() {
        return training().stream().map(BenchRow::batch).filter(b -> !b.isEmpty()).distinct()
                .sorted(BenchResults::compareBatch).toList();
    }

    /** Distinct n of the training cases, ascending. */
    public List<Long> sizes() {
        return training().stream().map(BenchRow::n).filter(n -> n > 0).distinct().sorted().toList();
    }

    /** The training row for one case, or null. */
    public BenchRow find(String key, long n, int d, String batch) {
        for (BenchRow r : rows) {
            if (r.training() && r.key().equals(key) && r.n() == n && r.d() == d && r.batch().equals(batch)) {
                return r;
            }
        }
        return null;
    }

    /** The device of the first row with this engine that names one, or "". */
    public String device(String engine) {
        return rows.stream().filter(r -> r.engine().equals(engine) && !r.device().isEmpty()).map(BenchRow::device)
                .findFirst().orElse("");
    }

    /** Batch sizes in sweep order: 16 < 256 < ... < "full". */
    static int compareBatch(String a, String b) {
        return Long.compare(batchOrder(a), batchOrder(b));
    }

    private static long batchOrder(String batch) {
        return BenchRow.FULL.equals(batch) ? Long.MAX_VALUE : Long.parseLong(batch);
    }
}
