package linreg.cpu;

import linreg.spec.CanonicalSum;
/**
 * {@link MaeGradient} with a batch's lanes split across a {@link WorkerTeam}: each member fills
 * the lane partials of a contiguous run of (segment, lane) slots, then the caller reduces the
 * segments in the canonical order. The result is bit-identical to the single-threaded one.
 */
final class ParallelMaeGradient {
    /** Segments whose lane partials are held at once; bounds the scratch to about 4 MiB. */
    private static final int SCRATCH_FLOATS = 1 << 20;

    private final MaeGradient reducer;
    private final WorkerTeam team;
    private final int block;
    private final int groupSegments;
    private final float[] acc;
    private final float[][] scratch;

    ParallelMaeGradient(MaeGradient reducer, WorkerTeam team) {
        this.reducer = reducer;
        this.team = team;
        this.block = reducer.segmentBlock();
        this.groupSegments = Math.max(1, SCRATCH_FLOATS / block);
        this.acc = new float[groupSegments * block];
        this.scratch = new float[team.size()][CanonicalSum.LANES];
    }

    /** Same contract as {@link MaeGradient#compute}, unweighted. */
    void compute(float[] x, float[] y, int[] rows, int from, int m, float[] params, float[] out) {
        compute(x, y, null, rows, from, m, params, out);
    }

    /** Same contract as {@link MaeGradient#compute} (v: the rows' weights, or null). */
    void compute(float[] x, float[] y, float[] v, int[] rows, int from, int m, float[] params, float[] out) {
        int lanes = CanonicalSum.lanes(m);
        int segments = CanonicalSum.segments(m);
        int members = team.size();
        for (int first = 0; first < segments; first += groupSegments) {
            int group = Math.min(groupSegments, segments - first);
            int firstSegment = first;
            long slots = (long) group * lanes;
            team.run(member -> {
                long slot = slots * member / members;
                long end = slots * (member + 1) / members;
                while (slot < end) {
                    int g = (int) (slot / lanes);
                    int laneFrom = (int) (slot % lanes);
                    int laneTo = (int) Math.min(lanes, laneFrom + (end - slot));
                    int start = (firstSegment + g) * CanonicalSum.SEGMENT;
                    reducer.accumulateLanes(x, y, v, rows, from + start, Math.min(CanonicalSum.SEGMENT, m - start),
                            lanes, laneFrom, laneTo, params, acc, g * block, scratch[member]);
                    slot += laneTo - laneFrom;
                }
            });
            for (int g = 0; g < group; g++) {
                reducer.combine(acc, g * block, lanes, first + g == 0, out);
            }
        }
    }
}
