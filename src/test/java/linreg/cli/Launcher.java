package linreg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The command line in its own JVM, started as bin/linreg starts it: real streams, signals and exit codes. */
final class Launcher {
    /** Exit code and streams of one finished run. */
    record Result(int code, String out, String err) {}

    private Launcher() {}

    /** {@code java -cp <the test class path> linreg.cli.Main args...}. */
    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** The same with JVM options ({@code -Xmx32m}), as LINREG_JAVA_OPTS gives them. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("linreg.cli.Main");
        command.addAll(List.of(args));
        return command;
    }

    static ProcessBuilder builder(String... args) {
        return new ProcessBuilder(command(args));
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(builder(args));
    }

    /** Runs to the end; stderr goes through a file, so that neither stream can block the other. */
    static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        Path err = Files.createTempFile("linreg-launcher", ".err");
        try {
            Process p = builder.redirectError(err.toFile()).start();
            p.getOutputStream().close();
            byte[] out = builder.redirectOutput().type() == ProcessBuilder.Redirect.Type.PIPE
                    ? p.getInputStream().readAllBytes() : new byte[0];
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after 120 s: " + builder.command());
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Sends {@code signal} (INT, TERM) to a process, as the terminal does on Ctrl-C. */
    static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " failed");
        }
    }
}
