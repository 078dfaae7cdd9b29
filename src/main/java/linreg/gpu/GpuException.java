package linreg.gpu;

/** A CUDA, cuBLAS or cuRAND call failed while a usable GPU was at work; the message names the call. */
public final class GpuException extends RuntimeException {
    public GpuException(String message) {
        super(message);
    }
}
