// Polyak–Ruppert averaging (docs/algorithm.md §6), the device twin of linreg.spec.ParameterAverage:
// after the k-th averaged step (k = 1, 2, ...), a = a + (p - a) / k for every parameter, from
// a = +0, so the first averaged step gives a = p. Three roundings, no fma.
#pragma once

__device__ __forceinline__ float linreg_average_step(float a, float p, unsigned long long k) {
    const float before = k == 1ull ? 0.0f : a;  // the mean starts at +0 (whatever the buffer held)
    return __fadd_rn(before, __fdiv_rn(__fsub_rn(p, before), __ull2float_rn(k)));
}
