// The pipeline's CUDA graph (PipelineTrainer): one epoch's launches are captured once and replayed
// every epoch, and a replay passes the captured arguments unchanged. So what differs per epoch
// comes from device memory: the epoch number, which shuffle_gather_indirect and
// sgd_update_indirect read, and which this kernel, the graph's last node, moves on.

// Launch: 1 × 1. Copies the epoch's validation sums (A, B; validation may be null without a
// hold-out) into its record (32 bytes: double loss, double |r| sum, float A, float B, then a
// weighted run's double ΣV, else padding),
// then *epoch += 1.
extern "C" __global__ void epoch_advance(double* __restrict__ records, const float* __restrict__ validation,
                                         unsigned int* __restrict__ epoch) {
    if (blockIdx.x != 0 || threadIdx.x != 0) {
        return;
    }
    const unsigned e = *epoch;
    if (validation != nullptr) {
        float* record = (float*)(records + 4u * (size_t)e);
        record[4] = validation[0];
        record[5] = validation[1];
    }
    *epoch = e + 1u;
}
