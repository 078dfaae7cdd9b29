// One mini-batch's loss and gradient sums in the canonical order of docs/algorithm.md §4: the
// device twin of linreg.cpu.MaeGradient, bit for bit. The loss is the objective (lossAbove,
// lossBelow) of objective.cuh: 1, 1 for the MAE.
//
// Launch: gridDim.x = ceil(m / 1024) (one block per segment), blockDim.x = 256 (one thread per
// lane), no dynamic shared memory; any other shape traps. Outputs sums[q], q = 0..d+1:
// S = Σ loss(r), G_b = Σs, G_j = Σ s·x_j with s = slope(r) (for the MAE |r| and sign(r)). With
// weights vb (null: none) the items are weighted (objective.cuh's linreg_weighted) and sums[d+2] is
// V = Σv (canonical.cuh's linreg_quantities). With one segment, segmentSums and counter are not touched
// (they may be null); otherwise *counter must be 0 before the first launch, and each launch
// leaves it 0 again.
#include "canonical.cuh"
#include "objective.cuh"
#include "segments.cuh"

#define MAE_THREADS LINREG_LANES                     // thread l is lane l
#define MAE_WARPS (MAE_THREADS / 32)
#define MAE_ITEMS (LINREG_SEGMENT / LINREG_LANES)    // items of one lane in a segment, at most
#define MAE_TILE 8                                   // features reduced per round
#define MAE_SLOTS (MAE_TILE + 3)                     // the first round also carries |r|, s and v

// The canonical tree over 256 lane partials p[0..255], result in lane 0 of the calling warp.
// Lane i first folds lanes i + 32k exactly as levels h = 128, 64, 32 would, then h = 16..1 are
// shuffles within the warp; every addition is p[l] + p[l+h], as in MaeGradient.combine.
__device__ __forceinline__ float mae_tree(const float* p) {
    const unsigned i = threadIdx.x % 32u;
    const float h128a = __fadd_rn(p[i], p[i + 128]);        // l = i
    const float h128b = __fadd_rn(p[i + 32], p[i + 160]);   // l = i + 32
    const float h128c = __fadd_rn(p[i + 64], p[i + 192]);   // l = i + 64
    const float h128d = __fadd_rn(p[i + 96], p[i + 224]);   // l = i + 96
    const float h64a = __fadd_rn(h128a, h128c);              // l = i
    const float h64b = __fadd_rn(h128b, h128d);              // l = i + 32
    float c = __fadd_rn(h64a, h64b);                         // h = 32, l = i
    for (unsigned h = 16; h > 0; h >>= 1) {
        c = __fadd_rn(c, __shfl_down_sync(0xffffffffu, c, h));
    }
    return c;
}

// After every block of a multi-segment launch has written its segment's totals to
// segmentSums[σ*quantities + q], the last block to arrive adds them in segment order into
// sums[q]: total = T_0 + T_1 + ... (docs/algorithm.md §4), one thread per q, and resets *counter
// for the next launch. Integer atomics only; the fences publish each block's totals before it
// counts in. The ordered sum itself is linreg_segment_sum (segments.cuh), through `stage` (the
// caller's shared memory, free by now, stageFloats long).
__device__ __forceinline__ void combine_segments(const float* segmentSums, float* sums, unsigned* counter,
                                                 unsigned quantities, float* stage, unsigned stageFloats) {
    __shared__ unsigned lastBlock;
    const unsigned l = threadIdx.x;
    __threadfence();
    __syncthreads();
    if (l == 0) {
        lastBlock = atomicAdd(counter, 1u) == gridDim.x - 1u;
    }
    __syncthreads();
    if (!lastBlock) {
        return;
    }
    __threadfence();
    linreg_segment_sum(segmentSums, gridDim.x, quantities, sums, stage, stageFloats);
    if (l == 0) {
        *counter = 0u;  // ready for the next launch
    }
}

// r = (x·w + b) - y with the canonical dot product: x_0·w_0, then an fma chain in feature order.
__device__ __forceinline__ float canonical_residual(const float* x, float y, const float* params, float b,
                                                    int d) {
    float acc = __fmul_rn(x[0], params[0]);
    for (int j = 1; j < d; j++) {
        acc = fmaf(x[j], params[j], acc);
    }
    return __fsub_rn(__fadd_rn(acc, b), y);
}

