package linreg.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes output files so that nothing is lost or half-written. The rule, by what the path names
 * once symbolic links are followed:
 *
 * <ul>
 *   <li>a regular file, or nothing yet: the content goes to a temporary file in the same folder,
 *       forced to disk, then renamed over the target and the folder forced too, so readers see
 *       the old file or the whole new one. A symbolic link stays a link: the file it points to is
 *       replaced. A replaced file keeps its permissions; a new one gets those the umask gives.
 *   <li>a character device or a FIFO ({@code /dev/null}, a terminal, a named pipe), or an open
 *       descriptor ({@code /dev/stdout}, {@code /dev/fd/N}): written in place, appended, never
 *       replaced (renaming over {@code /dev/null} would destroy it);
 *   <li>a directory, a block device or a socket: refused.
 * </ul>
 *
 * If the JVM is stopped during a write (Ctrl-C), its temporary file is removed.
 */
public final class AtomicFiles {
    /** Writes content to a stream (which the caller does not close). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What a path names once links are followed, and so how it is written. */
    public enum Kind {
        /** Nothing yet: created atomically. */
        NEW,
        /** A regular file: replaced atomically. */
        FILE,
        /** A character device, a FIFO or an open descriptor: written in place. */
        IN_PLACE,
        DIRECTORY,
        BLOCK_DEVICE,
        SOCKET
    }

    /**
     * Where a write goes.
     *
     * @param file the file itself, links followed (for {@link Kind#IN_PLACE}, the path as given:
     *     the kernel follows /proc's descriptor links, which name no file)
     */
    public record Target(Path file, Kind kind) {}

    /** Why a path cannot be written, in words that follow its name ("is a directory, expected a file name"). */
    public static final class Refusal extends IOException {
        Refusal(String message) {
            super(message);
        }
    }

    /** Paths that name a descriptor the process already has open, whatever it points to. */
    private static final Pattern DESCRIPTOR = Pattern.compile("/dev/(stdout|stderr|fd/\\d+)|/proc/(self|\\d+)/fd/\\d+");
    private static final int FILE_TYPE = 0170000;
    private static final int BLOCK = 0060000;
    private static final int UNIX_SOCKET = 0140000;

    private static final String WRITES = "linreg writes regular files, and character devices and FIFOs in place";

