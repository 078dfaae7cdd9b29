package linreg.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The reader of a pipe that linreg writes to has gone (EPIPE), as when {@code | head} has read
 * all it wants. Not an error: the command stops at that write and ends quietly, as Unix tools do.
 */
public final class OutputClosedException extends UncheckedIOException {
    public OutputClosedException(IOException cause) {
        super("the reader of the output has gone", cause);
    }

    /** Whether a failed write means that the pipe's reader has gone. */
    public static boolean isReaderGone(IOException e) {
        // The JVM ignores SIGPIPE, so the write fails with EPIPE, which Java reports only by its text.
        String message = e.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("broken pipe");
    }
}
