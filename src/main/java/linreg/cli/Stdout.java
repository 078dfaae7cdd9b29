package linreg.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import linreg.data.AtomicFiles;
import linreg.data.OutputClosedException;

/**
 * The command line's stdout, every write checked, because a PrintStream or PrintWriter would
 * swallow the failure and the command would go on, exit 0 and leave a cut file. A reader that
 * has gone ({@code | head}) throws {@link OutputClosedException}: the command ends quietly. Any
 * other failure (a full disk, {@code /dev/full}) throws {@link Failed}: exit 2, with the reason.
 * Either way the work stops at the write that failed.
 */
final class Stdout extends OutputStream {
    /** stdout cannot be written, for a reason other than a reader that has gone. */
    static final class Failed extends UncheckedIOException {
        Failed(IOException cause) {
            super("cannot write to stdout: " + AtomicFiles.reason(cause), cause);
        }
    }

    private final OutputStream out = new FileOutputStream(FileDescriptor.out);

    private Stdout() {}

    /** A writer on stdout in the platform's charset (as System.out's), flushed at every line. */
    static PrintWriter writer() {
        return new PrintWriter(new OutputStreamWriter(new Stdout(), Charset.defaultCharset()), true);
    }

    @Override
    public void write(int b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static UncheckedIOException failure(IOException e) {
        return OutputClosedException.isReaderGone(e) ? new OutputClosedException(e) : new Failed(e);
    }
}
