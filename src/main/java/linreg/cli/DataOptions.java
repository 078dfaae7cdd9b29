package linreg.cli;

import java.nio.file.Path;
import java.util.List;
import linreg.data.CsvLoader;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where the samples come from: the tutorial's generator (the default) or a CSV file. */
public final class DataOptions {
    @Option(names = {"-n", "--samples"}, paramLabel = "N", description = "Samples to generate (default: ${DEFAULT-VALUE}).")
    int samples = SyntheticData.TUTORIAL_SAMPLES;

    @Option(names = "--true-w", paramLabel = "W1,W2,...", converter = FloatListConverter.class,
            description = "True weights of the generated data (default: 10,7,5,2).")
    FloatList trueW;

    @Option(names = "--true-b", paramLabel = "B", description = "True bias of the generated data (default: ${DEFAULT-VALUE}).")
    float trueB = SyntheticData.TUTORIAL_B;

    @Option(names = {"-d", "--features"}, paramLabel = "D",
            description = "Generate D features with true w_j = (j mod 7) - 3 (the tutorial's w when D = 4).")
    Integer features;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Train on a CSV file: one sample a row, the features, then the target; optional header line.")
    Path data;

    @Option(names = "--target", paramLabel = "NAME", description = "With --data: the target column's header name (default: the last column).")
    String target;

    /** Whether the samples are generated (not read from a file). */
    boolean generated() {
        return data == null;
    }

    /** @throws ParameterException naming the first bad or conflicting option */
    void validate(CommandLine cl) {
        var parsed = cl.getParseResult();
        if (data != null) {
            for (String option : List.of("--samples", "--true-w", "--true-b", "--features")) {
                if (parsed.hasMatchedOption(option)) {
                    throw new ParameterException(cl, option + " describes generated data; it cannot be used with --data");
                }
            }
        } else if (target != null) {
            throw new ParameterException(cl, "--target picks a column of a --data file; no --data was given");
        }
        if (samples < 1) {
            throw new ParameterException(cl, "--samples must be at least 1, got " + samples);
        }
        if (features != null && features < 1) {
            throw new ParameterException(cl, "--features must be at least 1, got " + features);
        }
        if (trueW != null && features != null && trueW.size() != features) {
            throw new ParameterException(cl, "--true-w has " + trueW.size() + " values but --features is " + features);
        }
        if (!Float.isFinite(trueB)) {
            throw new ParameterException(cl, "--true-b must be a finite number, got " + trueB);
        }
        int d = trueWeights().length;
        if (data == null && (long) samples * d > Dataset.MAX_ELEMENTS) {
            throw new ParameterException(cl, "--samples " + samples + " with " + d + " features is " + (long) samples * d
                    + " values, more than a host array holds (" + Dataset.MAX_ELEMENTS + ")");
        }
    }

    /** The true w of generated data. */
    float[] trueWeights() {
        return trueW != null ? trueW.values() : SyntheticData.trueW(features != null ? features : SyntheticData.TUTORIAL_W.length);
    }

    /** The samples on the host: read from the file, or generated on the CPU with {@code seed}. */
    Dataset loadHost(long seed) throws DataException {
        if (data != null) {
            return new CsvLoader().load(data, target);
        }
        return SyntheticData.generate(samples, trueWeights(), trueB, seed);
    }
}
