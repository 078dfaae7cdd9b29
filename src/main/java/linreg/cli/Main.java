package linreg.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import linreg.data.DataException;
import linreg.data.JavaHeap;
import linreg.data.OutputClosedException;
import linreg.gpu.DeviceMemoryException;
import linreg.gpu.GpuException;
import linreg.gpu.GpuUnavailableException;
import linreg.gpu.StrategyUnavailableException;
import linreg.train.SampleLimit;
import linreg.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;

/**
 * {@code linreg}: the command line, a thin layer over the Java API. Every failure is one line on
 * stderr and an exit code from {@link ExitCode}; a stack trace only with LINREG_DEBUG=1.
 */
@Command(name = "linreg", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Linear regression by mini-batch SGD on the MAE loss, on the GPU (JCuda) or the CPU.")
public final class Main implements Runnable {
    /** The commands, in the order --help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = Stdout.writer();
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(args, out, err);
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        NumberFlags.register(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println(name(e.getCommandLine()) + ": " + e.getMessage() + " (see --help)");
            return ExitCode.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String name = name(commandLine);
            if (e instanceof ParameterException || e instanceof DataException) {
                err.println(name + ": " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            if (e instanceof TrainingDivergedException) {
                err.println(name + ": " + e.getMessage());
                return ExitCode.FAILED;
            }
            if (e instanceof DeviceMemoryException || e instanceof SampleLimit.TooManySamplesException) {
                err.println(name + ": " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            if (e instanceof GpuException) {
                err.println(name + ": GPU error: " + e.getMessage());
                return ExitCode.FAILED;
            }
            if (e instanceof StrategyUnavailableException) {
                err.println(name + ": " + e.getMessage());
                return ExitCode.NO_GPU;
            }
            if (e instanceof GpuUnavailableException) {
                err.println(name + ": no usable GPU: " + e.getMessage());
                return ExitCode.NO_GPU;
            }
            err.println(name + ": internal error: " + e + " (run with LINREG_DEBUG=1 for the stack trace)");
            if (System.getenv("LINREG_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return ExitCode.FAILED;
        });
        cl.setExecutionStrategy(parseResult -> {
            // stdout fails in a command, or in picocli's printing of help, which it does not route to the handler
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (CommandLine.ExecutionException e) {
                if (e.getCause() instanceof OutputClosedException || e.getCause() instanceof Stdout.Failed) {
                    return outputFailure((RuntimeException) e.getCause(), name(e.getCommandLine()), err);
                }
                throw e;
            } catch (OutputClosedException | Stdout.Failed e) {
                return outputFailure(e, name(last(parseResult).commandSpec().commandLine()), err);
            }
        });
        try {
            int code = cl.execute(args);
            out.flush();
            return code;
        } catch (OutputClosedException | Stdout.Failed e) {
            // the last flush
            return outputFailure(e, "linreg", err);
        } catch (OutOfMemoryError e) {
            err.println("linreg: " + JavaHeap.full());
            return ExitCode.BAD_INPUT;
        }
    }

    /**
     * The command line with every command, or with only the one {@code first} names: picocli
     * builds a command's model by reflecting over its options, a third of a short run's time, so
     * a run builds only its own. Help, the version and unknown words get them all.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        boolean one = COMMANDS.containsKey(first);
        COMMANDS.forEach((name, command) -> {
            if (!one || name.equals(first)) {
                cl.addSubcommand(name, command.get());
            }
        });
        if (!one) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return cl;
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("train", TrainCommand::new);
        commands.put("compare", CompareCommand::new);
        commands.put("doctor", DoctorCommand::new);
        commands.put("bench", BenchCommand::new);
        commands.put("predict", PredictCommand::new);
        commands.put("evaluate", EvaluateCommand::new);
        commands.put("convert", ConvertCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    /** A reader that has gone ends the command quietly; stdout that cannot be written is exit 2. */
    private static int outputFailure(RuntimeException e, String name, PrintWriter err) {
        if (e instanceof OutputClosedException) {
            return ExitCode.READER_GONE;
        }
        err.println(name + ": " + e.getMessage());
        return ExitCode.BAD_INPUT;
    }

    private static CommandLine.ParseResult last(CommandLine.ParseResult parseResult) {
        return parseResult.hasSubcommand() ? last(parseResult.subcommand()) : parseResult;
    }

    private static String name(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName();
    }

    @Override
    public void run() {
        List<String> names = List.copyOf(commands().keySet());
        throw new ParameterException(spec.commandLine(), "a command is needed: "
                + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"linreg " + (v == null ? "(development build)" : v)
                    + ", Java " + System.getProperty("java.version")};
        }
    }
}
