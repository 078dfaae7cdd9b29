// Synthetic data on the device (docs/algorithm.md §5, GPU variant): cuRAND draws X and the
// noise, this kernel makes the targets. No cuBLAS, so the fused strategy runs on hosts without it.
//
// Launch: any grid and block shape (grid-stride loop over rows), no dynamic shared memory.

// y_i = (x_i·w* + b*) + noiseStd·z_i (§5): the canonical dot product (x_i0·w*_0, then an fma
// chain in feature order), then + b*, then + the noise term, each rounded on its own.
__device__ __forceinline__ float data_target(const float* x, const float* trueW, int d, float trueB,
                                             float noiseStd, float z) {
    float acc = __fmul_rn(x[0], trueW[0]);
    for (int j = 1; j < d; j++) {
        acc = fmaf(x[j], trueW[j], acc);
    }
    return __fadd_rn(__fadd_rn(acc, trueB), __fmul_rn(noiseStd, z));
}

// n ≤ 2^31 − 1 rows of d ≥ 1 features; row offsets are 64-bit (n·d passes 2^32 at n = 1e9, d = 8).
extern "C" __global__ void finish_targets(float* __restrict__ y, const float* __restrict__ X,
                                          const float* __restrict__ trueW, const float* __restrict__ noise,
                                          int n, int d, float trueB, float noiseStd) {
    const size_t rows = (size_t)(n > 0 && d > 0 ? n : 0);
    const size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < rows; i += stride) {
        y[i] = data_target(X + i * (size_t)d, trueW, d, trueB, noiseStd, noise[i]);
    }
}
