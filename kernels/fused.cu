// Strategy "fused": a whole epoch in one launch, no cuBLAS, bit-identical to linreg.cpu.CpuTrainer
// (docs/algorithm.md §2-§4, §6): canonical residuals (the fma chain), the loss (objective.cuh), the
// canonical sums, the step with its per-epoch rate, momentum (Nesterov), clipping, the intercept
// and the L2/L1 penalties (sgd.cuh),
// averaging (average.cuh), sample weights (objective.cuh's linreg_weighted: the weighted items and V,
// the step dividing by V, no step for V = 0), and the epoch's record as the pipeline writes it
// (record[0] += S/m, record[1] += S in float64, batch order; weighted S/V, S and record[3] += V).
//
// Rows reach the kernels by perm(p) computed in place (canonical.cuh): no shuffled copy of the
// data, so an epoch reads each row once, and a block can load the next rows long before it needs
// them because they do not depend on the parameters.
//
// Three shapes (kernels/README.md has the launch rules):
//   fused_epoch_warp4/16  one warp, batches of at most 32 rows, d <= 4 / d <= 16: w and b live in
//                         registers, the sums are xor butterflies, no barrier at all.
//   fused_epoch_block     one block of 256 threads, any batch, any d.
//   fused_epoch_grid      a cooperative grid of 256-thread blocks, large batches: one grid barrier
//                         per step, after which every block combines the segment totals itself and
//                         applies the identical update to its own copy of the parameters.
#include "average.cuh"
#include "canonical.cuh"
#include "objective.cuh"
#include "segments.cuh"
#include "sgd.cuh"

#define FUSED_THREADS LINREG_LANES                  // block/grid kernels: thread l is lane l
#define FUSED_WARPS (FUSED_THREADS / 32)
#define FUSED_ITEMS (LINREG_SEGMENT / LINREG_LANES)  // items of one lane in a segment (4)
#define FUSED_TILE 8         // features per reduction round; also how many are loaded ahead
#define FUSED_SLOTS (FUSED_TILE + 3)                 // round 0 also carries the loss, the slope and v
#define FUSED_SHARED_FLOATS 1028  // w,b / velocity / totals in shared memory while d + 2 (d + 3) fits
#define FUSED_RING 4         // warp kernels: batches loaded ahead of the one being reduced
#define FUSED_FULL 0xffffffffu

// ---- pieces every shape shares ----

// The row at epoch position p: perm(p) (§2), or p itself without shuffling.
__device__ __forceinline__ uint32_t fused_sample(const linreg_perm_t* perm, int shuffle, uint32_t p) {
    return shuffle ? linreg_perm(perm, p) : p;
}

// ---- one warp: batches of at most 32 rows ----

// One batch row as a lane holds it, loaded FUSED_RING batches ahead.
template <int MAXD>
struct FusedWarpRow {
    float x[MAXD];
    float y;
    float v;     // the row's weight (0 when unweighted: not read)
    bool valid;  // false past the end of a short last batch (the lane then adds +0)
};

template <int MAXD>
__device__ __forceinline__ FusedWarpRow<MAXD> fused_warp_fetch(const float* __restrict__ X,
                                                               const float* __restrict__ y,
                                                               const float* __restrict__ v, uint32_t n,
                                                               int d, uint32_t batch, uint32_t steps,
                                                               uint32_t t, const linreg_perm_t* perm,
                                                               int shuffle, bool vec4, uint32_t step) {
    FusedWarpRow<MAXD> row;
#pragma unroll
    for (int j = 0; j < MAXD; j++) {
        row.x[j] = 0.0f;
    }
    row.y = 0.0f;
    row.v = 0.0f;
    row.valid = false;
    if (step < steps) {
        const uint32_t first = step * batch;  // < n: fits 32 bits
        const uint32_t m = n - first < batch ? n - first : batch;
        if (t < m) {
            const size_t i = fused_sample(perm, shuffle, first + t);
            const float* x = X + i * (size_t)d;
            if (vec4) {
                const float4 packed = *(const float4*)x;
                row.x[0] = packed.x;
                row.x[1] = packed.y;
                row.x[2] = packed.z;
                row.x[3] = packed.w;
            } else {
#pragma unroll
                for (int j = 0; j < MAXD; j++) {
                    if (j < d) {
                        row.x[j] = x[j];
                    }
                }
            }
            row.y = y[i];
            if (v != nullptr) {
                row.v = v[i];
            }
            row.valid = true;
        }
    }
    return row;
}

// A butterfly step of the canonical tree: lane l adds lane l^h. For l < l^h that is
// p[l] + p[l+h], the canonical operation; the partner computes p[l+h] + p[l], the same bits
// because IEEE addition is commutative. So after the levels L/2 .. 1 every lane of a group of L
// holds the canonical total.
__device__ __forceinline__ float fused_butterfly(float v, unsigned h) {
    return __fadd_rn(v, __shfl_xor_sync(FUSED_FULL, v, (int)h));
}

