package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import linreg.model.Model;
import linreg.model.ModelFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in its own JVM: real exit codes, real streams, signals and the umask. */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void badFlagExitsTwoWithOneLine() throws Exception {
        Launcher.Result r = Launcher.run("train", "--lr", "abc");
        assertEquals(2, r.code());
        assertEquals(1, r.err().split("\\R").length, r.err());
        assertTrue(r.err().contains("--lr"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void missingDataFileExitsTwo() throws Exception {
        Launcher.Result r = Launcher.run("train", "--data", "/nonexistent/data.csv");
        assertEquals(2, r.code());
        assertEquals("linreg train: /nonexistent/data.csv: no such file", r.err().strip());
    }

    @Test
    void trainsAndExitsZero() throws Exception {
        Launcher.Result r = Launcher.run("train", "--epochs", "2", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("learned w:"), r.out());
    }

    @Test
    void noCommandIsBadInput() throws Exception {
        Launcher.Result r = Launcher.run();
        assertEquals(2, r.code());
        assertEquals("linreg: a command is needed: train, compare, doctor, bench, predict, evaluate or convert (see --help)",
                r.err().strip(), "one '(see --help)'");
    }

    /** A model y = 2x + 0.5 and n rows of x, for predictions of any length. */
    private Path[] modelAndRows(int n) throws Exception {
        Path model = dir.resolve("m.json");
        ModelFile.write(model, new Model(new double[] {2.000001}, 0.5, null, null, null, null, "cpu", "test",
                "11.8.0", "x.csv", n, null, null));
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rows.append(i % 1000).append(".125\n");
        }
        return new Path[] {model, Files.writeString(dir.resolve("x.csv"), rows)};
    }

    // stdout that cannot be written, or whose reader goes away

    @Test
    void aFullStdoutIsExitTwoWithTheReason() throws Exception {
        File full = new File("/dev/full");
        Assumptions.assumeTrue(full.exists(), "no /dev/full here");
        Path[] files = modelAndRows(20_001);
        for (String[] args : new String[][] {
            {"train", "--json", "--epochs", "2", "--engine", "cpu"},
            {"train", "--epochs", "2", "--engine", "cpu"},
            {"predict", "--model", files[0].toString(), "--data", files[1].toString()},
            {"doctor"},
            {"train", "--help"},
        }) {
            Launcher.Result r = Launcher.run(Launcher.builder(args).redirectOutput(full));
            assertEquals(ExitCode.BAD_INPUT, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().split("\\R").length, r.err());
            assertTrue(r.err().matches("linreg( \\w+)?: cannot write to stdout: No space left on device\\R"), r.err());
        }
    }

    /** The reader takes one line and goes, as {@code | head -1} does. */
    private static Launcher.Result readOneLineAndClose(String... args) throws Exception {
        Path err = Files.createTempFile("linreg-head", ".err");
        try {
            Process p = Launcher.builder(args).redirectError(err.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            out.close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command went on for nobody");
            return new Launcher.Result(p.exitValue(), first, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void aReaderThatGoesEndsTheCommandQuietly() throws Exception {
        Path[] files = modelAndRows(300_000);
        for (String[] args : new String[][] {
            {"train", "--engine", "cpu", "--epochs", "100000000"},
            {"predict", "--model", files[0].toString(), "--data", files[1].toString()},
            {"predict", "--model", files[0].toString(), "--data", files[1].toString(), "--output", "/dev/stdout"},
        }) {
            Launcher.Result r = readOneLineAndClose(args);
            assertEquals("", r.err(), String.join(" ", args));
            assertEquals(ExitCode.READER_GONE, r.code(), String.join(" ", args));
            assertTrue(r.out().startsWith("epoch 000") || r.out().equals("prediction"), r.out());
        }
    }

    // output files and the process around them

    @Test
    void aNewFileFollowsTheUmask() throws Exception {
        Path model = dir.resolve("m.json");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 077 && exec \"$0\" \"$@\""));
        command.addAll(Launcher.command("train", "--epochs", "1", "--quiet", "--save-model", model.toString()));
        Launcher.Result r = Launcher.run(new ProcessBuilder(command));
        assertEquals(0, r.code(), r.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(model)));
    }

    @Test
    void ctrlCDuringAWriteLeavesNoTemporaryFile() throws Exception {
        Path[] files = modelAndRows(3_000_000);
        Path output = dir.resolve("p.csv");
        Process p = Launcher.builder("predict", "--model", files[0].toString(), "--data", files[1].toString(),
                "--output", output.toString()).redirectErrorStream(true).start();
        Path temp = null;
        while (temp == null && p.isAlive()) {
            temp = temporaryFile();
            Thread.sleep(1);
        }
        Assumptions.assumeTrue(temp != null, "the write ended before the test could see its temporary file");
        Launcher.signal(p, "INT");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(null, temporaryFile(), "the temporary file is removed");
        if (Files.exists(output)) { // the rename came first: then the file is whole
            try (Stream<String> lines = Files.lines(output)) {
                assertEquals(3_000_001, lines.count());
            }
        }
    }

    private Path temporaryFile() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).findFirst().orElse(null);
        }
    }

    /** The data is forced to disk before the rename, the folder after it (seen by strace). */
    @Test
    void theTemporaryFileAndTheFolderAreForcedToDisk() throws Exception {
        Path model = dir.resolve("m.json");
        Path trace = dir.resolve("trace.txt");
        List<String> command = new ArrayList<>(List.of("strace", "-f", "-y", "-qq", "-o", trace.toString(),
                "-e", "trace=fsync,fdatasync,rename,renameat,renameat2"));
        command.addAll(Launcher.command("train", "--epochs", "1", "--quiet", "--engine", "cpu", "--save-model", model.toString()));
        Launcher.Result r;
        try {
            r = Launcher.run(new ProcessBuilder(command));
        } catch (java.io.IOException e) {
            Assumptions.abort("strace is not installed: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(r.code() == 0 && Files.exists(trace), "strace cannot trace here: " + r.err());
        List<String> calls = Files.readAllLines(trace).stream().filter(l -> l.contains("m.json") || l.contains("fsync")).toList();
        String dirName = dir.toRealPath().toString();
        int fileSync = indexOf(calls, l -> l.contains("fsync(") && l.contains(".m.json.") && l.contains(".tmp>"));
        int rename = indexOf(calls, l -> l.contains("rename") && l.contains(dirName + "/m.json"));
        int folderSync = indexOf(calls, l -> l.contains("fsync(") && l.contains("<" + dirName + ">"));
        assertTrue(fileSync >= 0 && fileSync < rename && rename < folderSync, String.join("\n", calls));
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    // memory

    /**
     * 2.2 million columns once took 1024 rows × the width ahead (NegativeArraySizeException). The
     * heap is mostly for Gson's tree of the model's 2.2 million weights; the table takes 18 MB.
     */
    @Test
    void aTableOfTwoMillionColumnsNeedsTheMemoryOfItsValues() throws Exception {
        int d = 2_200_000;
        StringBuilder weights = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        for (int j = 0; j < d; j++) {
            weights.append(j == 0 ? "" : ",").append("0.5");
        }
        for (int i = 1; i <= 2; i++) {
            rows.append(String.join(",", java.util.Collections.nCopies(d, Integer.toString(i)))).append('\n');
        }
        Path model = Files.writeString(dir.resolve("wide.json"),
                "{\"format\": \"linreg-model\", \"version\": 1, \"w\": [" + weights + "], \"b\": 1}");
        Path data = Files.writeString(dir.resolve("wide.csv"), rows);
        Launcher.Result r = Launcher.run(new ProcessBuilder(Launcher.command(List.of("-Xmx512m"),
                "predict", "--model", model.toString(), "--data", data.toString())));
        assertEquals(0, r.code(), r.err());
        assertEquals("prediction\n1100001.0\n2200001.0\n", r.out());
    }

    @Test
    void aHeapTooSmallIsRefusedWithTheAmountsAndTheWayOut() throws Exception {
        Path rows = Files.writeString(dir.resolve("rows.csv"), "1.5,2.5\n".repeat(3_000_000));
        Launcher.Result r = Launcher.run(new ProcessBuilder(Launcher.command(List.of("-Xmx32m"),
                "train", "--data", rows.toString(), "--engine", "cpu")));
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().matches("linreg train: \\S+rows.csv:\\d+: holding the rows read so far needs [0-9.]+ MiB more"
                + " \\([0-9.]+ MiB in all\\), which the Java heap \\(32.0 MiB at most\\) cannot give; give it more with"
                + " LINREG_JAVA_OPTS=-Xmx1g\\R"), r.err());
    }

    /** bin/linreg hands LINREG_JAVA_OPTS to the JVM, split into its words, after its own and before the class path. */
    @Test
    void binLinregPassesLinregJavaOpts() throws Exception {
        Path root = dir.resolve("tree");
        Path launcher = Files.createDirectories(root.resolve("bin")).resolve("linreg");
        Files.copy(Path.of("bin", "linreg"), launcher);
        Files.createDirectories(root.resolve("target"));
        Files.writeString(root.resolve("target/linreg.jar"), "");
        Path java = Files.writeString(root.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "train", "--epochs", "1");
        builder.environment().put("JAVA", java.toString());
        builder.environment().put("LINREG_JAVA_OPTS", "-Xmx123m -Dlinreg.test=1");
        Launcher.Result r = Launcher.run(builder);
        assertEquals(0, r.code(), r.err());
        List<String> argv = List.of(r.out().split("\n"));
        // After the launcher's own -XX:-UsePerfData, so that the user's options win.
        assertEquals(List.of("-XX:-UsePerfData", "-Xmx123m", "-Dlinreg.test=1", "-cp"), argv.subList(0, 4), r.out());
        assertEquals(List.of("linreg.cli.Main", "train", "--epochs", "1"), argv.subList(5, 9), r.out());
    }
}
