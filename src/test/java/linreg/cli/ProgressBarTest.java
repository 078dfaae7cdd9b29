package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressBarTest {
    private final AtomicLong now = new AtomicLong(0);
    private final StringWriter text = new StringWriter();
    private final ProgressBar bar = ProgressBar.manual(new PrintWriter(text, true), "case", now::get, 120);

    @Test
    void showsCountCaptionElapsedAndEta() {
        now.set(30_000_000_000L);
        bar.update(3, 12, 0.25, "cpu n=1e6 d=4 batch=16");
        String line = bar.render(now.get());
        assertTrue(line.startsWith("[======>"), line);
        assertTrue(line.contains("case 3/12"), line);
        assertTrue(line.contains("cpu n=1e6 d=4 batch=16"), line);
        assertTrue(line.endsWith("0:30 elapsed, ETA 1:30"), line);
        assertTrue(text.toString().startsWith(ProgressBar.DRAW + "[======>"), "drawn from column 0, wrapping off: " + text);
        assertTrue(text.toString().endsWith(line + ProgressBar.DRAWN), "the rest of the line erased, wrapping on: " + text);
    }

    @Test
    void theTrainCommandsUseFits() {
        ProgressBar epochs = ProgressBar.manual(new PrintWriter(new StringWriter(), true), "epoch", now::get, 120);
        now.set(2_000_000_000L);
        epochs.update(10, 50, "loss 0.797883  9.05e+05 samples/s");
        String line = epochs.render(now.get());
        assertTrue(line.contains("epoch 10/50  loss 0.797883  9.05e+05 samples/s  0:02 elapsed, ETA 0:08"), line);
    }

    @Test
    void aLongCaptionIsCutToTheWidth() {
        bar.update(1, 2, "x".repeat(500));
        String line = bar.render(now.get());
        assertTrue(line.length() <= 117, line.length() + ": " + line);
        assertTrue(line.contains("…"), line);
    }

    @Test
    void redrawsAtMostTenTimesASecondButAlwaysTheLast() {
        bar.update(1, 100, "a");
        bar.update(2, 100, "b");
        assertFalse(text.toString().contains("case 2/100"), "too soon to redraw");
        now.addAndGet(200_000_000L);
        bar.update(3, 100, "c");
        assertTrue(text.toString().contains("case 3/100"));
        bar.update(100, 100, "done");
        assertTrue(text.toString().contains("case 100/100"), "the last update is always drawn");
    }

    @Test
    void linesPrintedAboveClearTheBarAndRedrawIt() {
        bar.update(1, 2, "a");
        StringWriter other = new StringWriter();
        bar.above(() -> other.write("a result\n"));
        assertEquals("a result\n", other.toString());
        String err = text.toString();
        int cleared = err.indexOf(ProgressBar.CLEAR);
        assertTrue(cleared > 0, "the bar is cleared first: " + err);
        assertTrue(err.lastIndexOf("case 1/2") > cleared, "and drawn again after: " + err);
        bar.close();
        assertTrue(text.toString().endsWith(ProgressBar.CLEAR), "closing clears the line");
        int length = text.toString().length();
        bar.close();
        assertEquals(length, text.toString().length(), "once");
    }

    /**
     * Narrower terminals lose, in turn, the elapsed time, bar cells, then the caption; no line is
     * wider than width − 3 (room for the "^C" a terminal echoes).
     */
    @ParameterizedTest(name = "{0} columns")
    @CsvSource(delimiter = '|', textBlock = """
        120 | [=====>                  ]  epoch 10/50  loss 0.797883  9.05e+05 samples/s  1:02 elapsed, ETA 4:08
        100 | [=====>                  ]  epoch 10/50  loss 0.797883  9.05e+05 samples/s  ETA 4:08
         80 | [==>       ]  epoch 10/50  loss 0.797883  9.05e+05 samples/s  ETA 4:08
         60 | [==>       ]  epoch 10/50  loss 0.797883  9.05…  ETA 4:08
         50 | [==>       ]  epoch 10/50  ETA 4:08
         30 | epoch 10/50  ETA 4:08
         20 | epoch 10/50  ETA…
          3 | ''
          1 | ''
        """)
    void theLineFitsEveryWidth(int width, String expected) {
        ProgressBar narrow = ProgressBar.manual(new PrintWriter(new StringWriter(), true), "epoch", now::get, width);
        now.set(62_000_000_000L);
        narrow.update(10, 50, "loss 0.797883  9.05e+05 samples/s");
        String line = narrow.render(now.get());
        assertEquals(expected, line);
        assertTrue(line.length() <= Math.max(0, width - 3), line);
    }

    @Test
    void aDisabledBarPrintsNothing() {
        StringWriter quiet = new StringWriter();
        try (ProgressBar off = ProgressBar.on(new PrintWriter(quiet, true), false, "case")) {
            off.update(1, 2, "a");
            assertFalse(off.enabled());
        }
        assertEquals("", quiet.toString());
    }
}