// The epoch of a one-warp launch. Lane l holds row t = l mod L of each batch (L = lanes(batch));
// the 32/L groups of lanes hold the same rows and so compute the same tree, which leaves the
// totals in every lane. Every lane then applies the same update to its own copy of w and b, so
// the next step needs no barrier and no broadcast. A short last batch has m < batch rows, and
// lanes(m) divides L: its lanes past m hold +0, which leaves the tree's result unchanged.
template <int MAXD>
__device__ __forceinline__ void fused_warp_epoch(const float* __restrict__ X, const float* __restrict__ y,
                                                 const float* __restrict__ v, int nIn, int d, int batchIn, int shuffle,
                                                 unsigned long long permSeed, int epoch, float lr,
                                                 float momentum, int nesterov, float clipNorm, int intercept,
                                                 float l2, float l1, linreg_objective_t objective,
                                                 float* __restrict__ average, int averaging,
                                                 unsigned long long averaged,
                                                 float* __restrict__ params, float* __restrict__ velocity,
                                                 double* __restrict__ record) {
    if (blockDim.x != 32 || gridDim.x != 1 || nIn < 1 || d < 1 || d > MAXD || batchIn < 1 || batchIn > 32) {
        __trap();
    }
    const uint32_t n = (uint32_t)nIn;
    const uint32_t batch = (uint32_t)batchIn;
    const unsigned lane = threadIdx.x;
    const unsigned L = linreg_lanes(batch);
    const uint32_t t = lane & (L - 1u);
    const linreg_perm_t perm = linreg_perm_make(n, (uint64_t)permSeed, (uint32_t)epoch);
    const bool vec4 = MAXD == 4 && d == 4 && (((uintptr_t)X) & 15u) == 0;
    const bool moving = momentum != 0.0f;
    const bool weighted = v != nullptr;
    const uint32_t steps = (n - 1u) / batch + 1u;

    float w[MAXD];
    float vw[MAXD];
#pragma unroll
    for (int j = 0; j < MAXD; j++) {
        w[j] = j < d ? params[j] : 0.0f;
        vw[j] = moving && j < d ? velocity[j] : 0.0f;
    }
    float b = params[d];
    float vb = moving ? velocity[d] : 0.0f;
    // The running mean (--average), in registers like w and b; `averaged` steps came before.
    float aw[MAXD];
#pragma unroll
    for (int j = 0; j < MAXD; j++) {
        aw[j] = averaging && averaged > 0 && j < d ? average[j] : 0.0f;
    }
    float ab = averaging && averaged > 0 ? average[d] : 0.0f;
    double loss = 0.0;
    double absSum = 0.0;
    double weightSum = 0.0;

    FusedWarpRow<MAXD> ring[FUSED_RING];
#pragma unroll
    for (int k = 0; k < FUSED_RING; k++) {
        ring[k] = fused_warp_fetch<MAXD>(X, y, v, n, d, batch, steps, t, &perm, shuffle, vec4, (uint32_t)k);
    }

    for (uint32_t j0 = 0; j0 < steps; j0 += FUSED_RING) {
        // Unrolled so that each ring slot is a fixed set of registers, whose loads were issued
        // FUSED_RING steps ago.
#pragma unroll
        for (int k = 0; k < FUSED_RING; k++) {
            const uint32_t step = j0 + (uint32_t)k;
            if (step >= steps) {
                break;
            }
            const FusedWarpRow<MAXD> row = ring[k];
            const uint32_t first = step * batch;
            const uint32_t m = n - first < batch ? n - first : batch;

            // Residual (§4): x_0·w_0, then the fma chain, then + b, then - y.
            float acc = __fmul_rn(row.x[0], w[0]);
#pragma unroll
            for (int j = 1; j < MAXD; j++) {
                if (j < d) {
                    acc = fmaf(row.x[j], w[j], acc);
                }
            }
            const float r = __fsub_rn(__fadd_rn(acc, b), row.y);
            const float s = linreg_weighted(weighted, row.v, linreg_slope(objective, r));

            // Lane partials: +0 plus the lane's one item (which turns a -0 product into +0), or +0.
            const float l = linreg_weighted(weighted, row.v, linreg_loss(objective, r));
            float pAbs = row.valid ? __fadd_rn(0.0f, l) : 0.0f;
            float pSgn = row.valid ? __fadd_rn(0.0f, s) : 0.0f;
            float pWeight = row.valid && weighted ? __fadd_rn(0.0f, row.v) : 0.0f;
            float px[MAXD];
#pragma unroll
            for (int j = 0; j < MAXD; j++) {
                px[j] = row.valid ? __fadd_rn(0.0f, __fmul_rn(s, row.x[j])) : 0.0f;
            }
            // The row is used up: its slot now loads the batch FUSED_RING steps on. Issued only
            // here, the loads can reuse the row's registers, so the loop needs no register copies
            // (a copy of a loaded register would wait for its load).
            ring[k] = fused_warp_fetch<MAXD>(X, y, v, n, d, batch, steps, t, &perm, shuffle, vec4,
                                             step + FUSED_RING);
            for (unsigned h = L >> 1; h > 0; h >>= 1) {
                pAbs = fused_butterfly(pAbs, h);
                pSgn = fused_butterfly(pSgn, h);
                if (weighted) {  // the same in every lane: the shuffles stay convergent
                    pWeight = fused_butterfly(pWeight, h);
                }
#pragma unroll
                for (int j = 0; j < MAXD; j++) {
                    if (j < d) {  // d is the same in every lane: the shuffles stay convergent
                        px[j] = fused_butterfly(px[j], h);
                    }
                }
            }

            // The step (§4, §6), the same in every lane; a weighted batch of V = 0 makes none.
            const float count = weighted ? pWeight : (float)m;
            if (!weighted || linreg_weight_steps(count)) {
                float g[MAXD];
#pragma unroll
                for (int j = 0; j < MAXD; j++) {
                    g[j] = j < d ? linreg_penalised(__fdiv_rn(px[j], count), w[j], l2) : 0.0f;
                }
                float gb = intercept ? __fdiv_rn(pSgn, count) : 0.0f;  // 0: b out of the norm, exactly
                if (clipNorm > 0.0f) {
                    float sq = 0.0f;
#pragma unroll
                    for (int j = 0; j < MAXD; j++) {
                        if (j < d) {
                            sq = fmaf(g[j], g[j], sq);
                        }
                    }
                    sq = fmaf(gb, gb, sq);
                    const float f = linreg_clip_factor(sq, clipNorm);
#pragma unroll
                    for (int j = 0; j < MAXD; j++) {
                        g[j] = __fmul_rn(g[j], f);
                    }
                    gb = __fmul_rn(gb, f);
                }
                const float threshold = __fmul_rn(lr, l1);  // lr·α₁, rounded once
#pragma unroll
                for (int j = 0; j < MAXD; j++) {
                    if (j < d) {
                        w[j] = linreg_sgd_step(w[j], g[j], vw[j], lr, momentum, nesterov);
                        if (l1 != 0.0f) {
                            w[j] = linreg_soft_threshold(w[j], threshold);
                        }
                    }
                }
                if (intercept) {
                    b = linreg_sgd_step(b, gb, vb, lr, momentum, nesterov);
                }
                loss += (double)__fdiv_rn(pAbs, count);
                absSum += (double)pAbs;
                weightSum += (double)count;
            }
            if (averaging) {
                const unsigned long long k = averaged + step + 1ull;
#pragma unroll
                for (int j = 0; j < MAXD; j++) {
                    aw[j] = linreg_average_step(aw[j], w[j], k);
                }
                ab = linreg_average_step(ab, b, k);
            }
        }
    }

    if (lane == 0) {
#pragma unroll
        for (int j = 0; j < MAXD; j++) {
            if (j < d) {
                params[j] = w[j];
                if (moving) {
                    velocity[j] = vw[j];
                }
            }
        }
        params[d] = b;
        if (moving) {
            velocity[d] = vb;
        }
        if (averaging) {
#pragma unroll
            for (int j = 0; j < MAXD; j++) {
                if (j < d) {
                    average[j] = aw[j];
                }
            }
            average[d] = ab;
        }
        record[0] = loss;
        record[1] = absSum;
        if (weighted) {
            record[3] = weightSum;
        }
    }
}

