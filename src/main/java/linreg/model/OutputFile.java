package linreg.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
        Path temp;
        try {
            temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
        } catch (AccessDeniedException e) {
            throw new DataException(name + ": cannot write: permission denied in the folder " + folder);
        } catch (IOException e) {
            throw new DataException(name + ": cannot write: " + oneLine(e));
        }
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                content.writeTo(out);
            }
            readableByAll(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DataException(name + ": cannot write: " + oneLine(e));
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // the write's own error, if any, is the one to report
            }
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

    /** Temporary files are created owner-only; an output file is for everyone to read, as any other. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions stand
        }
    }

    private static String oneLine(IOException e) {
        String message = e.getMessage();
        return (message == null ? e.getClass().getSimpleName() : message).replace('\n', ' ');
    }
}
