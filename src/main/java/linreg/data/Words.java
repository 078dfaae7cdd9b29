package linreg.data;

/** Counts in messages: "1 column", "2 columns". */
public final class Words {
    private Words() {}

    /** {@code count} and the noun, plural unless the count is one (nouns here take an s). */
    public static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
