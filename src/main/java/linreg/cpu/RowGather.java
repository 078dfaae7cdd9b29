package linreg.cpu;

import linreg.data.FloatRows;

/**
 * Copies chosen rows of a data set (features and targets) into small row-major arrays, in the
 * order given: how an epoch's shuffled rows reach the CPU engine's steps ({@link RowFeed}) and
 * the GPU's streamed chunks. Rows in one array are copied by the loops below; rows in segments
 * or mapped from a file through {@link FloatRows}.
 */
public final class RowGather {
    /** The rows as one array each, or null: then {@link #rows} and {@link #targets}. */
    private final float[] x;
    private final float[] y;
    private final FloatRows rows;
    private final FloatRows targets;
    private final int d;

    public RowGather(FloatRows x, FloatRows y) {
        float[] ax = x.array();
        float[] ay = y.array();
        this.x = ax != null && ay != null ? ax : null;
        this.y = ax != null && ay != null ? ay : null;
        this.rows = x;
        this.targets = y;
        this.d = x.width();
    }

    /** Rows {@code first..first+count-1}, in order, into {@code cx} and {@code cy}. */
    public void copy(int first, int count, float[] cx, float[] cy) {
        rows.copyRows(first, count, cx, 0);
        targets.copyRows(first, count, cy, 0);
    }

    /** Rows {@code indices[0..count)} into {@code cx} (row t at t·d) and {@code cy}. */
    public void gather(int[] indices, int count, float[] cx, float[] cy) {
        float[] x = this.x;
        float[] y = this.y;
        if (x == null) {
            for (int t = 0; t < count; t++) {
                int row = indices[t];
                rows.copyRow(row, cx, t * d);
                cy[t] = targets.get(row, 0);
            }
            return;
        }
        // The copy, a tight loop of independent loads, keeps many rows on their way from
        // memory at once: at n = 10^6 a step then costs a third of one on the rows in place.
        int dd = d;
        if (dd == 4) {
            // The tutorial's rows, unrolled: twice as fast as the loop below.
            for (int t = 0; t < count; t++) {
                int row = indices[t];
                int from = row * 4;
                int to = t * 4;
                cx[to] = x[from];
                cx[to + 1] = x[from + 1];
                cx[to + 2] = x[from + 2];
                cx[to + 3] = x[from + 3];
                cy[t] = y[row];
            }
        } else if (dd <= 8) {
            // Short rows: a plain loop beats a copy call per row.
            for (int t = 0; t < count; t++) {
                int row = indices[t];
                int from = row * dd;
                int to = t * dd;
                for (int j = 0; j < dd; j++) {
                    cx[to + j] = x[from + j];
                }
                cy[t] = y[row];
            }
        } else {
            for (int t = 0; t < count; t++) {
                int row = indices[t];
                System.arraycopy(x, row * dd, cx, t * dd, dd);
                cy[t] = y[row];
            }
        }
    }
}