// The residual from cuBLAS's prediction p, with the canonical sign guaranteed: where |r| is within
// the margin of zero (docs/algorithm.md §4: more than twice what summing the dot product in
// another order can change), the canonical residual is computed instead. Twin of
// MaeGradient.checkedResidual; the gradient, a sum of signs, is then the CPU engine's bit for bit.
__device__ __forceinline__ float checked_residual(float p, const float* x, float y, const float* params,
                                                  float b, int d) {
    const float r = __fsub_rn(__fadd_rn(p, b), y);
    float scale = __fadd_rn(__fadd_rn(fabsf(p), fabsf(b)), fabsf(y));
    for (int j = 0; j < d; j++) {
        scale = __fadd_rn(scale, fabsf(__fmul_rn(x[j], params[j])));
    }
    const float margin = __fadd_rn(__fmul_rn(__fmul_rn((float)(4 * d + 16), 0x1p-24f), scale), 1e-30f);
    return fabsf(r) > margin ? r : canonical_residual(x, y, params, b, d);
}

extern "C" __global__ void __launch_bounds__(MAE_THREADS)
mae_gradient(const float* __restrict__ pred, const float* __restrict__ Xb,
             const float* __restrict__ yb, const float* __restrict__ vb, const float* __restrict__ params, int m, int d,
             float lossAbove, float lossBelow, float* segmentSums, float* sums, unsigned int* counter) {
    // Double-buffered lane partials: round k+2 may only overwrite what round k's reducers have
    // read, and the barrier of round k+1 guarantees that, so one barrier per round suffices.
    __shared__ float part[2][MAE_SLOTS][MAE_THREADS];

    // A wrong launch shape would give wrong sums silently; fail the launch instead.
    if (blockDim.x != MAE_THREADS || m < 1 || d < 1 ||
        gridDim.x != (unsigned)(((size_t)m + LINREG_SEGMENT - 1) / LINREG_SEGMENT)) {
        __trap();
    }

    const unsigned l = threadIdx.x;
    const unsigned warp = l / 32u;
    const unsigned lanes = linreg_lanes((uint32_t)m);
    const size_t first = (size_t)blockIdx.x * LINREG_SEGMENT;    // batch row of item t = 0
    const unsigned count = (size_t)m - first < LINREG_SEGMENT ? (unsigned)((size_t)m - first)
                                                               : LINREG_SEGMENT;
    const size_t width = (size_t)d;
    const unsigned quantities = linreg_quantities((uint32_t)d, vb != nullptr);
    const float b = params[d];
    const linreg_objective_t objective = {lossAbove, lossBelow};

    // Residuals of this lane's items t = l, l+L, l+2L, ... (in that order; lanes >= L have none
    // and keep +0 partials). Their (weighted) slopes stay in registers for the feature rounds.
    float sgn[MAE_ITEMS];
    float pAbs = 0.0f;
    float pSgn = 0.0f;
    float pWeight = 0.0f;
#pragma unroll
    for (unsigned k = 0; k < MAE_ITEMS; k++) {
        const unsigned t = l + k * lanes;
        sgn[k] = 0.0f;
        if (l < lanes && t < count) {
            const size_t i = first + t;
            const float* x = Xb + i * width;
            const float y = yb[i];
            float r;
            if (pred != nullptr) {
                r = checked_residual(pred[i], x, y, params, b, d);
            } else {
                r = canonical_residual(x, y, params, b, d);
            }
            const bool weighted = vb != nullptr;
            const float v = weighted ? vb[i] : 0.0f;
            const float s = linreg_weighted(weighted, v, linreg_slope(objective, r));
            sgn[k] = s;
            pAbs = __fadd_rn(pAbs, linreg_weighted(weighted, v, linreg_loss(objective, r)));
            pSgn = __fadd_rn(pSgn, s);
            if (weighted) {
                pWeight = __fadd_rn(pWeight, v);
            }
        }
    }

    // Where this block's totals go: straight to sums when it is the only segment.
    float* out = gridDim.x == 1 ? sums : segmentSums + (size_t)blockIdx.x * quantities;

    // Rounds of MAE_TILE features: lane partials in registers, then one warp per slot runs the
    // tree. Padding lanes >= L with +0 leaves the L-lane tree's result unchanged: a partial that
    // starts at +0 is never -0, and x + (+0) = x for every other x.
    unsigned buf = 0;
    for (int f0 = 0; f0 < d; f0 += MAE_TILE, buf ^= 1u) {
        const int nf = d - f0 < MAE_TILE ? d - f0 : MAE_TILE;
        float px[MAE_TILE];
#pragma unroll
        for (int jj = 0; jj < MAE_TILE; jj++) {
            px[jj] = 0.0f;
        }
#pragma unroll
        for (unsigned k = 0; k < MAE_ITEMS; k++) {
            const unsigned t = l + k * lanes;
            if (l < lanes && t < count) {
                const float* x = Xb + (first + t) * width + f0;
#pragma unroll
                for (int jj = 0; jj < MAE_TILE; jj++) {
                    if (jj < nf) {
                        px[jj] = __fadd_rn(px[jj], __fmul_rn(sgn[k], x[jj]));
                    }
                }
            }
        }
#pragma unroll
        for (int jj = 0; jj < MAE_TILE; jj++) {
            part[buf][jj][l] = px[jj];
        }
        if (f0 == 0) {
            part[buf][MAE_TILE][l] = pAbs;
            part[buf][MAE_TILE + 1][l] = pSgn;
            part[buf][MAE_TILE + 2][l] = pWeight;
        }
        __syncthreads();
        // Slot -> quantity; the choice depends on the warp only, so shuffles stay warp-uniform.
        for (int slot = (int)warp; slot < MAE_SLOTS; slot += MAE_WARPS) {
            int q;
            if (slot < nf) {
                q = 2 + f0 + slot;
            } else if (f0 == 0 && slot >= MAE_TILE && slot < MAE_TILE + 2) {
                q = slot - MAE_TILE;  // 0: S, 1: G_b
            } else if (f0 == 0 && slot == MAE_TILE + 2 && vb != nullptr) {
                q = d + 2;  // V
            } else {
                continue;
            }
            const float total = mae_tree(part[buf][slot]);
            if (l % 32u == 0) {
                out[q] = total;
            }
        }
    }

    if (gridDim.x == 1) {
        return;
    }

    // Several segments: the last block to finish adds the segment totals in segment order.
    combine_segments(segmentSums, sums, counter, quantities, &part[0][0][0],
                     (unsigned)(sizeof(part) / sizeof(float)));
}

