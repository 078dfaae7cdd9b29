// The epoch's shuffle on the device: perm(p) of docs/algorithm.md §2, computed per position, so
// there is no sort and no index upload. Twin of linreg.spec.Permutation.
#include "canonical.cuh"

// Rows at least this wide are copied by a warp each (coalesced); narrower rows by one thread.
#define SHUFFLE_WARP_ROW_MIN_D 32

// The epoch's keys and domain, computed once per block by thread 0.
__device__ __forceinline__ linreg_perm_t shuffle_block_perm(int n, unsigned long long permSeed,
                                                            int epoch) {
    __shared__ linreg_perm_t shared;
    if (threadIdx.x == 0) {
        shared = linreg_perm_make((uint32_t)n, (uint64_t)permSeed, (uint32_t)epoch);
    }
    __syncthreads();
    return shared;
}

// Xs[p*d + j] = X[perm(p)*d + j], ys[p] = y[perm(p)], and the sample weights with their rows,
// vs[p] = v[perm(p)], when v is given (null: an unweighted run; vs is then unused). Any grid and
// block shape works (grid-stride loops); blockDim.x a multiple of 32 keeps the warp-per-row path
// free of partial warps.
__device__ __forceinline__ void shuffle_gather_rows(const float* __restrict__ X, const float* __restrict__ y,
                                                    const float* __restrict__ v, float* __restrict__ Xs,
                                                    float* __restrict__ ys, float* __restrict__ vs, int n,
                                                    int d, unsigned long long permSeed, int epoch) {
    const linreg_perm_t perm = shuffle_block_perm(n, permSeed, epoch);
    const size_t rows = (size_t)(n > 0 ? n : 0);
    const size_t width = (size_t)d;  // 64-bit: n*d exceeds 2^31 for n = 1e9, d = 4

    if (d < SHUFFLE_WARP_ROW_MIN_D) {
        // Thread per row; 16-byte moves when rows and both arrays allow it (d = 4: one each).
        const bool vec4 = (d & 3) == 0 && ((((uintptr_t)X) | ((uintptr_t)Xs)) & 15u) == 0;
        const size_t stride = (size_t)gridDim.x * blockDim.x;
        for (size_t p = (size_t)blockIdx.x * blockDim.x + threadIdx.x; p < rows; p += stride) {
            const size_t src = linreg_perm(&perm, (uint32_t)p);
            const float* from = X + src * width;
            float* to = Xs + p * width;
            if (vec4) {
                for (int j = 0; j < d; j += 4) {
                    *(float4*)(to + j) = *(const float4*)(from + j);
                }
            } else {
                for (int j = 0; j < d; j++) {
                    to[j] = from[j];
                }
            }
            ys[p] = y[src];
            if (v != nullptr) {
                vs[p] = v[src];
            }
        }
    } else {
        // Warp per row: consecutive lanes move consecutive features. Every lane computes perm(p)
        // itself (a few dozen integer ops), which keeps the loop free of shuffles.
        const unsigned warpsPerBlock = (blockDim.x + 31u) / 32u;
        const unsigned warp = threadIdx.x / 32u;
        const unsigned lane = threadIdx.x % 32u;
        // A trailing partial warp (blockDim.x not a multiple of 32) steps by its own width.
        const unsigned lanes = blockDim.x - warp * 32u < 32u ? blockDim.x - warp * 32u : 32u;
        const size_t stride = (size_t)gridDim.x * warpsPerBlock;
        for (size_t p = (size_t)blockIdx.x * warpsPerBlock + warp; p < rows; p += stride) {
            const size_t src = linreg_perm(&perm, (uint32_t)p);
            const float* from = X + src * width;
            float* to = Xs + p * width;
            for (size_t j = lane; j < width; j += lanes) {
                to[j] = from[j];
            }
            if (lane == 0) {
                ys[p] = y[src];
                if (v != nullptr) {
                    vs[p] = v[src];
                }
            }
        }
    }
}

extern "C" __global__ void shuffle_gather(const float* __restrict__ X, const float* __restrict__ y,
                                          const float* __restrict__ v, float* __restrict__ Xs,
                                          float* __restrict__ ys, float* __restrict__ vs, int n,
                                          int d, unsigned long long permSeed, int epoch) {
    shuffle_gather_rows(X, y, v, Xs, ys, vs, n, d, permSeed, epoch);
}

// shuffle_gather with the epoch read from device memory: a CUDA graph replays its launch
// arguments unchanged, so the pipeline's replayed epoch finds its number there (epoch_advance in
// graph.cu moves it on). The number counts the run's epochs from 0; a run continued from epoch
// firstEpoch takes the order of epoch firstEpoch + *epoch.
extern "C" __global__ void shuffle_gather_indirect(const float* __restrict__ X, const float* __restrict__ y,
                                                   const float* __restrict__ v, float* __restrict__ Xs,
                                                   float* __restrict__ ys, float* __restrict__ vs, int n, int d,
                                                   unsigned long long permSeed, const unsigned int* __restrict__ epoch,
                                                   int firstEpoch) {
    shuffle_gather_rows(X, y, v, Xs, ys, vs, n, d, permSeed, firstEpoch + (int)*epoch);
}

// out[p] = perm(p) for p = 0..n-1 (tests; the fused kernels compute perm(p) where they load a row). Any grid/block.
extern "C" __global__ void permutation_indices(int* __restrict__ out, int n,
                                               unsigned long long permSeed, int epoch) {
    const linreg_perm_t perm = shuffle_block_perm(n, permSeed, epoch);
    const size_t rows = (size_t)(n > 0 ? n : 0);
    const size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t p = (size_t)blockIdx.x * blockDim.x + threadIdx.x; p < rows; p += stride) {
        out[p] = (int)linreg_perm(&perm, (uint32_t)p);
    }
}
