package linreg.bench;

import java.util.List;

/**
 * What a bench measures: engines and GPU strategies × n × batch × d, each case a warm-up and then
 * timed epochs, under a time budget per case.
 *
 * @param engines "cpu" and/or "gpu"
 * @param strategies the GPU strategies (Strategy names)
 * @param sizes the n to try, ascending
 * @param batches batch sizes as numbers or "full"
 * @param features the d to try
 * @param warmup untimed epochs before the timed ones (JIT, caches, cuBLAS's first call)
 * @param epochs timed epochs per case (fewer, down to {@link #MIN_TIMED}, when the budget asks)
 * @param caseBudgetSeconds a case whose estimated time exceeds this is skipped
 * @param threads CPU engine threads
 * @param device the GPU, as CUDA numbers them
 * @param seed the data's, the start's and the shuffles' seed
 * @param adaptive whether short cases get more timed epochs and a longer CPU warm-up (for the JIT)
 *     than {@code epochs} and {@code warmup} say; off when the user gave those numbers
 * @param deadlineSeconds the time the whole sweep may take: a case or anchor whose estimated time
 *     is over what is left is skipped, and the PyTorch anchor's time limit is what is left
 *     (infinite: no limit)
 */
public record BenchSweep(List<String> engines, List<String> strategies, List<Long> sizes, List<String> batches,
        List<Integer> features, int warmup, int epochs, double caseBudgetSeconds, int threads, int device, long seed,
        boolean adaptive, double deadlineSeconds) {
    /** Fewest timed epochs a case is cut down to before it is skipped for time. */
    public static final int MIN_TIMED = 3;

    /** The full sweep: n = 10^3 … 10^8, batch 16 … 65536 and full, d = 4, 64, 1024. */
    public static final List<Long> FULL_SIZES = List.of(1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L);
    public static final List<String> FULL_BATCHES = List.of("16", "256", "4096", "65536", BenchRow.FULL);
    public static final List<Integer> FULL_FEATURES = List.of(4, 64, 1024);

    /** {@code --quick}: a minute or less on a 2-core CPU. */
    public static final List<Long> QUICK_SIZES = List.of(1_000L, 10_000L, 100_000L, 1_000_000L);
    public static final List<String> QUICK_BATCHES = List.of("16", "4096", BenchRow.FULL);
    public static final List<Integer> QUICK_FEATURES = List.of(4, 64);

    public BenchSweep {
        engines = List.copyOf(engines);
        strategies = List.copyOf(strategies);
        sizes = sizes.stream().sorted().distinct().toList();
        batches = batches.stream().distinct().sorted(BenchResults::compareBatch).toList();
        features = features.stream().sorted().distinct().toList();
    }

    /** Training cases in the sweep (before any is skipped). */
    public int caseCount() {
        int perEngine = sizes.size() * batches.size() * features.size();
        return (engines.contains("cpu") ? perEngine : 0) + (engines.contains("gpu") ? perEngine * strategies.size() : 0);
    }

    /** The batch size as the engines take it: "full" is n. */
    public static long rowsPerStep(String batch, long n) {
        return BenchRow.FULL.equals(batch) ? n : Math.min(n, Long.parseLong(batch));
    }
}