// The held-out sums after an epoch (docs/algorithm.md §6), the device twin of
// linreg.train.ValidationMetrics.sums: over the m validation rows X (m×d) and y at params,
// out[0] = A = Σ|r| and out[1] = B = Σ fl(r·r), r the canonical residual, both in the canonical
// order; with weights v (null: none) the items fl(v·|r|) and fl(v·fl(r·r)) (their V, the same every
// epoch, the host sums once). Launch shape and segmentSums/counter rules as mae_gradient (quantities = 2).
extern "C" __global__ void __launch_bounds__(MAE_THREADS)
validation_sums(const float* __restrict__ X, const float* __restrict__ y, const float* __restrict__ v,
                const float* __restrict__ params, int m, int d, float* segmentSums, float* out, unsigned int* counter) {
    __shared__ float part[2][MAE_THREADS];
    if (blockDim.x != MAE_THREADS || m < 1 || d < 1 ||
        gridDim.x != (unsigned)((m + LINREG_SEGMENT - 1) / LINREG_SEGMENT)) {
        __trap();
    }
    const unsigned l = threadIdx.x;
    const unsigned lanes = linreg_lanes((uint32_t)m);
    const size_t first = (size_t)blockIdx.x * LINREG_SEGMENT;
    const unsigned count = (size_t)m - first < LINREG_SEGMENT ? (unsigned)((size_t)m - first)
                                                               : LINREG_SEGMENT;
    const float b = params[d];
    float pAbs = 0.0f;
    float pSq = 0.0f;
#pragma unroll
    for (unsigned k = 0; k < MAE_ITEMS; k++) {
        const unsigned t = l + k * lanes;
        if (l < lanes && t < count) {
            const size_t i = first + t;
            const float r = canonical_residual(X + i * (size_t)d, y[i], params, b, d);
            const float vi = v != nullptr ? v[i] : 0.0f;
            pAbs = __fadd_rn(pAbs, linreg_weighted(v != nullptr, vi, fabsf(r)));
            pSq = __fadd_rn(pSq, linreg_weighted(v != nullptr, vi, __fmul_rn(r, r)));
        }
    }
    part[0][l] = pAbs;
    part[1][l] = pSq;
    __syncthreads();
    float* target = gridDim.x == 1 ? out : segmentSums + (size_t)blockIdx.x * 2u;
    const unsigned warp = l / 32u;
    if (warp < 2) {
        const float total = mae_tree(part[warp]);
        if (l % 32u == 0) {
            target[warp] = total;
        }
    }
    if (gridDim.x == 1) {
        return;
    }
    combine_segments(segmentSums, out, counter, 2u, &part[0][0], (unsigned)(sizeof(part) / sizeof(float)));
}