// Launch: 1 × 32 threads; batch <= 32; 1 <= d <= 4. Any other shape traps.
extern "C" __global__ void __launch_bounds__(32, 1)
fused_epoch_warp4(const float* __restrict__ X, const float* __restrict__ y, const float* __restrict__ v, int n, int d,
                  int batch, int shuffle,
                  unsigned long long permSeed, int epoch, float lr, float momentum, int nesterov, float clipNorm,
                  int intercept, float l2, float l1, float lossAbove, float lossBelow, float* __restrict__ average,
                  int averaging, unsigned long long averaged,
                  float* __restrict__ params, float* __restrict__ velocity, double* __restrict__ record) {
    fused_warp_epoch<4>(X, y, v, n, d, batch, shuffle, permSeed, epoch, lr, momentum, nesterov, clipNorm,
                        intercept, l2, l1, {lossAbove, lossBelow}, average, averaging, averaged, params, velocity,
                        record);
}

// Launch: 1 × 32 threads; batch <= 32; 1 <= d <= 16. Any other shape traps.
extern "C" __global__ void __launch_bounds__(32, 1)
fused_epoch_warp16(const float* __restrict__ X, const float* __restrict__ y, const float* __restrict__ v, int n, int d,
                   int batch, int shuffle,
                   unsigned long long permSeed, int epoch, float lr, float momentum, int nesterov, float clipNorm,
                   int intercept, float l2, float l1, float lossAbove, float lossBelow, float* __restrict__ average,
                   int averaging, unsigned long long averaged,
                   float* __restrict__ params, float* __restrict__ velocity, double* __restrict__ record) {
    fused_warp_epoch<16>(X, y, v, n, d, batch, shuffle, permSeed, epoch, lr, momentum, nesterov, clipNorm,
                         intercept, l2, l1, {lossAbove, lossBelow}, average, averaging, averaged, params, velocity,
                         record);
}

