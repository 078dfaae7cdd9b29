package linreg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import linreg.data.DataException;
import linreg.data.DataFiles;
import linreg.data.Dataset;
import linreg.data.JavaHeap;
import linreg.data.NpyLoader;
import linreg.data.Samples;
import linreg.data.SyntheticData;
import linreg.data.TargetColumn;
import linreg.data.WeightsOption;
import linreg.model.Model;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Where the samples come from: the tutorial's generator (the default), a CSV file or .npy files. */
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
            description = "Train on a file: CSV (one sample a row, the features, then the target; optional header line; "
                    + "- for standard input) or NumPy .npy (float32/float64: one (n, d+1) array, target last, or X of "
                    + "shape (n, d) with --labels).")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "With an .npy --data of shape (n, d): the targets, an .npy array of shape (n,) or (n, 1).")
    Path labels;

    @Option(names = "--target", paramLabel = "NAME", description = "With a CSV --data: the target column's header name (default: the last column).")
    String target;

    @Option(names = "--target-column", paramLabel = "K", description = "With --data: the target is column K, counted from 1 (default: the last).")
    Integer targetColumn;

    @Option(names = "--weights", paramLabel = "NAME|FILE.npy",
            description = "Sample weights: with a CSV --data the column of this header name (not a feature); with an .npy "
                    + "--data an .npy file of n weights, shape (n,) or (n, 1). Finite, >= 0, not all 0; each batch's loss "
                    + "and gradient are then weighted means (every engine; --streaming on does not take them yet).")
    String weights;

    @Option(names = "--weights-column", paramLabel = "K", description = "With a CSV --data: the sample weights are column K, counted from 1.")
    Integer weightsColumn;

    @Mixin
    CsvOptions csv;

    /** Whether the samples carry weights. */
    boolean weighted() {
        return weights != null || weightsColumn != null;
    }

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
            checkFileOptions(cl, data, labels, csv, target != null ? "--target" : null);
            if (target != null && targetColumn != null) {
                throw new ParameterException(cl, "--target and --target-column both pick the target; give one");
            }
            if (targetColumn != null && targetColumn < 1) {
                throw new ParameterException(cl, "--target-column counts from 1, got " + targetColumn);
            }
            checkWeightsOptions(cl, data, weights, weightsColumn);
            if (weightsColumn != null && weightsColumn.equals(targetColumn)) {
                throw new ParameterException(cl, "--weights-column " + weightsColumn + " is also --target-column; "
                        + "the weights are not the target");
            }
        } else {
            for (String option : List.of("--target", "--target-column", "--labels", "--delimiter", "--header", "--weights",
                    "--weights-column")) {
                if (parsed.hasMatchedOption(option)) {
                    throw new ParameterException(cl, (option.equals("--header") ? csv.given() : option)
                            + " goes with a --data file; no --data was given");
                }
            }
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
            throw new ParameterException(cl, "--true-b must be a finite number, got " + NumberFlags.typed(cl, "--true-b", trueB));
        }
    }

    /**
     * For generated data that must live on the host (the CPU engine, or a copy for it): the heap
     * must hold n·(d + 1) floats (in segments, so no array limit applies).
     */
    void checkHostSize(CommandLine cl) {
        int d = trueWeights().length;
        long bytes = 4L * samples * (d + 1);
        if (data == null && bytes > Runtime.getRuntime().maxMemory()) {
            throw new ParameterException(cl, "--samples " + samples + " with " + d + " features " + JavaHeap.needs(bytes, 0));
        }
    }

    /**
     * The options that describe a --data file must fit its kind: --labels, only with .npy
     * features from a file; the CSV options and {@code headerOption} (--target), only with CSV.
     */
    static void checkFileOptions(CommandLine cl, Path data, Path labels, CsvOptions csv, String headerOption) {
        boolean npy = NpyLoader.isNpy(data);
        if (labels != null && !npy) {
            throw new ParameterException(cl, "--labels goes with .npy features (--data X.npy --labels y.npy); "
                    + (DataFiles.isStdin(data) ? "stdin" : data) + " is read as CSV, whose target is one of its columns");
        }
        if (npy && csv.given() != null) {
            throw new ParameterException(cl, csv.given() + " is for CSV files; " + data + " is a NumPy .npy file");
        }
        if (npy && headerOption != null) {
            throw new ParameterException(cl, headerOption + " names a CSV header's column; " + data
                    + " is a NumPy .npy file (its target is the last column, --target-column K, or --labels)");
        }
    }

    /**
     * {@code --weights} and {@code --weights-column} must fit the data's kind: a CSV column by
     * name or number, or an .npy file beside .npy data; one of the two.
     */
    static void checkWeightsOptions(CommandLine cl, Path data, String weights, Integer weightsColumn) {
        if (weights != null && weightsColumn != null) {
            throw new ParameterException(cl, "--weights and --weights-column both pick the weights; give one");
        }
        if (weightsColumn != null && weightsColumn < 1) {
            throw new ParameterException(cl, "--weights-column counts from 1, got " + weightsColumn);
        }
        boolean npy = NpyLoader.isNpy(data);
        if (npy && weightsColumn != null) {
            throw new ParameterException(cl, "--weights-column picks a column of a CSV table; " + data
                    + " is a NumPy .npy file: give the weights as --weights FILE.npy");
        }
        if (npy && weights != null && !weights.toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new ParameterException(cl, "--weights " + weights + ": with .npy data the weights are an .npy file"
                    + " of shape (n,) or (n, 1)");
        }
    }

    /** The weights asked for. */
    WeightsOption weightsOption() {
        return new WeightsOption(weights, weightsColumn);
    }

    /** The true w of generated data. */
    float[] trueWeights() {
        return trueW != null ? trueW.values() : SyntheticData.trueW(features != null ? features : SyntheticData.TUTORIAL_W.length);
    }

    /**
     * The samples on the host: read from the file(s), or generated on the CPU with {@code seed}.
     *
     * @param warnings where the reader's warnings go, or null
     */
    Dataset loadHost(long seed, PrintWriter warnings) throws DataException {
        if (data != null) {
            return DataFiles.load(data, labels, csv.loader(warnings), TargetColumn.forTraining(target, targetColumn),
                    weightsOption()).toDataset();
        }
        return SyntheticData.generate(samples, trueWeights(), trueB, seed);
    }

    /**
     * A data file to apply a model to ({@code linreg predict} and {@code evaluate}): CSV or .npy,
     * with or without the target.
     */
    public static final class FileInput {
        @Option(names = "--data", paramLabel = "FILE", required = true,
                description = "CSV (header line optional; - for standard input) or NumPy .npy (float32/float64, shape (n, d) or (n, d+1)): "
                        + "d columns are the model's features; d + 1 columns hold the target too (the column named as "
                        + "the model's target, else the last).")
        Path data;

        @Option(names = "--labels", paramLabel = "FILE", description = "With an .npy --data of shape (n, d): the targets, shape (n,) or (n, 1).")
        Path labels;

        @Option(names = "--weights", paramLabel = "NAME|FILE.npy",
                description = "Sample weights for the metrics: with a CSV --data the column of this header name (not a "
                        + "feature); with an .npy --data an .npy file of n weights.")
        String weights;

        @Option(names = "--weights-column", paramLabel = "K", description = "With a CSV --data: the weights are column K, counted from 1.")
        Integer weightsColumn;

        @Mixin
        CsvOptions csv;

        /** @throws ParameterException when the options do not fit the file's kind */
        void validate(CommandLine cl) {
            checkFileOptions(cl, data, labels, csv, null);
            checkWeightsOptions(cl, data, weights, weightsColumn);
        }

        /** Whether the samples carry weights. */
        boolean weighted() {
            return weights != null || weightsColumn != null;
        }

        /**
         * The file's samples for {@code model}, checked against it: the number of features and,
         * where both have them, their names.
         */
        Samples load(Model model, PrintWriter warnings) throws DataException {
            Samples samples = DataFiles.load(data, labels, csv.loader(warnings),
                    TargetColumn.forModel(model.features(), model.targetName()), new WeightsOption(weights, weightsColumn));
            model.checkFeatures(samples.features(), samples.source());
            model.checkFeatureNames(samples.featureNames(), samples.source());
            return samples;
        }
    }

    /** {@code --delimiter}: one of , ; | tab space, with tab also written as a tab or \t. */
    public static final class DelimiterConverter implements ITypeConverter<Character> {
        @Override
        public Character convert(String value) {
            switch (value) {
                case ",", ";", "|", " ", "\t" -> {
                    return value.charAt(0);
                }
                case "\\t", "tab", "TAB" -> {
                    return '\t';
                }
                case "space" -> {
                    return ' ';
                }
                default -> throw new TypeConversionException("expected one of , ; | tab (or \\t) space, got '"
                        + value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") + "'");
            }
        }
    }
}
