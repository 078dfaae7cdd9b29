package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import linreg.model.Model;
import linreg.model.ModelFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output rule through the real command line: regular files replaced atomically (links
 * followed, permissions kept), devices and FIFOs written in place, the rest refused; outputs
 * checked before any work, and never one of the inputs.
 */
class OutputFilesTest {
    @TempDir
    Path dir;

    private Path model;
    private Path features;

    @BeforeEach
    void files() throws Exception {
        model = dir.resolve("model.json");
        ModelFile.write(model, new Model(new double[] {2, -1}, 0.5, List.of("a", "b"), "y", null, null, "cpu",
                "test", "11.8.0", "train.csv", 3, null, null));
        features = Files.writeString(dir.resolve("f.csv"), "a,b\n1,2\n");
    }

    private Cli.Run predictTo(Path output) {
        return Cli.run("predict", "--model", model.toString(), "--data", features.toString(), "--output", output.toString());
    }

    private static Cli.Run trainTo(String... outputs) {
        String[] args = {"train", "--epochs", "2", "--quiet"};
        String[] all = java.util.Arrays.copyOf(args, args.length + outputs.length);
        System.arraycopy(outputs, 0, all, args.length, outputs.length);
        return Cli.run(all);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int fileType(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
    }

    private static final int CHARACTER_DEVICE = 0020000;
    private static final int FIFO = 0010000;

    /** A device node of our own (root only), so that a mistake cannot destroy the machine's. */
    private Path deviceNode(String name, char type, int major, int minor) throws Exception {
        Path node = dir.resolve(name);
        Process p = new ProcessBuilder("mknod", node.toString(), String.valueOf(type), String.valueOf(major),
                String.valueOf(minor)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot make device nodes here (needs root): " + output);
        return node;
    }

    @Test
    void devNullIsWrittenInPlace() throws Exception {
        Path devNull = Path.of("/dev/null");
        assertEquals(ExitCode.OK, trainTo("--save-model", "/dev/null", "--plot", "/dev/null").code());
        assertEquals(ExitCode.OK, predictTo(devNull).code());
        assertEquals(CHARACTER_DEVICE, fileType(devNull));
    }

    @Test
    void aFullDeviceIsAnErrorAndStaysADevice() throws Exception {
        Path full = deviceNode("full", 'c', 1, 7);
        Cli.Run run = trainTo("--save-model", full.toString());
        assertEquals(ExitCode.BAD_INPUT, run.code(), run.err());
        assertTrue(run.err().contains(full + ": cannot write: No space left on device"), run.err());
        assertEquals(CHARACTER_DEVICE, fileType(full));
        assertEquals(List.of("f.csv", "full", "model.json"), names(), "no temporary file");
    }

    @Test
    void aBlockDeviceIsRefusedBeforeTraining() throws Exception {
        Path block = deviceNode("disk", 'b', 7, 0);
        Cli.assertRejected(trainTo("--save-model", block.toString()), "disk: is a block device");
    }

    @Test
    void aSocketIsRefused() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Cli.assertRejected(predictTo(socket), "s.sock: is a socket");
        }
    }

    @Test
    void aFifoIsWrittenInPlace() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Cli.Run run = predictTo(fifo);
        assertEquals(ExitCode.OK, run.code(), run.err());
        assertEquals("prediction\n0.5\n", reader.get(10, TimeUnit.SECONDS));
        assertEquals(FIFO, fileType(fifo));
    }

    @Test
    void aSymbolicLinkIsFollowedAndKept() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path target = Files.writeString(real.resolve("p.csv"), "old\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of("real/p.csv"));
        assertEquals(ExitCode.OK, predictTo(link).code());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("prediction\n0.5\n", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (Stream<Path> inReal = Files.list(real)) {
            assertEquals(List.of(target), inReal.toList(), "the temporary file went beside the target, and is gone");
        }
        // A link to a file not there yet creates that file.
        Path dangling = Files.createSymbolicLink(dir.resolve("new.csv"), real.resolve("q.csv"));
        assertEquals(ExitCode.OK, predictTo(dangling).code());
        assertEquals("prediction\n0.5\n", Files.readString(real.resolve("q.csv")));
        assertTrue(Files.isSymbolicLink(dangling));
    }

    @Test
    void aReplacedFileKeepsItsPermissionsAndANewOneFollowsTheUmask() throws Exception {
        Path saved = dir.resolve("m.json");
        assertEquals(ExitCode.OK, trainTo("--save-model", saved.toString()).code());
        Path plain = Files.createFile(dir.resolve("made-by-createFile"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(saved), "the umask decides");
        Files.setPosixFilePermissions(saved, PosixFilePermissions.fromString("rw-------"));
        assertEquals(ExitCode.OK, trainTo("--save-model", saved.toString()).code());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        Files.setPosixFilePermissions(saved, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(ExitCode.OK, trainTo("--save-model", saved.toString()).code());
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
    }

    @Test
    void anOutputThatIsAnInputByAnotherNameIsRefused() throws Exception {
        Path data = Files.writeString(dir.resolve("d.csv"), "a,b,y\n1,2,3\n4,5,6\n");
        String before = Files.readString(data);
        Path alias = Files.createSymbolicLink(dir.resolve("alias.csv"), data);
        Path hard = Files.createLink(dir.resolve("hard.csv"), data);
        for (Path output : new Path[] {alias, hard, dir.resolve("./sub/../d.csv")}) {
            Files.createDirectories(dir.resolve("sub"));
            Cli.assertRejected(Cli.run("train", "--data", data.toString(), "--save-model", output.toString()),
                    "--save-model " + output, "is the --data file");
        }
        Path modelAlias = Files.createSymbolicLink(dir.resolve("m-alias.json"), model);
        Cli.assertRejected(predictTo(modelAlias), "is the --model file");
        Path linkedFolder = Files.createSymbolicLink(dir.resolve("same-folder"), dir);
        Cli.assertRejected(trainTo("--save-model", dir.resolve("x.png").toString(), "--plot",
                linkedFolder.resolve("x.png").toString()), "is the --save-model file");
        assertEquals(before, Files.readString(data));
    }

    @Test
    void outputsAreCheckedBeforeAnyWork() throws Exception {
        Path notAFolder = dir.resolve("f.csv/m.json");
        long start = System.nanoTime();
        Cli.assertRejected(Cli.run("train", "--epochs", "1000000", "--save-model", notAFolder.toString()),
                "f.csv is not a folder");
        assertTrue(System.nanoTime() - start < 20e9, "nothing was trained");
        // The output is checked before the inputs are read.
        Cli.assertRejected(Cli.run("predict", "--model", dir.resolve("none.json").toString(), "--data", features.toString(),
                "--output", dir.resolve("no/p.csv").toString()), "p.csv: cannot write: the folder");
    }
}
