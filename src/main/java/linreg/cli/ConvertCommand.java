package linreg.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import linreg.data.DataException;
import linreg.data.DataFiles;
import linreg.data.Float32NpyWriter;
import linreg.data.NpyLoader;
import linreg.data.Samples;
import linreg.data.TargetColumn;
import linreg.data.Words;
import linreg.model.OutputFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code linreg convert DATA.csv OUT.npy}: a CSV table parsed once into the float32 C-order
 * .npy array that train, predict and evaluate read in place through memory maps; the header's
 * names go to a file beside it.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Converts a CSV table into a float32 .npy file, which train, predict and evaluate read in place "
                + "(memory-mapped, not copied into the Java heap), so that a big CSV file is parsed once.",
            "Every column is kept in its order, so the target stays the last column (or where --target-column says). "
                    + "A header line's names are written beside OUT.npy, as OUT.header.csv. The rows are held on the "
                    + "Java heap while the CSV is parsed."})
public final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The CSV table (- for standard input).")
    Path data;

    @Parameters(index = "1", paramLabel = "OUT.npy", description = "The .npy file to write (atomically; its folder must exist).")
    Path out;

    @Mixin
    CsvOptions csv;

    @Override
    public Integer call() throws DataException {
        CommandLine cl = spec.commandLine();
        if (!DataFiles.isStdin(data) && NpyLoader.isNpy(data)) {
            throw new CommandLine.ParameterException(cl, data + " is already a NumPy .npy file; convert reads CSV");
        }
        Path header = headerFile(cl, out);
        new OutputPaths().input("DATA.csv", data).output("OUT.npy", out).output("the header file", header).check();
        // Every column is a feature here: the target is chosen when the .npy file is read.
        TargetColumn all = (columns, names, where) -> TargetColumn.NONE;
        Samples samples = DataFiles.isStdin(data) ? csv.loader(cl.getErr()).loadSamples(System.in, "stdin", all)
                : csv.loader(cl.getErr()).loadSamples(data, all);
        OutputFile.write(out, stream -> Float32NpyWriter.write(samples.featureRows(), stream));
        List<String> names = samples.featureNames();
        if (names != null) {
            String line = names.stream().map(ConvertCommand::csvField).collect(Collectors.joining(",")) + "\n";
            OutputFile.write(header, stream -> stream.write(line.getBytes(StandardCharsets.UTF_8)));
        }
        cl.getOut().printf(Locale.ROOT, "%s × %s from %s to %s%s%n", Words.count(samples.samples(), "row"),
                Words.count(samples.features(), "column"), samples.source(), out,
                names != null ? ", the header's names to " + header : " (no header line, no names)");
        cl.getOut().flush();
        return ExitCode.OK;
    }

    /** OUT.npy's header file: OUT.header.csv. */
    static Path headerFile(CommandLine cl, Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".npy") || name.length() == 4) {
            throw new CommandLine.ParameterException(cl, "OUT.npy: " + out + " does not end in .npy");
        }
        return out.resolveSibling(name.substring(0, name.length() - 4) + ".header.csv");
    }

    /** A name as a CSV field: quoted when it holds a comma, a quote or a line break. */
    private static String csvField(String name) {
        return name.matches("(?s).*[\",\r\n].*") ? "\"" + name.replace("\"", "\"\"") + "\"" : name;
    }
}
