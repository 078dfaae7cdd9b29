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
    /** The reader of stdout has gone ({@code | head}): 128 + SIGPIPE, the status of a Unix tool that signal ends. */
    public static final int READER_GONE = 141;

    private ExitCode() {}
}
