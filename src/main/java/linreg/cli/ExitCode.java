package linreg.cli;

/** The command line's exit codes. */
public final class ExitCode {
    /** Done. */
    public static final int OK = 0;
    /** Training diverged, or engines disagree. */
    public static final int FAILED = 1;
    /** Bad input: flags, files, sizes. */
    public static final int BAD_INPUT = 2;
    /** The GPU engine was asked for and no usable GPU is present, or the strategy asked for cannot run. */
    public static final int NO_GPU = 3;

    private ExitCode() {}
}
