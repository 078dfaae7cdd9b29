// The loss rule (docs/algorithm.md §4), the device twin of linreg.spec.Objective: a sign-type loss
// with one weight above the fit and one below. A residual r costs weight(r)·|r| and has the slope
// sign(r)·weight(r). The MAE has both weights 1; quantile(τ) has 2(1 - τ) above and 2τ below, so
// at τ = 0.5 it is the MAE bit for bit. Every kernel that sums a batch's loss takes these two.
#pragma once

struct linreg_objective_t {
    float above;  // weight of r > 0
    float below;  // weight of r < 0
};

// below for r < 0, else above (at r = ±0 or NaN either weight gives the same slope and loss bits).
__device__ __forceinline__ float linreg_weight(linreg_objective_t o, float r) {
    return r < 0.0f ? o.below : o.above;
}

// sign(r)·weight(r), with sign(0) = sign(NaN) = 0 (PyTorch's abs backward); ±1·weight is exact.
__device__ __forceinline__ float linreg_slope(linreg_objective_t o, float r) {
    return r > 0.0f ? o.above : (r < 0.0f ? -o.below : 0.0f);
}

// weight(r)·|r|: |r| for the MAE (the product by 1 is exact), twice the pinball loss for a quantile.
__device__ __forceinline__ float linreg_loss(linreg_objective_t o, float r) {
    return __fmul_rn(linreg_weight(o, r), fabsf(r));
}

// Sample weights (docs/algorithm.md §4, "Sample weights"), the device twin of linreg.spec.SampleWeighting:
// a row of weight v adds fl(v·item) where an unweighted row adds the item itself (its loss to S, its
// slope to G_b; G_j then takes fl(u·x_j) with u the weighted slope). An unweighted run keeps the
// items as they are (v is then not read).
__device__ __forceinline__ float linreg_weighted(bool weighted, float v, float item) {
    return weighted ? __fmul_rn(v, item) : item;
}

// Whether a batch of total weight V steps: only V > 0 (a batch whose rows all weigh 0, or a NaN V,
// leaves the parameters, the velocities and the epoch's loss as they are).
__device__ __forceinline__ bool linreg_weight_steps(float totalWeight) {
    return totalWeight > 0.0f;
}
