package linreg.cli;

/** A comma-separated list of finite numbers given on the command line, such as {@code 10,7,5,2}. */
record FloatList(float[] values) {
    int size() {
        return values.length;
    }
}
