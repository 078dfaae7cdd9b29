package linreg.gpu;

/** No usable GPU: the message names the reason (no driver, no device, a library that does not load). */
public class GpuUnavailableException extends RuntimeException {
    public GpuUnavailableException(String reason) {
        super(reason);
    }

    public GpuUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
