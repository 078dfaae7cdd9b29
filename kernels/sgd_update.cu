// The in-place SGD step of one batch (docs/algorithm.md §4): the device twin of
// linreg.spec.SgdUpdate, plus the epoch's float64 loss sums and the gradient reset.
//
// Launch: one block (gridDim.x = 1), any blockDim.x (threads loop over the d + 1 parameters),
// no dynamic shared memory.
#include "average.cuh"
#include "canonical.cuh"
#include "objective.cuh"
#include "sgd.cuh"

// params: w_0..w_{d-1}, b. sums: S, G_b, G_0..G_{d-1} from mae_gradient, then V when weighted: the
// step divides by V instead of m, and a batch of V = 0 makes no step (docs/algorithm.md §4, "Sample
// weights"; objective.cuh's linreg_weight_steps). velocity: d + 1 floats
// when momentum != 0 (else unused, may be null). clipNorm 0: no clipping. intercept 0: b is never
// stepped and its gradient counts as 0 in the norm. l2, l1: the penalties on w, 0 for none. Order of
// the step (docs/algorithm.md §4, §6): g = G/m, g_j = fma(l2, w_j, g_j), clip, momentum (Nesterov),
// p = fma(-lr, u, p), then w's soft-threshold of lr·l1.
// epochStats[0] += S/m (the epoch loss, float64), epochStats[1] += S (for the epoch's mean |r|);
// weighted: S/V, S and epochStats[3] += V (the record's fourth double), for a batch that steps.
// Parameter j's gradient before clipping: G_j/m with w's L2 penalty; j == d the bias, G_b/m, or 0
// without an intercept (fma(0, 0, s) = s: b stays out of the norm). Reads params[j] before its step.
__device__ __forceinline__ float sgd_gradient(const float* __restrict__ params, const float* __restrict__ sums,
                                              int j, int d, float count, int intercept, float l2) {
    if (j == d) {
        return intercept ? __fdiv_rn(sums[1], count) : 0.0f;
    }
    return linreg_penalised(__fdiv_rn(sums[2 + j], count), params[j], l2);
}

// The step of one batch whose sums divide by count (m, or V), in place on params and velocity.
__device__ __forceinline__ void sgd_apply(float* __restrict__ params, const float* __restrict__ sums,
                                          float* __restrict__ velocity, int d, float count, float lr, float momentum,
                                          int nesterov, float clipNorm, int intercept, float l2, float l1) {
    __shared__ float factor;  // the clipping factor, or 1 when the norm is within clipNorm
    if (clipNorm > 0.0f) {
        // The total norm, an fma chain of squares in parameter order (w, then b), by one thread:
        // its order is part of the contract (docs/algorithm.md §6).
        if (threadIdx.x == 0) {
            float s = 0.0f;
            for (int j = 0; j <= d; j++) {
                const float g = sgd_gradient(params, sums, j, d, count, intercept, l2);
                s = fmaf(g, g, s);
            }
            factor = linreg_clip_factor(s, clipNorm);
        }
        __syncthreads();
    }
    const float threshold = __fmul_rn(lr, l1);  // lr·α₁, rounded once
    for (int j = threadIdx.x; j <= d; j += blockDim.x) {
        if (j == d && !intercept) {
            continue;  // b stays as it is (0)
        }
        float g = sgd_gradient(params, sums, j, d, count, intercept, l2);
        if (clipNorm > 0.0f) {
            g = __fmul_rn(g, factor);  // × 1 is exact, so an unclipped step is unchanged
        }
        float v = momentum != 0.0f ? velocity[j] : 0.0f;
        float p = linreg_sgd_step(params[j], g, v, lr, momentum, nesterov);
        if (j < d && l1 != 0.0f) {
            p = linreg_soft_threshold(p, threshold);
        }
        params[j] = p;
        if (momentum != 0.0f) {
            velocity[j] = v;
        }
    }
}