// ---- blocks of 256 lanes: any batch, any d ----

// What one block needs to run an epoch, gathered once.
struct FusedEpoch {
    const float* X;
    const float* y;
    const float* v;  // the sample weights, or null
    bool weighted;
    unsigned quantities;  // S, G_b, G_j (and V when weighted): canonical.cuh's linreg_quantities
    uint32_t n;
    int d;
    uint32_t batch;
    int shuffle;
    uint32_t segmentsPerBatch;  // segments of a full batch
    uint32_t steps;
    uint32_t segments;          // segments of the whole epoch (a short last batch has fewer)
    float lr;
    float momentum;
    int nesterov;
    float clipNorm;
    int intercept;  // 0: b is never stepped
    float l2;       // the penalties on w, 0 for none
    float l1;
    linreg_objective_t objective;
    float* average;               // --average: the running mean, or null
    int averaging;                // whether this epoch's steps are averaged
    unsigned long long averaged;  // steps averaged before this epoch
};

// Where a block keeps w and b, the velocities and the step's totals S, G_b, G_j (V): shared memory
// while the quantities fit FUSED_SHARED_FLOATS, else its own slice of the caller's scratch memory.
struct FusedState {
    float* params;
    float* velocity;
    float* total;
};

// One thread's items of one segment, t = l, l+256, l+512, l+768: features 0..7 and y loaded
// ahead into registers, the row index for features 8 and up (read when needed).
struct FusedRows {
    float x[FUSED_ITEMS][FUSED_TILE];
    float y[FUSED_ITEMS];
    float v[FUSED_ITEMS];  // the weights (0 when unweighted: not read)
    uint32_t row[FUSED_ITEMS];
    uint32_t count;  // items of the segment (0: no segment)
};

// Loads this thread's items of the epoch's segment `k` (batch k / S, segment k % S of it).
__device__ __forceinline__ FusedRows fused_fetch(const FusedEpoch& ep, const linreg_perm_t* perm, uint32_t k,
                                                 bool vec4) {
    FusedRows rows;
    rows.count = 0;
#pragma unroll
    for (int it = 0; it < FUSED_ITEMS; it++) {
        rows.y[it] = 0.0f;
        rows.v[it] = 0.0f;
        rows.row[it] = 0;
#pragma unroll
        for (int j = 0; j < FUSED_TILE; j++) {
            rows.x[it][j] = 0.0f;
        }
    }
    if (k >= ep.segments) {
        return rows;
    }
    const uint32_t step = k / ep.segmentsPerBatch;
    const uint32_t first = step * ep.batch;  // < n
    const uint32_t m = ep.n - first < ep.batch ? ep.n - first : ep.batch;
    const uint32_t start = (k % ep.segmentsPerBatch) * LINREG_SEGMENT;
    rows.count = m - start < LINREG_SEGMENT ? m - start : LINREG_SEGMENT;
    const int near = ep.d < FUSED_TILE ? ep.d : FUSED_TILE;
#pragma unroll
    for (int it = 0; it < FUSED_ITEMS; it++) {
        const uint32_t t = threadIdx.x + (uint32_t)it * LINREG_LANES;
        if (t < rows.count) {
            const uint32_t i = fused_sample(perm, ep.shuffle, first + start + t);
            const float* x = ep.X + (size_t)i * (size_t)ep.d;
            rows.row[it] = i;
            rows.y[it] = ep.y[i];
            if (ep.weighted) {
                rows.v[it] = ep.v[i];
            }
            if (vec4) {
#pragma unroll
                for (int j = 0; j < FUSED_TILE; j += 4) {
                    if (j < near) {
                        const float4 packed = *(const float4*)(x + j);
                        rows.x[it][j] = packed.x;
                        rows.x[it][j + 1] = packed.y;
                        rows.x[it][j + 2] = packed.z;
                        rows.x[it][j + 3] = packed.w;
                    }
                }
            } else {
#pragma unroll
                for (int j = 0; j < FUSED_TILE; j++) {
                    if (j < near) {
                        rows.x[it][j] = x[j];
                    }
                }
            }
        }
    }
    return rows;
}

