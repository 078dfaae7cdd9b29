// Synthetic data on the device (docs/algorithm.md §5, GPU variant): cuRAND draws X and the
// noise, cuBLAS gemv writes y = X·w*, and this kernel finishes the targets.
//
// Launch: any grid and block shape (grid-stride loop), no dynamic shared memory.

// y[i] = (y[i] + trueB) + noiseStd·noise[i], each operation rounded on its own (no fma).
extern "C" __global__ void finish_targets(float* __restrict__ y, const float* __restrict__ noise,
                                          int n, float trueB, float noiseStd) {
    const size_t count = (size_t)(n > 0 ? n : 0);
    const size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {
        y[i] = __fadd_rn(__fadd_rn(y[i], trueB), __fmul_rn(noiseStd, noise[i]));
    }
}
