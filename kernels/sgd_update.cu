// The in-place SGD step of one batch (docs/algorithm.md §4): the device twin of
// linreg.train.SgdUpdate, plus the epoch's float64 loss sums and the gradient reset.
//
// Launch: one block (gridDim.x = 1), any blockDim.x (threads loop over the d + 1 parameters),
// no dynamic shared memory.

// params: w_0..w_{d-1}, b. sums: S, G_b, G_0..G_{d-1} from mae_gradient.
// epochStats[0] += S/m (the epoch loss, float64), epochStats[1] += S (for the epoch's mean |r|).
extern "C" __global__ void sgd_update(float* __restrict__ params, float* __restrict__ sums, int d,
                                      int m, float lr, double* __restrict__ epochStats) {
    if (blockIdx.x != 0) {
        return;  // one block owns the parameters; extra blocks would race
    }
    const float count = (float)m;  // round to nearest, as Java's int -> float
    const float step = -lr;
    for (int j = threadIdx.x; j <= d; j += blockDim.x) {
        const float g = __fdiv_rn(j < d ? sums[2 + j] : sums[1], count);  // j == d: the bias
        params[j] = fmaf(step, g, params[j]);
    }
    if (threadIdx.x == 0) {
        epochStats[0] += (double)__fdiv_rn(sums[0], count);
        epochStats[1] += (double)sums[0];
    }
    // Every read of sums is done: zero them for the next batch (the tutorial's grad.zero_()).
    __syncthreads();
    for (int q = threadIdx.x; q < d + 2; q += blockDim.x) {
        sums[q] = 0.0f;
    }
}