// The canonical tree over 256 lane partials p[0..255], the total in every lane of the calling
// warp: lane i folds lanes i + 32k as levels h = 128, 64, 32 would (p[l] + p[l+h] each), then
// xor butterflies do h = 16 .. 1.
__device__ __forceinline__ float fused_tree256(const float* p) {
    const unsigned i = threadIdx.x % 32u;
    const float a = __fadd_rn(p[i], p[i + 128]);        // h = 128: l = i
    const float b = __fadd_rn(p[i + 32], p[i + 160]);   //          l = i + 32
    const float c = __fadd_rn(p[i + 64], p[i + 192]);   //          l = i + 64
    const float e = __fadd_rn(p[i + 96], p[i + 224]);   //          l = i + 96
    float v = __fadd_rn(__fadd_rn(a, c), __fadd_rn(b, e));  // h = 64 (l = i, i + 32), then h = 32
    for (unsigned h = 16; h > 0; h >>= 1) {
        v = fused_butterfly(v, h);
    }
    return v;
}

// Stores one round's lane partials, waits for the block, and lets warp w reduce slots w, w + 8:
// slot s < nf is G_{f0+s}; in round 0 slots 8, 9 and 10 are S, G_b and (weighted) V. The total of
// quantity q (0: S, 1: G_b, 2 + j: G_j, d + 2: V) goes to out[q], or is added to it (later
// segments of a batch).
// part alternates between two buffers: a round only overwrites the buffer read two rounds ago,
// and the barrier of the round between guarantees those reads are done.
__device__ __forceinline__ void fused_round(float (*part)[FUSED_SLOTS][FUSED_THREADS], unsigned& buf,
                                            const float* px, int f0, int nf, float pAbs, float pSgn,
                                            float pWeight, int weightSlot, float* out, bool accumulate) {
    const unsigned l = threadIdx.x;
#pragma unroll
    for (int j = 0; j < FUSED_TILE; j++) {
        part[buf][j][l] = px[j];
    }
    if (f0 == 0) {
        part[buf][FUSED_TILE][l] = pAbs;
        part[buf][FUSED_TILE + 1][l] = pSgn;
        part[buf][FUSED_TILE + 2][l] = pWeight;
    }
    __syncthreads();
    for (int slot = (int)(l / 32u); slot < FUSED_SLOTS; slot += FUSED_WARPS) {  // warp-uniform
        int q;
        if (slot < nf) {
            q = 2 + f0 + slot;
        } else if (f0 == 0 && slot >= FUSED_TILE && slot < FUSED_TILE + 2) {
            q = slot - FUSED_TILE;
        } else if (f0 == 0 && slot == FUSED_TILE + 2 && weightSlot >= 0) {
            q = weightSlot;  // V
        } else {
            continue;
        }
        const float total = fused_tree256(part[buf][slot]);
        if (l % 32u == 0) {
            out[q] = accumulate ? __fadd_rn(out[q], total) : total;
        }
    }
    buf ^= 1u;
}

// One segment's canonical sums (§4) with the parameters in `params`: thread l is lane l; its
// items t = l + 256k are added in order of k from +0; lanes without items keep +0 (for a batch
// of m < 256 rows that is the lanes(m)-lane tree, padded with +0 to 256 lanes: the same bits).
__device__ __forceinline__ void fused_segment(const FusedEpoch& ep, const FusedRows& rows, const float* params,
                                              float (*part)[FUSED_SLOTS][FUSED_THREADS], unsigned& buf,
                                              float* out, bool accumulate) {
    const int d = ep.d;
    const int near = d < FUSED_TILE ? d : FUSED_TILE;
    const float b = params[d];
    float sgn[FUSED_ITEMS];
    float pAbs = 0.0f;
    float pSgn = 0.0f;
    float pWeight = 0.0f;
#pragma unroll
    for (int it = 0; it < FUSED_ITEMS; it++) {
        sgn[it] = 0.0f;
        if (threadIdx.x + (uint32_t)it * LINREG_LANES < rows.count) {
            float acc = __fmul_rn(rows.x[it][0], params[0]);
#pragma unroll
            for (int j = 1; j < FUSED_TILE; j++) {
                if (j < near) {
                    acc = fmaf(rows.x[it][j], params[j], acc);
                }
            }
            const float* x = ep.X + (size_t)rows.row[it] * (size_t)d;
            for (int j = FUSED_TILE; j < d; j++) {
                acc = fmaf(x[j], params[j], acc);
            }
            const float r = __fsub_rn(__fadd_rn(acc, b), rows.y[it]);
            const float s = linreg_weighted(ep.weighted, rows.v[it], linreg_slope(ep.objective, r));
            sgn[it] = s;
            pAbs = __fadd_rn(pAbs, linreg_weighted(ep.weighted, rows.v[it], linreg_loss(ep.objective, r)));
            pSgn = __fadd_rn(pSgn, s);
            if (ep.weighted) {
                pWeight = __fadd_rn(pWeight, rows.v[it]);
            }
        }
    }

    // Round 0: features 0..7 from registers, with S and G_b.
    float px[FUSED_TILE];
#pragma unroll
    for (int j = 0; j < FUSED_TILE; j++) {
        px[j] = 0.0f;
    }
#pragma unroll
    for (int it = 0; it < FUSED_ITEMS; it++) {
        if (threadIdx.x + (uint32_t)it * LINREG_LANES < rows.count) {
#pragma unroll
            for (int j = 0; j < FUSED_TILE; j++) {
                if (j < near) {
                    px[j] = __fadd_rn(px[j], __fmul_rn(sgn[it], rows.x[it][j]));
                }
            }
        }
    }
    fused_round(part, buf, px, 0, near, pAbs, pSgn, pWeight, ep.weighted ? d + 2 : -1, out, accumulate);

    // Later rounds: features f0 .. f0+7 from memory (cached: the residual just read them).
    for (int f0 = FUSED_TILE; f0 < d; f0 += FUSED_TILE) {
        const int nf = d - f0 < FUSED_TILE ? d - f0 : FUSED_TILE;
#pragma unroll
        for (int j = 0; j < FUSED_TILE; j++) {
            px[j] = 0.0f;
        }
#pragma unroll
        for (int it = 0; it < FUSED_ITEMS; it++) {
            if (threadIdx.x + (uint32_t)it * LINREG_LANES < rows.count) {
                const float* x = ep.X + (size_t)rows.row[it] * (size_t)d + f0;
#pragma unroll
                for (int j = 0; j < FUSED_TILE; j++) {
                    if (j < nf) {
                        px[j] = __fadd_rn(px[j], __fmul_rn(sgn[it], x[j]));
                    }
                }
            }
        }
        fused_round(part, buf, px, f0, nf, 0.0f, 0.0f, 0.0f, -1, out, accumulate);
    }
}

