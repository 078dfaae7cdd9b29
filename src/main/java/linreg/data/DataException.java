package linreg.data;

/**
 * Bad input data. The message is one line that says where ({@code file:line:column}) and what
 * is wrong, ready to show to the user as it is.
 */
public final class DataException extends Exception {
    public DataException(String message) {
        super(message);
    }
}
