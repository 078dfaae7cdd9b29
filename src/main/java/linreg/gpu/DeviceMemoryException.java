package linreg.gpu;

/** The problem does not fit in the GPU's free memory; the message says how much is needed and free. */
public final class DeviceMemoryException extends RuntimeException {
    public DeviceMemoryException(String message) {
        super(message);
    }
}
