// The last step of the canonical sum (docs/algorithm.md §4) when blocks computed the segment
// totals: total[q] = T_0 + T_1 + ... + T_{S-1}, in segment order, from segmentTotals[σ·Q + q],
// one thread per quantity. The totals come through `stage` (shared memory, stageFloats long) in
// chunks, loaded coalesced with __ldcg (other SMs wrote them: past L1). Shared by mae_gradient,
// validation_sums and the fused grid kernel.
#ifndef LINREG_SEGMENTS_CUH
#define LINREG_SEGMENTS_CUH

__device__ __forceinline__ void linreg_segment_sum(const float* segmentTotals, unsigned segs, unsigned quantities,
                                                   float* total, float* stage, unsigned stageFloats) {
    const unsigned l = threadIdx.x;
    const unsigned stageRows = stageFloats / quantities;
    if (stageRows == 0) {  // one segment's totals exceed the stage: read them directly
        for (unsigned q = l; q < quantities; q += blockDim.x) {
            float sum = __ldcg(segmentTotals + q);
            for (unsigned s = 1; s < segs; s++) {
                sum = __fadd_rn(sum, __ldcg(segmentTotals + (size_t)s * quantities + q));
            }
            total[q] = sum;
        }
        return;
    }
    for (unsigned s0 = 0; s0 < segs; s0 += stageRows) {
        const unsigned rows = segs - s0 < stageRows ? segs - s0 : stageRows;
        const float* chunk = segmentTotals + (size_t)s0 * quantities;
        __syncthreads();  // the previous chunk is summed
        for (unsigned k = l; k < rows * quantities; k += blockDim.x) {
            stage[k] = __ldcg(chunk + k);
        }
        __syncthreads();
        for (unsigned q = l; q < quantities; q += blockDim.x) {
            float sum = s0 == 0 ? stage[q] : total[q];
            for (unsigned r = s0 == 0 ? 1u : 0u; r < rows; r++) {
                sum = __fadd_rn(sum, stage[r * quantities + q]);
            }
            total[q] = sum;
        }
    }
}

#endif  // LINREG_SEGMENTS_CUH
