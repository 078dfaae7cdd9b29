package linreg.gpu;

/** How the GPU engine runs an epoch (DESIGN.md §7: two strategies, one contract). */
public enum Strategy {
    /** The card's shape: per batch cuBLAS gemv, the mae_gradient kernel and the sgd_update kernel. */
    pipeline
}
