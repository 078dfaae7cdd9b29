package linreg.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import linreg.data.AtomicFiles;
import linreg.data.DataException;
import linreg.data.OutputClosedException;

/**
 * A file the user named for output (a model, predictions, a plot), written by
 * {@link AtomicFiles}' rule: a regular file is replaced atomically (untouched or complete, nothing
 * left behind on failure), a device or FIFO is written in place, anything else is refused. The
 * folder must exist: a mistyped path is reported, not created.
 */
public final class OutputFile {
    /** Writes the content to a stream (which the caller does not close). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private OutputFile() {}

    /**
     * Writes {@code target}.
     *
     * @throws DataException one line naming the file and why it cannot be written
     */
    public static void write(Path target, Content content) throws DataException {
        try {
            AtomicFiles.write(target, content::writeTo);
        } catch (IOException e) {
            if (OutputClosedException.isReaderGone(e)) {
                throw new OutputClosedException(e); // --output /dev/stdout | head
            }
            throw problem(target, e);
        }
    }

    /**
     * Checks, leaving nothing behind, that {@code target} can be written: every command calls
     * this for its outputs before its long work, so that a run never ends unable to save.
     *
     * @throws DataException naming the problem
     */
    public static void check(Path target) throws DataException {
        try {
            AtomicFiles.check(target);
        } catch (IOException e) {
            throw problem(target, e);
        }
    }

    private static DataException problem(Path target, IOException e) {
        String what = e instanceof AtomicFiles.Refusal ? e.getMessage() : "cannot write: " + AtomicFiles.reason(e);
        return new DataException(target + ": " + what);
    }
}
