package linreg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Whether standard error is a terminal, and how wide it is, asked of the terminal itself: {@code
 * stty size} run on this process's file descriptor 2. Java 17 has no such test of its own ({@code
 * System.console()} looks at stdin and stdout, so {@code 2> log} would fill the log with redraws),
 * and {@code $COLUMNS} is a shell variable that shells do not export.
 */
final class StderrTerminal {
    /** The width assumed for a terminal that does not know its own (a pseudo-terminal never sized). */
    static final int DEFAULT_COLUMNS = 80;

    private StderrTerminal() {}

    /**
     * The columns of the terminal that stderr writes to, or empty when stderr is not a terminal
     * (a file, a pipe), is a dumb one (no carriage-return redraws: Emacs's shell), or cannot be
     * asked (no {@code sh} or {@code stty}).
     */
    static OptionalInt columns() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return OptionalInt.empty();
        }
        try {
            // The child's stderr is ours; stty reads the size from its stdin, made a copy of it,
            // and fails (silently) unless it is a terminal.
            Process stty = new ProcessBuilder("sh", "-c", "stty size <&2 2>/dev/null")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            stty.getOutputStream().close();
            if (!stty.waitFor(2, TimeUnit.SECONDS)) {
                stty.destroyForcibly();
                return OptionalInt.empty();
            }
            if (stty.exitValue() != 0) {
                return OptionalInt.empty();
            }
            // A few bytes: they wait in the pipe until read.
            return OptionalInt.of(parseColumns(new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** The columns of stty's "rows columns", or {@link #DEFAULT_COLUMNS} where it says 0 or nonsense. */
    static int parseColumns(String size) {
        String[] parts = size.trim().split("\\s+");
        try {
            int columns = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
            return columns > 0 ? columns : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }
}
