package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import linreg.data.NpyWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inputs and outputs through the real command line, one case a line: the arguments, the exit
 * code, and a fragment that stderr must hold (for exit 0: stdout or stderr). {@code @NAME} is a
 * file of {@link #FILES} (or the folder itself for a bare {@code @}); {@code <@NAME} feeds that file
 * to stdin. Every refusal (exit 2) is also held to the project's rule ({@link Cli#assertRejected}):
 * one line on stderr, nothing on stdout, no stack trace, no web address, at most one "(see --help)".
 */
class InputCasesTest {
    @TempDir
    Path dir;

    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        text("ok.csv", "a,b,y\n1,2,3\n4,5,6\n");
        text("f.csv", "a,b\n1,2\n");
        text("model.json", "{\"format\": \"linreg-model\", \"version\": 1, \"w\": [2, -1], \"b\": 0.5,"
                + " \"feature_names\": [\"a\", \"b\"], \"target_name\": \"y\"}");
        text("model1.json", "{\"format\": \"linreg-model\", \"version\": 1, \"w\": [2], \"b\": 0.5}");
        text("x1.csv", "1\n2\n");
        // CSV
        text("bom.csv", "\uFEFF a , b ,y\n1,2,3\n4,5,6\n");
        bytes("utf16.csv", "\uFEFFa,b,y\n1,2,3\n4,5,6\n".getBytes(StandardCharsets.UTF_16LE));
        bytes("utf16-no-bom.csv", "a,b,y\n1,2,3\n4,5,6\n".getBytes(StandardCharsets.UTF_16LE));
        text("dup.csv", "a,a,y\n1,2,3\n4,5,6\n");
        text("dup-target.csv", "y,a,y\n1,2,3\n");
        text("year.csv", "2019,2020,price\n1,2,3\n4,5,6\n");
        text("spellings.csv", "x,y\n.5,5.\n+5,-0\n1E+2,007\n");
        text("5f.csv", "x,y\n1,2\n5f,3\n");
        text("5d.csv", "x,y\n1,2\n3,5d\n");
        text("hex.csv", "x,y\n0x1p3,2\n");
        text("huge.csv", "x,y\n1,2\n3.4028235e38,3\n");
        text("huge-target.csv", "x,y\n1,2\n3,-2e19\n");
        text("one-column.csv", "x\n1\n2\n");
        text("ragged.csv", "a,b,y\n1,2,3\n4\n");
        text("quote.csv", "a,y\n1,2\n\"3,4\n5,6\n");
        text("late-quote.csv", "a,y\n1,\"2\n3\",4\n5,6\n");
        text("spaces.txt", "a b y\n1  2 3\n");
        text("spaces2.txt", "a b y\n1  2\n");
        bytes("data.csv.gz", gzip("a,b,y\n1,2,3\n"));
        bytes("data.zip", zip("data.csv", "a,b,y\n1,2,3\n"));
        bytes("binary.dat", new byte[] {'a', ',', 'b', 0, 1, 2, 3, '\n'});
        bytes("x.npy", concat(NpyWriter.header(1, NpyWriter.dict("<f4", false, 2, 2)), NpyWriter.data("<f4", 1, 2, 3, 4)));
    }

    private static void text(String name, String content) {
        FILES.put(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(String name, byte[] content) {
        FILES.put(name, content);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # outputs: checked before any work, never an input, never each other
        train --epochs 100000 --save-model @ok.csv/m.json                   | 2 | ok.csv is not a folder
        train --epochs 100000 --save-model @                                | 2 | is a directory, expected a file name
        train --data @ok.csv --save-model @ok.csv                           | 2 | --save-model @ok.csv is the --data file
        train --data @ok.csv --plot @ok.csv                                 | 2 | is the --data file
        train --save-model @m.json --plot @m.json                           | 2 | --plot @m.json is the --save-model file
        predict --model @model.json --data @f.csv --output @f.csv           | 2 | is the --data file
        predict --model @model.json --data @f.csv --output @model.json      | 2 | is the --model file
        # CSV: byte-order marks, trimmed names, duplicates, --header, --target-column, stdin
        train --data @bom.csv --engine cpu --epochs 1 --json                | 0 | "feature_names":["a","b"]
        train --data @utf16.csv --engine cpu --epochs 1 --json              | 0 | "feature_names":["a","b"]
        train --data @dup.csv --engine cpu --epochs 1                       | 0 | dup.csv:1: columns 1 and 2 are both named "a"
        train --data @dup.csv --target a                                    | 2 | dup.csv:1: --target a is ambiguous: columns 1 and 2 are both named "a"; pick one with --target-column
        predict --model @model.json --data @dup-target.csv                  | 2 | the model's target "y" is ambiguous here: columns 1 and 3
        train --data @year.csv                                              | 2 | year.csv:1:3: column 3 is "price", expected a number; if line 1 is a header, give --header
        train --data @year.csv --header --engine cpu --epochs 1 --json      | 0 | "feature_names":["2019","2020"]
        train --data @ok.csv --no-header                                    | 2 | ok.csv:1:1: column 1 is "a", expected a number
        train --data @ok.csv --target-column 1 --engine cpu --epochs 1 --json | 0 | "target_name":"a"
        train --data @ok.csv --target-column 4                              | 2 | ok.csv:1: --target-column 4, but there are 3 columns
        train --data @ok.csv --target-column 0                              | 2 | --target-column counts from 1, got 0
        train --data @ok.csv --target y --target-column 1                   | 2 | --target and --target-column both pick the target
        train --target-column 2                                             | 2 | --target-column goes with a --data file
        train --no-header                                                   | 2 | --no-header goes with a --data file
        train --data @x.npy --header                                        | 2 | --header is for CSV files
        train --data - --engine cpu --epochs 1 --json <@ok.csv              | 0 | "data":"stdin"
        predict --model @model.json --data - <@f.csv                        | 0 | prediction
        train --data - <@data.csv.gz                                        | 2 | stdin: looks like a gzip file; decompress it first
        train --data - <@x.npy                                              | 2 | stdin: is a NumPy .npy array; give it as a file
        train --data - <@year.csv                                           | 2 | stdin:1:3: column 3 is "price"
        # numbers: the CSV syntax, not Java's
        train --data @spellings.csv --engine cpu --epochs 1 --json          | 0 | "n":3
        train --data @5f.csv                                                | 2 | 5f.csv:3:1: column 1 is "5f", expected a number
        train --data @5d.csv                                                | 2 | 5d.csv:3:2: column 2 is "5d", expected a number
        train --data @hex.csv                                               | 2 | hex.csv:2:1: column 1 is "0x1p3", expected a number
        # values whose products overflow float32
        train --data @huge.csv                                              | 2 | huge.csv:3:1: column 1 is "3.4028235e38", too large: values must stay within ±1.8e19
        train --data @huge-target.csv                                       | 2 | huge-target.csv:3:2: column 2 is "-2e19", too large
        # what the input is, said clearly
        train --data @data.csv.gz                                           | 2 | data.csv.gz: looks like a gzip file; decompress it first (gunzip)
        train --data @data.zip                                              | 2 | data.zip: looks like a zip archive
        train --data @binary.dat                                            | 2 | binary.dat: looks like a binary file, not text (byte 3 is 0)
        train --data @utf16-no-bom.csv                                      | 2 | looks like UTF-16 text without a byte-order mark; save it as UTF-8
        train --data @quote.csv                                             | 2 | quote.csv:3:1: the quote that opens column 1 on line 3 is never closed
        train --data @late-quote.csv                                        | 2 | late-quote.csv:2:2: the quote that opens column 2 on line 2 closes only on line 3
        train --data @spaces.txt --delimiter space                          | 2 | spaces.txt:2: 4 columns, expected 3 as on line 1; with --delimiter space every space separates two cells
        train --data @spaces2.txt --delimiter space                         | 2 | spaces2.txt:2:2: column 2 is empty, expected a number; with --delimiter space every space separates two cells
        predict --model @ok.csv --data @f.csv                               | 2 | ok.csv: not a linreg model: not JSON (line 1, column 1); a model file is the JSON object
        predict --model @data.csv.gz --data @f.csv                          | 2 | data.csv.gz: not a linreg model: it looks like a gzip file
        train --lr 1e-46                                                    | 2 | Invalid value for option '--lr': 1e-46 rounds to 0 in float32
        train --lr 1e39                                                     | 2 | 1e39 is beyond the range of float32
        train --lr 5f                                                       | 2 | '5f' is not a number
        train --lr -1e-3                                                    | 2 | --lr must be a finite number > 0, got -1e-3
        train --validation 1e-400                                           | 2 | 1e-400 rounds to 0 in float64
        train --init-w 1,1e-46,1,1                                          | 2 | value 2 of '1,1e-46,1,1': 1e-46 rounds to 0 in float32
        train --data @one-column.csv                                        | 2 | one-column.csv:1: 1 column, expected at least two
        train --data @ragged.csv                                            | 2 | ragged.csv:3: 1 column, expected 3 as on line 1
        evaluate --model @model1.json --data @x1.csv                        | 2 | its 1 column is the model's features
        train --samples 1 --epochs 1 --engine cpu                           | 0 | 1 sample × 4 features from synthetic; 1 epoch in
        train --threads                                                     | 2 | (see --help)
        """)
    void inputCase(String args, int code, String fragment) throws Exception {
        writeFiles();
        List<String> argv = new ArrayList<>();
        byte[] stdin = null;
        for (String token : args.trim().split("\\s+")) {
            if (token.startsWith("<@")) {
                stdin = FILES.get(token.substring(2));
            } else {
                argv.add(token.startsWith("@") ? dir.resolve(token.substring(1)).toString() : token);
            }
        }
        Cli.Run run = runWithStdin(stdin, argv.toArray(String[]::new));
        String expected = fragment.replace("@", dir + "/");
        if (code == ExitCode.BAD_INPUT) {
            Cli.assertRejected(run, expected);
            assertFalse(run.err().contains("://"), "no web address: " + run.err());
            assertFalse(run.err().indexOf("(see --help)") != run.err().lastIndexOf("(see --help)"), run.err());
        } else {
            assertEquals(code, run.code(), run.err());
            assertTrue((run.out() + run.err()).contains(expected), "expected '" + expected + "' in:\n" + run.out() + run.err());
        }
    }

    private void writeFiles() throws IOException {
        for (Map.Entry<String, byte[]> file : FILES.entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
    }

    /** stdin for the in-process command line; the test JVM's own stdin is left alone. */
    private static Cli.Run runWithStdin(byte[] stdin, String... args) {
        if (stdin == null) {
            return Cli.run(args);
        }
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            return Cli.run(args);
        } finally {
            System.setIn(saved);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] zip(String name, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry(name));
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }
}
