package linreg.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import linreg.data.AtomicFiles;
import linreg.data.CsvLoader;
import linreg.data.DataException;
import linreg.data.DataFiles;
import linreg.data.Float32NpyWriter;
import linreg.data.NpyLoader;
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
                    + "A header line's names are written beside OUT.npy, as OUT.header.csv. The rows go to a file "
                    + "beside it as they are parsed, not to the Java heap: a CSV of any size converts."})
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
        // Every column is a feature here: the target is chosen when the .npy file is read. The rows
        // go to a file as they are parsed (the header needs their count, known at the end), then
        // into OUT.npy behind the header: the heap holds none of them.
        Path rows = rowsFile(out);
        CsvLoader.Table table;
        try {
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(rows), 1 << 16)) {
                Float32NpyWriter.Rows[] sink = new Float32NpyWriter.Rows[1];
                table = csv.loader(cl.getErr()).loadInto(data, width -> sink[0] = new Float32NpyWriter.Rows(stream, out, width));
                sink[0].flush();
            } catch (IOException e) {
                throw new DataException(out + ": cannot write: " + AtomicFiles.reason(e));
            }
            OutputFile.write(out, stream -> {
                stream.write(Float32NpyWriter.header(table.rows(), table.columns()));
                Files.copy(rows, stream);
            });
        } finally {
            try {
                Files.deleteIfExists(rows);
            } catch (IOException e) {
                cl.getErr().println("linreg convert: could not remove " + rows + ": " + AtomicFiles.reason(e));
            }
        }
        List<String> names = table.names();
        if (names != null) {
            String line = names.stream().map(ConvertCommand::csvField).collect(Collectors.joining(",")) + "\n";
            OutputFile.write(header, stream -> stream.write(line.getBytes(StandardCharsets.UTF_8)));
        }
        cl.getOut().printf(Locale.ROOT, "%s × %s from %s to %s%s%n", Words.count(table.rows(), "row"),
                Words.count(table.columns(), "column"), DataFiles.isStdin(data) ? "stdin" : data, out,
                names != null ? ", the header's names to " + header : " (no header line, no names)");
        cl.getOut().flush();
        return ExitCode.OK;
    }

    /**
     * A new file for the rows while the CSV is parsed: beside OUT.npy, where there is room for it
     * (a device or FIFO's folder has none: then the temporary folder); removed at the end, or when
     * the JVM ends early.
     */
    private static Path rowsFile(Path out) throws DataException {
        Path folder = out.toAbsolutePath().getParent();
        Path rows;
        try {
            rows = Files.createTempFile(folder, "." + out.getFileName() + ".", ".rows");
        } catch (IOException | UnsupportedOperationException e) {
            try {
                rows = Files.createTempFile("linreg-convert-", ".rows");
            } catch (IOException again) {
                throw new DataException(out + ": no room for the rows while converting: " + AtomicFiles.reason(again));
            }
        }
        rows.toFile().deleteOnExit();
        return rows;
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
