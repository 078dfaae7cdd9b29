package linreg.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import linreg.spec.CanonicalSum;
import org.junit.jupiter.api.Test;

class ChunkPlanTest {
    /** Chunks tile 0..n-1 in order; batches never straddle whole-batch chunks, parts are whole segments. */
    @Test
    void chunksTileTheEpochAlongBatchesAndSegments() {
        int[][] cases = {{1, 1, 1}, {500, 4, 16}, {1000, 4, 3072}, {10_000, 4, 4500}, {10_000, 4, 3073},
            {100_000, 4, 65_536}, {7, 4, 100}, {5000, 300, 2000}, {3000, 1024, 16}};
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            int batch = c[2];
            ChunkPlan plan = new ChunkPlan(n, d, batch);
            String where = "n=" + n + " d=" + d + " batch=" + batch;
            int position = 0;
            int batchStart = 0;
            for (int i = 0; i < plan.chunks(); i++) {
                assertEquals(position, plan.start(i), "start of chunk " + i + ", " + where);
                int rows = plan.rows(i);
                assertTrue(rows > 0 && rows <= plan.capacity(), "rows " + rows + ", " + where);
                if (plan.wholeBatches()) {
                    assertEquals(0, position % batch, where);
                    assertTrue(rows % batch == 0 || position + rows == n, where);
                } else {
                    assertEquals(plan.startsBatch(i), position == batchStart, "starts a batch, " + where);
                    assertEquals(0, (position - batchStart) % CanonicalSum.SEGMENT, where);
                    assertEquals(Math.min(batch, n - batchStart), plan.batchRows(i), where);
                    if (plan.endsBatch(i)) {
                        assertEquals(plan.batchRows(i), position + rows - batchStart, "ends a batch, " + where);
                        batchStart += batch;
                    }
                }
                position += rows;
            }
            assertEquals(n, position, where);
            assertTrue(plan.capacity() * (d + 1) <= Math.max(ChunkPlan.TARGET_FLOATS, CanonicalSum.SEGMENT * (d + 1)), where);
        }
    }
}
