package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code linreg train}'s progress bar on a real pseudo-terminal (tmux, with a detached session of
 * a set size, read back with capture-pane): it fits 60 and 80 columns without wrapping, keeps
 * the epoch lines above it, is not drawn when only stdout is a terminal, and Ctrl-C leaves a
 * clean line. Skipped, saying why, where tmux is not installed.
 */
class ProgressBarTerminalTest {
    /** A run long enough that the bar is drawn after its first epoch; the tests end it with Ctrl-C. */
    private static final String LONG_RUN = "train --engine cpu --samples 20000 --epochs 100000";
    private static final Pattern EPOCH_LINE = Pattern.compile("epoch \\d{3,}: loss: \\d+\\.\\d{6}");
    /** A bar whose clear the terminal dropped with the output it flushed for Ctrl-C. */
    private static final Pattern STALE_BAR = Pattern.compile("ETA [0-9:]+\\^C");
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private static final String NO_TMUX = "skipped: no tmux on PATH (these tests need a pseudo-terminal)";
    private static final boolean TMUX = tmuxRuns();

    @TempDir
    Path dir;

    /** Per test, not in {@code @BeforeAll}, where a failed assumption hides the tests and the reason from the report. */
    @BeforeEach
    void needsTmux() {
        Assumptions.assumeTrue(TMUX, NO_TMUX);
    }

    private static boolean tmuxRuns() {
        boolean runs;
        try {
            runs = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            runs = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs = false;
        }
        if (!runs) {
            System.out.println("ProgressBarTerminalTest: " + NO_TMUX);  // surefire's console shows no skip reasons
        }
        return runs;
    }

    @Test
    void fitsSixtyColumnsAndCtrlCLeavesACleanLine() throws Exception {
        try (Tmux tmux = new Tmux(60, 20, script(LONG_RUN + " > " + dir.resolve("out.txt")))) {
            List<String> screen = tmux.await(s -> s.stream().anyMatch(l -> l.contains("ETA")), "the bar");
            assertEquals(List.of(barLine(screen, 60)), nonBlank(screen), "the bar alone, on one line: " + screen);
            Thread.sleep(1200);  // redraws by updates and by the ticker
            screen = tmux.await(s -> s.stream().anyMatch(l -> l.contains("ETA")), "the bar");
            assertEquals(List.of(barLine(screen, 60)), nonBlank(screen), "still one line: " + screen);
            tmux.ctrlC();
            screen = tmux.await(s -> s.stream().anyMatch(l -> l.contains("EXIT=")), "the exit");
            assertEquals(List.of("EXIT=130"), nonBlank(screen), "the bar is cleared: " + screen);
        }
    }

    @Test
    void fitsEightyColumnsBelowTheEpochLines() throws Exception {
        try (Tmux tmux = new Tmux(80, 20, script(LONG_RUN))) {
            List<String> screen = tmux.await(s -> {
                List<String> lines = nonBlank(s);
                return lines.size() > 2 && lines.get(lines.size() - 1).contains("ETA");
            }, "epoch lines and the bar below them");
            List<String> lines = nonBlank(screen);
            barLine(lines.subList(lines.size() - 1, lines.size()), 80);
            for (String line : lines.subList(0, lines.size() - 1)) {
                assertTrue(EPOCH_LINE.matcher(line).matches(), "an epoch line, no piece of the bar in it: " + line);
            }
            tmux.ctrlC();
            screen = tmux.await(s -> s.stream().anyMatch(l -> l.contains("EXIT=")), "the exit");
            lines = nonBlank(screen);
            assertEquals("EXIT=130", lines.get(lines.size() - 1), "on a line of its own: " + screen);
            // On Ctrl-C the terminal discards the output still in flight (no NOFLSH), so a clear
            // written just before it can be lost, leaving that bar above the lines printed after:
            // the terminal's "^C" echo then follows it on its line. Any other bar is one not cleared.
            assertTrue(screen.stream().filter(l -> l.contains("ETA")).allMatch(l -> STALE_BAR.matcher(l).find()),
                    "the bar is cleared: " + screen);
        }
    }

