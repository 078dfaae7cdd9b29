package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import linreg.train.TrainConfig;
import org.junit.jupiter.api.Test;

/** What streaming does not take yet, in its one check: the hold-out, averaging and sample weights. */
class StreamingUnsupportedTest {
    @Test
    void weightsHoldOutAndAveragingAreNotStreamedYet() {
        TrainConfig plain = TrainConfig.builder().build();
        assertNull(Streaming.unsupported(plain, false), "a plain run streams");
        assertTrue(Streaming.unsupported(plain, true).startsWith("--weights: streaming does not carry sample weights"),
                Streaming.unsupported(plain, true));
        assertTrue(Streaming.unsupported(TrainConfig.builder().validation(0.1).build(), true).startsWith("--validation"));
        assertEquals("--average: streaming does not average the parameters yet; train without --average",
                Streaming.unsupported(TrainConfig.builder().average(0).build(), false));
    }
}
