// The update rule (docs/algorithm.md §4, §6), the device twin of linreg.spec.SgdUpdate: clipping's
// factor, one parameter's step and w's L2/L1 penalties, used by sgd_update, every fused shape and,
// through them, the emulator.
#pragma once

// C / (sqrt(s) + 1e-6) when the norm sqrt(s) exceeds C, else 1; s is the gradient's squared norm,
// the fma chain of squares in parameter order (w, then b). × 1 is exact: an unclipped step is unchanged.
__device__ __forceinline__ float linreg_clip_factor(float s, float clipNorm) {
    const float norm = __fsqrt_rn(s);
    return norm > clipNorm ? __fdiv_rn(clipNorm, __fadd_rn(norm, 1e-6f)) : 1.0f;
}

// p = fma(-lr, u, p) with u = g; with momentum μ != 0 first v = fma(μ, v, g), then u = fma(μ, v, g)
// (Nesterov) or u = v. v is left alone without momentum.
__device__ __forceinline__ float linreg_sgd_step(float p, float g, float& v, float lr, float momentum, int nesterov) {
    float u = g;
    if (momentum != 0.0f) {
        v = fmaf(momentum, v, g);
        u = nesterov ? fmaf(momentum, v, g) : v;
    }
    return fmaf(-lr, u, p);
}

// w's gradient with the L2 penalty α₂ (docs/algorithm.md §4): fma(α₂, w, g) before clipping; g itself
// when α₂ is 0 (so the unpenalised step keeps its bits). Never applied to b.
__device__ __forceinline__ float linreg_penalised(float g, float w, float l2) {
    return l2 != 0.0f ? fmaf(l2, w, g) : g;
}

// The L1 proximal step after each step (docs/algorithm.md §4): a = |w| - t with t = lr·α₁ rounded once
// by the caller; copysign(a, w) when a > 0, else +0; a NaN w stays NaN. Never applied to b.
__device__ __forceinline__ float linreg_soft_threshold(float w, float t) {
    const float a = __fsub_rn(fabsf(w), t);
    if (a > 0.0f) {
        return copysignf(a, w);
    }
    return a <= 0.0f ? 0.0f : a;
}