    @Test
    void noBarWhenOnlyStdoutIsATerminal() throws Exception {
        Path log = dir.resolve("err.log");
        try (Tmux tmux = new Tmux(80, 20, script(LONG_RUN + " 2> " + log))) {
            tmux.await(s -> s.stream().anyMatch(l -> l.startsWith("epoch ")), "the first epoch line");
            Thread.sleep(2000);  // the bar would be drawn by now, after the first epoch
            List<String> screen = tmux.screen();
            assertFalse(screen.stream().anyMatch(l -> l.contains("ETA")), screen.toString());
            tmux.ctrlC();
            tmux.await(s -> s.stream().anyMatch(l -> l.contains("EXIT=")), "the exit");
        }
        String err = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(err.contains("ETA") || err.contains("\r") || err.contains("\033"), "no redraws in the log: " + err);
    }

    /** The screen's bar line: one, within width − 1 columns, with the counter and the ETA. */
    private static String barLine(List<String> screen, int width) {
        List<String> bars = screen.stream().filter(l -> l.contains("ETA")).toList();
        assertEquals(1, bars.size(), "one bar line: " + screen);
        String bar = bars.get(0);
        assertTrue(bar.length() <= width - 1, bar.length() + " columns of " + width + ": " + bar);
        assertTrue(bar.matches("(\\[[=> ]+]  )?epoch \\d+/100000  .*ETA [0-9:]+"), bar);
        return bar;
    }

    private static List<String> nonBlank(List<String> screen) {
        return screen.stream().filter(l -> !l.isBlank()).toList();
    }

    /**
     * A shell script that runs {@code linreg ARGS}, then prints its exit code and waits to be
     * read. Its trap keeps the shell going past a Ctrl-C (it is not inherited: linreg gets one).
     */
    private Path script(String args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -Xmx256m -cp '" + System.getProperty("java.class.path") + "' linreg.cli.Main " + args;
        return Files.writeString(dir.resolve("run.sh"), "trap true INT\n" + command + "\necho \"EXIT=$?\"\nsleep 60\n");
    }

    /** A tmux server of its own with one detached session of a set size running {@code sh SCRIPT}. */
    private static final class Tmux implements AutoCloseable {
        private final String socket = "linreg-test-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet();

        Tmux(int columns, int rows, Path script) throws IOException, InterruptedException {
            tmux("new-session", "-d", "-s", "t", "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                    "sh " + script);
            tmux("set-option", "-t", "t", "remain-on-exit", "on");  // a pane that dies still shows why
            assertEquals(Integer.toString(columns), tmux("display-message", "-p", "-t", "t", "#{pane_width}").strip(),
                    "the pane's width");
        }

        List<String> screen() throws IOException, InterruptedException {
            return List.of(tmux("capture-pane", "-p", "-t", "t").split("\n", -1));
        }

        void ctrlC() throws IOException, InterruptedException {
            tmux("send-keys", "-t", "t", "C-c");
        }

        /** The first screen that shows {@code what}, polled for up to 30 s. */
        List<String> await(Predicate<List<String>> shows, String what) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> screen = screen();
            while (!shows.test(screen)) {
                assertTrue(System.nanoTime() < deadline, "no " + what + " on the screen within 30 s: " + screen);
                Thread.sleep(100);
                screen = screen();
            }
            return screen;
        }

        private String tmux(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "tmux " + String.join(" ", args));
            assertEquals(0, p.exitValue(), "tmux " + String.join(" ", args) + ": " + out);
            return out;
        }

        /** Ends the server, and with it the session and what still runs in it. */
        @Override
        public void close() throws IOException {
            Process kill = new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start();
            try {
                kill.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
