package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line in its own JVM: real exit codes, real streams. */
class LauncherTest {
    private record Result(int code, String out, String err) {}

    private static Result launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("linreg.cli.Main");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Result(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void badFlagExitsTwoWithOneLine() throws Exception {
        Result r = launch("train", "--lr", "abc");
        assertEquals(2, r.code());
        assertEquals(1, r.err().split("\\R").length, r.err());
        assertTrue(r.err().contains("--lr"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void missingDataFileExitsTwo() throws Exception {
        Result r = launch("train", "--data", "/nonexistent/data.csv");
        assertEquals(2, r.code());
        assertEquals("linreg train: /nonexistent/data.csv: no such file", r.err().strip());
    }

    @Test
    void trainsAndExitsZero() throws Exception {
        Result r = launch("train", "--epochs", "2", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("learned w:"), r.out());
    }

    @Test
    void noCommandIsBadInput() throws Exception {
        Result r = launch();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a command is needed"), r.err());
    }
}