__device__ __forceinline__ void sgd_step(float* __restrict__ params, float* __restrict__ sums,
                                         float* __restrict__ velocity, int d, int m, float lr, float momentum,
                                         int nesterov, float clipNorm, int intercept, float l2, float l1,
                                         int weighted, double* __restrict__ epochStats) {
    if (blockIdx.x != 0) {
        return;  // one block owns the parameters; extra blocks would race
    }
    // V, or m rounded to nearest as Java's int -> float.
    const float count = weighted ? sums[d + 2] : (float)m;
    if (!weighted || linreg_weight_steps(count)) {
        sgd_apply(params, sums, velocity, d, count, lr, momentum, nesterov, clipNorm, intercept, l2, l1);
        if (threadIdx.x == 0) {
            epochStats[0] += (double)__fdiv_rn(sums[0], count);
            epochStats[1] += (double)sums[0];
            if (weighted) {
                epochStats[3] += (double)count;
            }
        }
    }
    // Every read of sums is done: zero them for the next batch (the tutorial's grad.zero_()).
    __syncthreads();
    for (int q = threadIdx.x; q < (int)linreg_quantities((uint32_t)d, weighted); q += blockDim.x) {
        sums[q] = 0.0f;
    }
}

extern "C" __global__ void sgd_update(float* __restrict__ params, float* __restrict__ sums,
                                      float* __restrict__ velocity, int d, int m, float lr, float momentum,
                                      int nesterov, float clipNorm, int intercept, float l2, float l1, int weighted,
                                      double* __restrict__ epochStats) {
    sgd_step(params, sums, velocity, d, m, lr, momentum, nesterov, clipNorm, intercept, l2, l1, weighted, epochStats);
}

// sgd_update with the epoch's rate and record found through the epoch number in device memory
// (a CUDA graph replays its launch arguments unchanged): lr = rates[*epoch], and the epoch sums go
// to records[4·(*epoch)], the epoch's 32-byte record (PipelineTrainer's layout).
extern "C" __global__ void sgd_update_indirect(float* __restrict__ params, float* __restrict__ sums,
                                               float* __restrict__ velocity, int d, int m,
                                               const float* __restrict__ rates, const unsigned int* __restrict__ epoch,
                                               float momentum, int nesterov, float clipNorm, int intercept, float l2,
                                               float l1, int weighted, double* __restrict__ records) {
    const unsigned e = *epoch;
    sgd_step(params, sums, velocity, d, m, rates[e], momentum, nesterov, clipNorm, intercept, l2, l1, weighted,
             records + 4u * (size_t)e);
}

// --average (docs/algorithm.md §6), launched after each sgd_update: with e the epoch (*epochInMemory
// when given, as a graph replays it, else `epoch`), from epoch `start` on the k-th launch sets
// average to the running mean of params (k = *steps + 1, then *steps = k). *steps starts at 0, or
// at the steps of a mean carried from an earlier run (average then holds that mean). While no step
// is averaged it copies params, so that average holds the run's result at every epoch's end.
// Thread 0 alone reads and writes *steps; the others take k from shared memory after the barrier.
// Launch: one block, any blockDim.x.
extern "C" __global__ void parameter_average(const float* __restrict__ params, float* __restrict__ average, int d,
                                             int epoch, const unsigned int* __restrict__ epochInMemory, int start,
                                             unsigned long long* __restrict__ steps) {
    __shared__ unsigned long long k;
    if (blockIdx.x != 0) {
        return;
    }
    const int e = epochInMemory != nullptr ? (int)*epochInMemory : epoch;
    const bool averaging = e >= start;
    if (threadIdx.x == 0) {
        k = *steps + (averaging ? 1ull : 0ull);  // the steps averaged once this launch is done
        if (averaging) {
            *steps = k;
        }
    }
    __syncthreads();
    for (int j = threadIdx.x; j <= d; j += blockDim.x) {
        if (averaging) {
            average[j] = linreg_average_step(average[j], params[j], k);
        } else if (k == 0ull) {  // before the start; a carried mean stays the result until its next step
            average[j] = params[j];
        }
    }
}
