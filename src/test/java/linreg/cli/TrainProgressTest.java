package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import linreg.train.EpochListener;
import org.junit.jupiter.api.Test;

class TrainProgressTest {
    @Test
    void noBarWithoutATerminalOrForShortRuns() {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        EpochListener lines = new EpochLines(new PrintWriter(out, true), false);
        try (TrainProgress progress = new TrainProgress(new PrintWriter(err, true), lines, false, 3, 100)) {
            for (int e = 0; e < 3; e++) {
                progress.onEpoch(e, 1.5, 0.1, 10.0);  // long epochs, but no terminal
            }
        }
        assertEquals("", err.toString());
        assertEquals(3, out.toString().split("\\R").length);
        StringWriter err2 = new StringWriter();
        try (TrainProgress progress = new TrainProgress(new PrintWriter(err2, true), EpochListener.NONE, true, 1000, 100)) {
            progress.onEpoch(0, 1.5, 0.1, 1e-6);  // a terminal, but the run will take milliseconds
        }
        assertFalse(err2.toString().contains("ETA"), err2.toString());
    }
}
