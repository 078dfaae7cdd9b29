package linreg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A Dataset built through the Java API holds only values that training can use. */
class DatasetTest {
    private static String refusal(float[] x, float[] y) {
        return assertThrows(IllegalArgumentException.class, () -> Dataset.of(x, y, 2, "api", null, null)).getMessage();
    }

    @Test
    void nanAndInfinitiesAreRejectedWhenBuilt() {
        assertEquals("x[1, 0] is NaN: expected a finite number", refusal(new float[] {1, 2, Float.NaN, 4}, new float[] {1, 2}));
        assertEquals("y[1] is -Infinity: expected a finite number",
                refusal(new float[] {1, 2, 3, 4}, new float[] {1, Float.NEGATIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.synthetic(new float[] {Float.POSITIVE_INFINITY}, new float[] {1}, 1, new float[] {1}, 0));
    }

    @Test
    void valuesWhoseProductsOverflowAreRejected() {
        assertEquals("x[0, 1] is 3.4028235E38: too large: values must stay within ±1.8e19 (2^64), so that the product"
                + " of two fits in float32; rescale the column", refusal(new float[] {1, Float.MAX_VALUE, 3, 4}, new float[] {1, 2}));
        float largest = Math.nextDown(Dataset.LIMIT);
        Dataset ok = Dataset.of(new float[] {largest, -largest}, new float[] {largest}, 2, "api", null, null);
        assertEquals(largest * largest, ok.x()[0] * ok.x()[0]);
        assertEquals(false, Float.isInfinite(largest * largest));
        assertEquals(true, Float.isInfinite(Dataset.LIMIT * Dataset.LIMIT));
    }
}
