package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad input through the real command line: one line on stderr that names the problem,
 * exit code 2, no stack trace, nothing on stdout.
 */
class BadInputTest {
    @TempDir
    Path dir;


    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--lr|abc|--lr",
        "--lr|0|--lr",
        "--lr|-0.5|--lr",
        "--lr|NaN|--lr",
        "--lr|Infinity|--lr",
        "--epochs|-1|--epochs",
        "--epochs|x|--epochs",
        "--batch-size|0|--batch-size",
        "--batch-size|1.5|--batch-size",
        "--samples|0|--samples",
        "--samples|-3|--samples",
        "--samples|many|--samples",
        "--seed|s|--seed",
        "--threads|0|--threads",
        "--features|0|--features",
        "--true-b|NaN|--true-b",
        "--init-b|inf|--init-b",
        "--engine|tpu|--engine",
        "--true-w|''|--true-w",
        "--true-w|1,,2|--true-w",
        "--true-w|1,x|--true-w",
        "--true-w|1,NaN|--true-w",
        "--init-w|' '|--init-w",
        "--momentum|1|--momentum",
        "--momentum|-0.1|--momentum",
        "--clip-norm|0|--clip-norm",
        "--clip-norm|-1|--clip-norm",
        "--validation|0|--validation",
        "--validation|1|--validation",
        "--validation|1.5|--validation",
        "--patience|0|--patience",
        "--lr-schedule|cosine|--lr-schedule",
        "--strategy|turbo|--strategy",
        "--loss|huber|--loss",
    })
    void badFlagValues(String flag, String value, String named) {
        Cli.assertRejected(Cli.run("train", flag, value), named);
    }

    @ParameterizedTest
    @CsvSource({"--lr", "--epochs", "--batch-size", "--samples", "--true-w", "--init-w", "--data", "--seed"})
    void missingFlagValues(String flag) {
        Cli.assertRejected(Cli.run("train", flag), flag);
    }

    @Test
    void extensionFlagsThatDoNotGoTogether() {
        Cli.assertRejected(Cli.run("train", "--nesterov"), "--nesterov", "--momentum");
        Cli.assertRejected(Cli.run("train", "--lr-decay", "3"), "--lr-decay", "invsqrt");
        Cli.assertRejected(Cli.run("train", "--lr-gamma", "0.1"), "--lr-gamma", "step");
        Cli.assertRejected(Cli.run("train", "--lr-schedule", "step", "--lr-gamma", "2"), "--lr-schedule step");
        Cli.assertRejected(Cli.run("train", "--lr-schedule", "invsqrt", "--lr-decay", "0"), "--lr-schedule invsqrt");
        Cli.assertRejected(Cli.run("train", "--tol", "0.1"), "--tol", "--patience");
        Cli.assertRejected(Cli.run("train", "--patience", "2", "--tol", "-1"), "--tol");
        Cli.assertRejected(Cli.run("train", "--validation", "0.001"), "--validation", "holds out 0");
        Cli.assertRejected(Cli.run("train", "--quantile", "0.9"), "--quantile", "--loss quantile");
        Cli.assertRejected(Cli.run("train", "--loss", "quantile", "--validation", "0.2"), "--validation", "--loss mae");
    }

    /** A fit without intercept keeps b at 0, so a start for b would be ignored: a usage error instead. */
    @Test
    void initBWithoutAnIntercept() {
        Cli.assertRejected(Cli.run("train", "--no-intercept", "--init-b", "0.5"), "--init-b", "--no-intercept");
        Cli.assertRejected(Cli.run("compare", "--init-b", "0", "--no-intercept"), "--init-b", "--no-intercept");
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "-0.1", "1.5", "NaN", "x"})
    void quantileLevelsOutsideTheOpenUnitInterval(String tau) {
        Cli.assertRejected(Cli.run("train", "--loss", "quantile", "--quantile", tau), "--quantile");
    }

    @Test
    void unknownFlag() {
        Cli.assertRejected(Cli.run("train", "--learning-rate", "0.1"), "--learning-rate");
    }

    @Test
    void wrongLengths() {
        Cli.assertRejected(Cli.run("train", "--init-w", "1,2,3"), "--init-w", "3 values", "4 features");
        Cli.assertRejected(Cli.run("train", "--features", "3", "--true-w", "1,2"), "--true-w", "--features");
        Cli.assertRejected(Cli.run("train", "--true-w", "1,2", "--init-w", "1,2,3"), "--init-w");
    }

    @Test
    void hostArrayLimit() {
        Cli.assertRejected(Cli.run("train", "--samples", "2000000000", "--features", "4"), "--samples");
    }

    @Test
    void flagsThatDoNotGoTogether() throws IOException {
        Path csv = write("ok.csv", "1,2\n3,4\n");
        Cli.assertRejected(Cli.run("train", "--data", csv.toString(), "--samples", "10"), "--samples", "--data");
        Cli.assertRejected(Cli.run("train", "--data", csv.toString(), "--true-w", "1"), "--true-w");
        Cli.assertRejected(Cli.run("train", "--target", "y"), "--target", "--data");
    }

    @Test
    void dataFileProblems() throws IOException {
        Cli.assertRejected(Cli.run("train", "--data", dir.resolve("missing.csv").toString()), "missing.csv", "no such file");
        Cli.assertRejected(Cli.run("train", "--data", dir.toString()), "is a directory");
        Cli.assertRejected(Cli.run("train", "--data", write("empty.csv", "").toString()), "empty.csv", "empty");
        Cli.assertRejected(Cli.run("train", "--data", write("blank.csv", "\n\n").toString()), "blank.csv", "empty");
        Cli.assertRejected(Cli.run("train", "--data", write("header.csv", "a,b,y\n").toString()), "header.csv", "no data rows");
        Cli.assertRejected(Cli.run("train", "--data", write("ragged.csv", "a,b,y\n1,2,3\n4,5\n").toString()),
                "ragged.csv:3:", "2 columns, expected 3");
        Cli.assertRejected(Cli.run("train", "--data", write("text.csv", "1,2,3\n4,abc,6\n").toString()),
                "text.csv:2:2:", "\"abc\"");
        Cli.assertRejected(Cli.run("train", "--data", write("nan.csv", "1,2,3\n4,NaN,6\n").toString()),
                "nan.csv:2:2:", "finite");
        Cli.assertRejected(Cli.run("train", "--data", write("inf.csv", "x,y\n1,2\n-Infinity,6\n").toString()),
                "inf.csv:3:1:", "finite");
        Cli.assertRejected(Cli.run("train", "--data", write("big.csv", "1,2\n1e39,6\n").toString()), "big.csv:2:1:", "too large");
        Cli.assertRejected(Cli.run("train", "--data", write("empty-cell.csv", "1,2\n,6\n").toString()), "empty-cell.csv:2:1:");
        Cli.assertRejected(Cli.run("train", "--data", write("one.csv", "1\n2\n").toString()), "one.csv:1:", "at least two");
        Cli.assertRejected(Cli.run("train", "--data", write("cols.csv", "a,b,y\n1,2,3\n").toString(), "--target", "price"),
                "cols.csv:1:", "\"price\"", "a, b, y");
        Cli.assertRejected(Cli.run("train", "--data", write("nohead.csv", "1,2,3\n").toString(), "--target", "y"),
                "nohead.csv:1:", "header");
        Cli.assertRejected(Cli.run("train", "--data", write("quote.csv", "a,y\n\"1,2\n").toString()), "quote.csv");
    }

    @Test
    void unreadableFile() throws IOException {
        Path csv = write("secret.csv", "1,2\n");
        Files.setPosixFilePermissions(csv, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(csv), "running as a user who reads every file (root)");
        Cli.assertRejected(Cli.run("train", "--data", csv.toString()), "secret.csv", "cannot be read");
    }

    @Test
    void initWLengthAgainstTheFile() throws IOException {
        Path csv = write("two.csv", "1,2,3\n4,5,6\n");
        Cli.assertRejected(Cli.run("train", "--data", csv.toString(), "--init-w", "1"), "--init-w", "2 features");
    }

    @Test
    void divergenceIsExitOneWithAdvice() {
        Cli.Run run = Cli.run("train", "--lr", "3e38", "--epochs", "5");
        assertEquals(ExitCode.FAILED, run.code(), run.err());
        String[] lines = run.errLines();
        String last = lines[lines.length - 1];
        assertTrue(last.contains("diverged at epoch") && last.contains("smaller --lr"), last);
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void gpuEngineWithoutAGpuIsExitThree() {
        Cli.Run run = Cli.run("train", "--engine", "gpu");
        assertEquals(ExitCode.NO_GPU, run.code(), run.err());
        assertEquals(1, run.errLines().length, run.err());
        assertTrue(run.err().contains("no usable GPU"), run.err());
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    // Issue 5: .npy files, --labels and --delimiter through `linreg train`.

    @Test
    void npyFileProblems() throws IOException {
        Path x = linreg.data.NpyWriter.matrix(dir.resolve("X.npy"), "<f4", 3, 2, 1, 2, 3, 4, 5, 6);
        Path ints = linreg.data.NpyWriter.write(dir.resolve("ints.npy"),
                linreg.data.NpyWriter.header(1, linreg.data.NpyWriter.dict("<i8", false, 3, 2)), new byte[48]);
        Cli.assertRejected(Cli.run("train", "--data", ints.toString()), "ints.npy", "dtype '<i8' is not supported");
        Path vector = linreg.data.NpyWriter.vector(dir.resolve("v.npy"), "<f4", 1, 2, 3);
        Cli.assertRejected(Cli.run("train", "--data", vector.toString()), "v.npy", "shape (3,)");
        Path shortLabels = linreg.data.NpyWriter.vector(dir.resolve("y.npy"), "<f4", 1, 2);
        Cli.assertRejected(Cli.run("train", "--data", x.toString(), "--labels", shortLabels.toString()),
                "y.npy: 2 labels", "X.npy has 3 rows");
        byte[] whole = Files.readAllBytes(x);
        Path cut = Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(whole, whole.length - 4));
        Cli.assertRejected(Cli.run("train", "--data", cut.toString()), "cut.npy: truncated");
        Cli.assertRejected(Cli.run("train", "--data", write("text.npy", "1,2\n3,4\n").toString()), "text.npy", "not an .npy file");
        Path nan = linreg.data.NpyWriter.matrix(dir.resolve("nan.npy"), "<f8", 2, 2, 1, 2, Double.NaN, 4);
        Cli.assertRejected(Cli.run("train", "--data", nan.toString()), "nan.npy: element [1, 0] is NaN");
    }

    @Test
    void labelsAndDelimiterMisuse() throws IOException {
        Path csv = write("ok.csv", "1,2\n3,4\n");
        Path x = linreg.data.NpyWriter.matrix(dir.resolve("X.npy"), "<f4", 2, 1, 1, 2);
        Path y = linreg.data.NpyWriter.vector(dir.resolve("y.npy"), "<f4", 3, 4);
        Cli.assertRejected(Cli.run("train", "--data", csv.toString(), "--labels", y.toString()), "--labels", ".npy");
        Cli.assertRejected(Cli.run("train", "--labels", y.toString()), "--labels", "--data");
        Cli.assertRejected(Cli.run("train", "--data", x.toString(), "--delimiter", ";"), "--delimiter", "X.npy");
        Cli.assertRejected(Cli.run("train", "--data", x.toString(), "--labels", y.toString(), "--target", "y"), "--target");
        Cli.assertRejected(Cli.run("train", "--data", csv.toString(), "--delimiter", "::"), "--delimiter", "'::'");
        Cli.assertRejected(Cli.run("train", "--delimiter", ";"), "--delimiter", "--data");
    }

    @Test
    void trainingOnNpyAndOtherDelimitersWorks() throws IOException {
        Path x = linreg.data.NpyWriter.matrix(dir.resolve("X.npy"), ">f8", 3, 1, 1, 2, 3);
        Path y = linreg.data.NpyWriter.vector(dir.resolve("y.npy"), "<f4", 2, 4, 6);
        Cli.Run run = Cli.run("train", "--data", x.toString(), "--labels", y.toString(), "--epochs", "2", "--engine", "cpu", "--json");
        assertEquals(ExitCode.OK, run.code(), run.err());
        assertTrue(run.out().contains("\"n\":3") && run.out().contains("\"d\":1"), run.out());
        Path tsv = write("t.tsv", "a\tb\ty\n1\t2\t3\n4\t5\t6\n");
        for (String tab : new String[] {"\\t", "tab", "\t"}) {
            run = Cli.run("train", "--data", tsv.toString(), "--delimiter", tab, "--epochs", "1", "--engine", "cpu", "--json");
            assertEquals(ExitCode.OK, run.code(), tab + ": " + run.err());
            assertTrue(run.out().contains("\"feature_names\":[\"a\",\"b\"]"), run.out());
        }
    }
}
