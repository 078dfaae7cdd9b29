package linreg.cli;

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

    private Cli() {}
}