// Parameter j's gradient before clipping (as sgd_update.cu's): G_j/m with w's L2 penalty; the bias
// G_b/m, or 0 without an intercept. Reads st.params[j] before its step.
__device__ __forceinline__ float fused_gradient(const FusedEpoch& ep, const FusedState& st, int j, float count) {
    if (j == ep.d) {
        return ep.intercept ? __fdiv_rn(st.total[1], count) : 0.0f;
    }
    return linreg_penalised(__fdiv_rn(st.total[2 + j], count), st.params[j], ep.l2);
}

// The step of one batch of m rows from the block's totals (§4, §6), in place on the block's
// parameters; thread 0 adds the batch to the epoch's float64 sums. A weighted batch divides by V
// and, with V = 0, makes no step (it is still averaged). Ends with a barrier: the next step reads
// the new parameters and overwrites the totals.
__device__ __forceinline__ void fused_update(const FusedEpoch& ep, FusedState st, uint32_t m, uint32_t step,
                                             double& loss, double& absSum, double& weightSum) {
    __shared__ float factor;  // the clipping factor, or 1
    const int d = ep.d;
    // V, or m rounded to nearest as Java's int -> float.
    const float count = ep.weighted ? st.total[d + 2] : (float)m;
    const bool steps = !ep.weighted || linreg_weight_steps(count);
    if (steps && ep.clipNorm > 0.0f) {
        if (threadIdx.x == 0) {
            // The norm's fma chain runs in parameter order (w, then b) in one thread (§6).
            float sq = 0.0f;
            for (int j = 0; j <= d; j++) {
                const float g = fused_gradient(ep, st, j, count);
                sq = fmaf(g, g, sq);
            }
            factor = linreg_clip_factor(sq, ep.clipNorm);
        }
        __syncthreads();
    }
    const float threshold = __fmul_rn(ep.lr, ep.l1);  // lr·α₁, rounded once
    for (int j = (int)threadIdx.x; j <= d; j += (int)blockDim.x) {
        if (steps && (j < d || ep.intercept)) {  // without an intercept b stays as it is (0)
            float g = fused_gradient(ep, st, j, count);
            if (ep.clipNorm > 0.0f) {
                g = __fmul_rn(g, factor);  // × 1 is exact: an unclipped step is unchanged
            }
            float v = st.velocity[j];
            float p = linreg_sgd_step(st.params[j], g, v, ep.lr, ep.momentum, ep.nesterov);
            if (j < d && ep.l1 != 0.0f) {
                p = linreg_soft_threshold(p, threshold);
            }
            st.params[j] = p;
            st.velocity[j] = v;
        }
        if (ep.averaging && blockIdx.x == 0) {  // block 0's threads own the mean, in global memory
            ep.average[j] = linreg_average_step(ep.average[j], st.params[j], ep.averaged + step + 1ull);
        }
    }
    if (steps && threadIdx.x == 0) {
        loss += (double)__fdiv_rn(st.total[0], count);
        absSum += (double)st.total[0];
        weightSum += (double)count;
    }
    __syncthreads();
}

#ifdef __CUDACC__
// The barrier's poll: ld.acquire.gpu, a strong load. A weak one (plain, __ldcv's ld.global.cv,
// even in asm volatile) may legally be read once, and ptxas then deletes the whole wait loop.
// The host emulator (cuda_emu.h) defines its own.
__device__ __forceinline__ unsigned ld_acquire_gpu(const unsigned* p) {
    unsigned v;
    asm volatile("{\n\t.reg .u64 g;\n\tcvta.to.global.u64 g, %1;\n\tld.acquire.gpu.global.u32 %0, [g];\n\t}"
                 : "=r"(v) : "l"(p) : "memory");
    return v;
}
#endif

