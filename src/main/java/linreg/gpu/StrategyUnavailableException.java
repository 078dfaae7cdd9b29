package linreg.gpu;

/** The GPU is usable but the strategy asked for is not: the message names why and the fix. */
public final class StrategyUnavailableException extends GpuUnavailableException {
    public StrategyUnavailableException(String message) {
        super(message);
    }
}
