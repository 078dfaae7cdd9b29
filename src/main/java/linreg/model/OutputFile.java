package linreg.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import linreg.data.AtomicFiles;
import linreg.data.DataException;

/**
 * A file the user named for output (a model, predictions, a plot), written atomically: the
 * content goes to a temporary file in the same folder, renamed over the target only when it is
 * whole, so the target is either untouched or complete and a failure leaves nothing behind. The
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
     * Writes {@code target} atomically.
     *
     * @throws DataException one line naming the file and why it cannot be written
     */
    public static void write(Path target, Content content) throws DataException {
        String name = target.toString();
        Path folder = checkFolder(target);
        try {
            AtomicFiles.write(target, content::writeTo);
        } catch (AccessDeniedException e) {
            throw new DataException(name + ": cannot write: permission denied in the folder " + folder);
        } catch (IOException e) {
            throw new DataException(name + ": cannot write: " + oneLine(e));
        }
    }

    /**
     * Checks, without writing anything, that {@code target} names a file in a folder that exists:
     * a command calls this before its long work, so that a mistyped path fails at once.
     *
     * @return the folder
     * @throws DataException naming the problem
     */
    public static Path checkFolder(Path target) throws DataException {
        String name = target.toString();
        Path folder = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new DataException(name + ": is a directory, expected a file name");
        }
        if (!Files.exists(folder)) {
            throw new DataException(name + ": cannot write: the folder " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new DataException(name + ": cannot write: " + folder + " is not a folder");
        }
        return folder;
    }

    private static String oneLine(IOException e) {
        String message = e.getMessage();
        return (message == null ? e.getClass().getSimpleName() : message).replace('\n', ' ');
    }
}