    private static final Set<Path> TEMPORARY = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path temp : TEMPORARY) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // the JVM is going: nothing more can be done
                }
            }
        }, "linreg-temporary-files"));
    }

    private AtomicFiles() {}

    /** Where {@code path} leads and how it would be written. */
    public static Target target(Path path) throws IOException {
        if (DESCRIPTOR.matcher(path.toAbsolutePath().normalize().toString()).matches()) {
            return new Target(path, Kind.IN_PLACE);
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (FileSystemException e) {
            // nothing there (or a folder on the way is a file: the check says so), unless a link loops
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !(e instanceof NoSuchFileException)) {
                throw e;
            }
            return new Target(linkEnd(path), Kind.NEW);
        }
        if (attributes.isRegularFile()) {
            return new Target(path.toRealPath(), Kind.FILE);
        }
        if (attributes.isDirectory()) {
            return new Target(path, Kind.DIRECTORY);
        }
        return new Target(path, otherKind(path));
    }

    /** Where a file that does not exist yet would be: the end of the links, in its folder's real path. */
    private static Path linkEnd(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        for (int hops = 0; hops < 40 && Files.isSymbolicLink(p); hops++) {
            p = p.getParent().resolve(Files.readSymbolicLink(p));
        }
        p = p.normalize();
        Path folder = p.getParent();
        return Files.isDirectory(folder) ? folder.toRealPath().resolve(p.getFileName()) : p;
    }

    private static Kind otherKind(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Kind.IN_PLACE; // no unix view: let opening it decide
        }
        return switch (mode & FILE_TYPE) {
            case BLOCK -> Kind.BLOCK_DEVICE;
            case UNIX_SOCKET -> Kind.SOCKET;
            default -> Kind.IN_PLACE; // FIFO, CHARACTER_DEVICE
        };
    }

    /**
     * Checks, leaving nothing behind, that {@link #write} can write {@code path}: it is not
     * refused by the rule above, its folder exists and a file can be created there (or the
     * device or FIFO is writable; it is not opened, which would block on a FIFO).
     *
     * @throws Refusal saying why not
     * @throws IOException when the system cannot say
     */
    public static Target check(Path path) throws IOException {
        Target target = allowed(path);
        if (target.kind() == Kind.NEW || target.kind() == Kind.FILE) {
            probe(target.file().getParent(), target.file().getFileName().toString());
        }
        return target;
    }

    /** Where {@code path} leads, when the rule allows writing there (the folder not yet tried). */
    private static Target allowed(Path path) throws IOException {
        Target target = target(path);
        switch (target.kind()) {
            case DIRECTORY -> throw new Refusal("is a directory, expected a file name");
            case BLOCK_DEVICE -> throw new Refusal("is a block device; " + WRITES);
            case SOCKET -> throw new Refusal("is a socket; " + WRITES);
            case IN_PLACE -> {
                if (!Files.isWritable(path)) {
                    throw new Refusal("cannot write: permission denied");
                }
            }
            default -> {
                Path folder = target.file().getParent();
                if (!Files.exists(folder)) {
                    throw new Refusal("cannot write: the folder " + folder + " does not exist");
                }
                if (!Files.isDirectory(folder)) {
                    throw new Refusal("cannot write: " + folder + " is not a folder");
                }
            }
        }
        return target;
    }

    /**
     * Writes {@code path} by the rule above.
     *
     * @throws IOException when it cannot; a regular file is then untouched and no temporary file is left
     */
    public static void write(Path path, Content content) throws IOException {
        Target target = allowed(path);
        if (target.kind() == Kind.IN_PLACE) {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                content.writeTo(out);
            }
        } else {
            replace(target.file(), target.kind() == Kind.FILE, content);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void replace(Path file, boolean exists, Content content) throws IOException {
        Path folder = file.getParent();
        Set<PosixFilePermission> permissions = exists ? permissions(file) : null;
        Path temp = createTemporary(folder, file.getFileName().toString());
        try {
            if (permissions != null) {
                // before any content, so that a 0600 file's new content is never readable by others
                Files.setPosixFilePermissions(temp, permissions);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(Channels.newOutputStream(channel));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceFolder(folder);
        } finally {
            Files.deleteIfExists(temp);
            TEMPORARY.remove(temp);
        }
    }

    /**
     * Creates {@code .NAME.RANDOM.tmp} in {@code folder}, to be removed if the JVM stops. Not
     * {@link Files#createTempFile}, which makes it owner-only: created plainly, it gets the
     * umask's permissions, as any new file.
     */
    private static Path createTemporary(Path folder, String name) throws IOException {
        while (true) {
            Path temp = folder.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            TEMPORARY.add(temp);
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                TEMPORARY.remove(temp);
            } catch (AccessDeniedException e) {
                TEMPORARY.remove(temp);
                throw new Refusal("cannot write: permission denied in the folder " + folder);
            } catch (IOException | RuntimeException e) {
                TEMPORARY.remove(temp);
                throw e;
            }
        }
    }

    /** Creates and removes a file in {@code folder}: the one sure test that it takes new files. */
    private static void probe(Path folder, String name) throws IOException {
        Path temp = createTemporary(folder, name);
        Files.delete(temp);
        TEMPORARY.remove(temp);
    }

    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return null; // not a POSIX file system: the new file's default permissions stand
        }
    }

    /** Makes the rename itself durable. Some systems cannot open a folder for this; the rename stands. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here (Windows); the data itself was forced before the rename
        }
    }

    /**
     * Makes {@code folder} (and its parents) and checks a file can be created in it.
     *
     * @throws IOException saying why not
     */
    public static void checkWritable(Path folder) throws IOException {
        Files.createDirectories(folder);
        probe(folder, "linreg-write-check");
    }

    /** An I/O failure in words, without the path Java puts in front: "permission denied", "No space left on device". */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String message = e.getMessage();
        return (message == null ? e.getClass().getSimpleName() : message).replace('\n', ' ');
    }
}
