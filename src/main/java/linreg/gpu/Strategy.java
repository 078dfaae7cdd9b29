package linreg.gpu;

/** How the GPU engine runs an epoch (DESIGN.md §7: two strategies, one contract). */
public enum Strategy {
    /**
     * The card's shape: per batch cuBLAS gemv, the mae_gradient kernel and the sgd_update kernel;
     * an epoch's launches are replayed from a CUDA graph where that measures faster.
     */
    pipeline(true),
    /** A whole epoch in one kernel launch, no cuBLAS (kernels/fused.cu; shapes in FusedShape). */
    fused(false);

    /** Whether it calls cuBLAS, so needs libcublas.so.11 ({@link StrategySupport}). */
    public final boolean usesCublas;

    Strategy(boolean usesCublas) {
        this.usesCublas = usesCublas;
    }
}
