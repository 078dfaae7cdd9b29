package linreg.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import linreg.data.CsvLoader;
import picocli.CommandLine.Option;

/** How to read a CSV data file: the separator, and whether its first line is a header. */
public final class CsvOptions {
    @Option(names = "--delimiter", paramLabel = "C", converter = DataOptions.DelimiterConverter.class,
            description = "CSV field separator: , ; | tab (or \\t) or space (default: ,).")
    Character delimiter;

    @Option(names = "--header", negatable = true,
            description = "The CSV's first line is a header (--header) or data (--no-header) "
                    + "(default: a header when none of its cells is a number).")
    Boolean header;

    /** The first CSV-only option given, or null: they do not go with a .npy file. */
    String given() {
        return delimiter != null ? "--delimiter" : header != null ? (header ? "--header" : "--no-header") : null;
    }

    /**
     * The loader these options describe.
     *
     * @param warnings where the loader's warnings go (printed as notices), or null for nowhere
     */
    CsvLoader loader(PrintWriter warnings) {
        Consumer<String> sink = warnings == null ? w -> { } : w -> warnings.println("linreg: " + w);
        CsvLoader.Header h = header == null ? CsvLoader.Header.GUESS : header ? CsvLoader.Header.YES : CsvLoader.Header.NO;
        return new CsvLoader(delimiter == null ? ',' : delimiter, h, sink);
    }
}