// Every block waits here until all gridDim.x blocks have arrived `target - base` times in all
// (a counter that only grows, compared modulo 2^32, so it never needs a reset). The fence before
// counting in publishes the block's segment totals; the one after makes the others' visible.
// Valid only when every block is resident at once: cuLaunchCooperativeKernel guarantees it.
__device__ __forceinline__ void fused_grid_barrier(unsigned* counter, unsigned target) {
    __syncthreads();
    if (threadIdx.x == 0) {
        __threadfence();
        atomicAdd(counter, 1u);
        while ((int)(ld_acquire_gpu(counter) - target) < 0) {
        }
        __threadfence();
    }
    __syncthreads();
}


// The epoch of a block (GRID = false: the only one) or of one block of a cooperative grid.
// Segments of the epoch are numbered k = step·S + σ; block g takes k = g, g + G, g + 2G, ...
// (G = gridDim.x), so with fewer segments per batch than blocks the blocks take turns across
// steps, and each block loads its next segment's rows before it reduces the current one (and
// so before it waits at the barrier).
template <bool GRID>
__device__ __forceinline__ void fused_blocks_epoch(const FusedEpoch& ep, unsigned long long permSeed, int epoch,
                                                   float* __restrict__ params, float* __restrict__ velocity,
                                                   double* __restrict__ record, float* scratch,
                                                   float* segmentTotals, unsigned* barrier,
                                                   unsigned barrierBase) {
    __shared__ float part[2][FUSED_SLOTS][FUSED_THREADS];
    __shared__ float sharedParams[FUSED_SHARED_FLOATS];
    __shared__ float sharedVelocity[FUSED_SHARED_FLOATS];
    __shared__ float sharedTotal[FUSED_SHARED_FLOATS];
    __shared__ linreg_perm_t perm;

    const int d = ep.d;
    const unsigned quantities = ep.quantities;
    FusedState st;
    if (quantities <= FUSED_SHARED_FLOATS) {
        st = {sharedParams, sharedVelocity, sharedTotal};
    } else {
        const size_t stride = ((size_t)quantities + 31u) & ~(size_t)31u;
        float* mine = scratch + (size_t)blockIdx.x * 3u * stride;
        st = {mine, mine + stride, mine + 2u * stride};
    }
    if (threadIdx.x == 0 && ep.shuffle) {
        perm = linreg_perm_make(ep.n, (uint64_t)permSeed, (uint32_t)epoch);
    }
    for (int j = (int)threadIdx.x; j <= d; j += (int)blockDim.x) {
        st.params[j] = params[j];
        st.velocity[j] = ep.momentum != 0.0f ? velocity[j] : 0.0f;
    }
    __syncthreads();

    const bool vec4 = (d & 3) == 0 && (((uintptr_t)ep.X) & 15u) == 0;
    const uint32_t G = GRID ? gridDim.x : 1u;
    uint32_t k = blockIdx.x;
    FusedRows next = fused_fetch(ep, &perm, k, vec4);
    unsigned buf = 0;
    double loss = 0.0;
    double absSum = 0.0;
    double weightSum = 0.0;
    for (uint32_t step = 0; step < ep.steps; step++) {
        const uint32_t first = step * ep.batch;
        const uint32_t m = ep.n - first < ep.batch ? ep.n - first : ep.batch;
        float* stepTotals = GRID ? segmentTotals + (size_t)(step & 1u) * ep.segmentsPerBatch * quantities : nullptr;
        while (k < ep.segments && k / ep.segmentsPerBatch == step) {
            const FusedRows rows = next;
            next = fused_fetch(ep, &perm, k + G, vec4);  // in flight while this segment reduces
            const uint32_t sigma = k % ep.segmentsPerBatch;
            if (GRID) {
                fused_segment(ep, rows, st.params, part, buf, stepTotals + (size_t)sigma * quantities, false);
            } else {
                fused_segment(ep, rows, st.params, part, buf, st.total, sigma > 0);
            }
            k += G;
        }
        if (GRID) {
            // Totals are double-buffered by step parity: step + 1's writers pass this barrier only
            // after every block has combined step - 1's totals (they did so before arriving).
            fused_grid_barrier(barrier, barrierBase + G * (step + 1u));
            linreg_segment_sum(stepTotals, (m - 1u) / LINREG_SEGMENT + 1u, quantities, st.total, &part[0][0][0],
                          (unsigned)(sizeof(part) / sizeof(float)));
        }
        __syncthreads();  // the step's totals are complete
        fused_update(ep, st, m, step, loss, absSum, weightSum);
    }

    if (blockIdx.x == 0) {
        for (int j = (int)threadIdx.x; j <= d; j += (int)blockDim.x) {
            params[j] = st.params[j];
            if (ep.momentum != 0.0f) {
                velocity[j] = st.velocity[j];
            }
        }
        if (threadIdx.x == 0) {
            record[0] = loss;
            record[1] = absSum;
            if (ep.weighted) {
                record[3] = weightSum;
            }
        }
    }
}

