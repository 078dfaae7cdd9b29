package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in-process and captures what it printed. */
public final class Cli {
    /** Exit code and streams of one run. */
    public record Run(int code, String out, String err) {
        /** stderr's lines. */
        public String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\\R");
        }
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Bad input as the project promises it: exit code 2, one line on stderr naming each of
     * {@code mustContain}, no stack trace, nothing on stdout.
     */
    public static void assertRejected(Run run, String... mustContain) {
        assertEquals(ExitCode.BAD_INPUT, run.code(), "exit code; stderr: " + run.err());
        assertEquals(1, run.errLines().length, "one line on stderr, got: " + run.err());
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "no stack trace: " + run.err());
        assertEquals("", run.out(), "nothing on stdout");
        for (String s : mustContain) {
            assertTrue(run.err().contains(s), "stderr should name '" + s + "': " + run.err());
        }
    }

    private Cli() {}
}