__device__ __forceinline__ FusedEpoch fused_epoch_of(const float* X, const float* y, const float* v, int n, int d,
                                                     int batch,
                                                     int shuffle, float lr, float momentum, int nesterov,
                                                     float clipNorm, int intercept, float l2, float l1,
                                                     float lossAbove, float lossBelow, float* average,
                                                     int averaging, unsigned long long averaged) {
    FusedEpoch ep;
    ep.X = X;
    ep.y = y;
    ep.v = v;
    ep.weighted = v != nullptr;
    ep.quantities = linreg_quantities((uint32_t)d, ep.weighted);
    ep.n = (uint32_t)n;
    ep.d = d;
    ep.batch = (uint32_t)batch;
    ep.shuffle = shuffle;
    ep.segmentsPerBatch = (ep.batch - 1u) / LINREG_SEGMENT + 1u;
    ep.steps = (ep.n - 1u) / ep.batch + 1u;
    const uint32_t last = ep.n - (ep.steps - 1u) * ep.batch;
    ep.segments = (ep.steps - 1u) * ep.segmentsPerBatch + (last - 1u) / LINREG_SEGMENT + 1u;
    ep.lr = lr;
    ep.momentum = momentum;
    ep.nesterov = nesterov;
    ep.clipNorm = clipNorm;
    ep.intercept = intercept;
    ep.l2 = l2;
    ep.l1 = l1;
    ep.objective = {lossAbove, lossBelow};
    ep.average = average;
    ep.averaging = averaging;
    ep.averaged = averaged;
    return ep;
}

// Launch: 1 × 256 threads. scratch: 3·roundUp(Q, 32) floats, Q = d + 2 (d + 3 with weights v), used
// only when Q > FUSED_SHARED_FLOATS (else may be null).
extern "C" __global__ void __launch_bounds__(FUSED_THREADS)
fused_epoch_block(const float* __restrict__ X, const float* __restrict__ y, const float* __restrict__ v, int n, int d,
                  int batch, int shuffle,
                  unsigned long long permSeed, int epoch, float lr, float momentum, int nesterov, float clipNorm,
                  int intercept, float l2, float l1, float lossAbove, float lossBelow, float* __restrict__ average,
                  int averaging, unsigned long long averaged, float* __restrict__ params, float* __restrict__ velocity,
                  double* __restrict__ record, float* scratch) {
    if (blockDim.x != FUSED_THREADS || gridDim.x != 1 || n < 1 || d < 1 || batch < 1) {
        __trap();
    }
    const FusedEpoch ep = fused_epoch_of(X, y, v, n, d, batch, shuffle, lr, momentum, nesterov, clipNorm, intercept, l2,
                                          l1, lossAbove, lossBelow, average, averaging, averaged);
    fused_blocks_epoch<false>(ep, permSeed, epoch, params, velocity, record, scratch, nullptr, nullptr, 0u);
}

// Launch: cooperative (cuLaunchCooperativeKernel), G × 256 threads with all G blocks resident.
// scratch: G·3·roundUp(Q, 32) floats when Q > FUSED_SHARED_FLOATS (else may be null), Q as for the
// block kernel; segmentTotals: 2·ceil(batch / 1024)·Q floats; *barrier: 0 before the first launch, then
// left as it is; barrierBase: the arrivals of all earlier launches on that counter, G·steps per
// epoch (modulo 2^32).
extern "C" __global__ void __launch_bounds__(FUSED_THREADS)
fused_epoch_grid(const float* __restrict__ X, const float* __restrict__ y, const float* __restrict__ v, int n, int d,
                 int batch, int shuffle,
                 unsigned long long permSeed, int epoch, float lr, float momentum, int nesterov, float clipNorm,
                 int intercept, float l2, float l1, float lossAbove, float lossBelow, float* __restrict__ average,
                 int averaging, unsigned long long averaged, float* __restrict__ params, float* __restrict__ velocity,
                 double* __restrict__ record, float* scratch, float* segmentTotals, unsigned* barrier,
                 unsigned barrierBase) {
    if (blockDim.x != FUSED_THREADS || n < 1 || d < 1 || batch < 1) {
        __trap();
    }
    const FusedEpoch ep = fused_epoch_of(X, y, v, n, d, batch, shuffle, lr, momentum, nesterov, clipNorm, intercept, l2,
                                          l1, lossAbove, lossBelow, average, averaging, averaged);
    fused_blocks_epoch<true>(ep, permSeed, epoch, params, velocity, record, scratch, segmentTotals, barrier,
                             barrierBase);
}
