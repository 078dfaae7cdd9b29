// Runs the real kernels/*.cu on the host through cuda_emu.h (see KernelHostCodeTest).
//
//   kernels_emu COMMAND IN OUT    binary little-endian files; layouts below, per command
//
// Build: g++ -std=c++17 -O1 -ffp-contract=off -fno-strict-aliasing -I<kernels> -I<this dir> ...
#include "cuda_emu.h"

#include "shuffle.cu"
#include "mae_gradient.cu"
#include "sgd_update.cu"
#include "data.cu"
#include "fused.cu"
#include "graph.cu"
#include "kernel_args.h"  // generated from linreg.gpu.KernelSignature (KernelHostCodeTest)

#include <string.h>

#include <string>

namespace {

struct Reader {
    FILE* f;
    template <class T> T one() {
        T v;
        if (fread(&v, sizeof v, 1, f) != 1) { fprintf(stderr, "short input\n"); exit(2); }
        return v;
    }
    template <class T> std::vector<T> many(size_t n) {
        std::vector<T> v(n);
        if (n && fread(v.data(), sizeof(T), n, f) != n) { fprintf(stderr, "short input\n"); exit(2); }
        return v;
    }
};

struct Writer {
    FILE* f;
    template <class T> void one(T v) { fwrite(&v, sizeof v, 1, f); }
    template <class T> void many(const std::vector<T>& v) { fwrite(v.data(), sizeof(T), v.size(), f); }
};

// in: int m, d, hasPred, reps; float lossAbove, lossBelow; float Xb[m*d], yb[m], params[d+1],
//     (pred[m] if hasPred); int weighted; (float vb[m] if weighted)
// out: per launch: float sums[Q], Q = d+2 (d+3 weighted: V last), uint counter after the launch.
// Launch k schedules threads in order k % 3 (lowest first, highest first, round robin).
void mae(Reader& in, Writer& out) {
    int m = in.one<int>(), d = in.one<int>(), hasPred = in.one<int>(), reps = in.one<int>();
    float above = in.one<float>(), below = in.one<float>();
    std::vector<float> X = in.many<float>((size_t)m * d), y = in.many<float>(m);
    std::vector<float> params = in.many<float>(d + 1);
    std::vector<float> pred = hasPred ? in.many<float>(m) : std::vector<float>();
    int weighted = in.one<int>();
    std::vector<float> v = weighted ? in.many<float>(m) : std::vector<float>();
    unsigned segments = (unsigned)((m + 1023) / 1024);
    size_t quantities = linreg_quantities((uint32_t)d, weighted);
    std::vector<float> segmentSums((size_t)segments * quantities, NAN);
    unsigned counter = 0;
    for (int rep = 0; rep < reps; rep++) {
        std::vector<float> sums(quantities, NAN);  // must be overwritten, not added to
        const float* p = hasPred ? pred.data() : nullptr;
        emu::launch(segments, 256, [&] {
            run_kernel(mae_gradient_args{.pred = p, .Xb = X.data(), .yb = y.data(),
                                         .vb = weighted ? v.data() : nullptr, .params = params.data(), .m = m,
                                         .d = d, .lossAbove = above, .lossBelow = below,
                                         .segmentSums = segmentSums.data(), .sums = sums.data(), .counter = &counter});
        }, static_cast<emu::Order>(rep % 3));
        out.many(sums);
        out.one(counter);
    }
}

// in: int d, m, threads, nesterov, steps; float lr, momentum, clipNorm; int intercept; float l2, l1;
//     int weighted; float params[d+1], velocity[d+1], then per step sums[Q] (Q = d+2, d+3 weighted:
//     V last); double stats[2] (stats[4] weighted: ΣV in stats[3])
// out: float params[d+1], velocity[d+1], sums[Q] (after the last step); double stats[2] (or [4])
void sgd(Reader& in, Writer& out) {
    int d = in.one<int>(), m = in.one<int>(), threads = in.one<int>(), nesterov = in.one<int>();
    int steps = in.one<int>();
    float lr = in.one<float>(), momentum = in.one<float>(), clipNorm = in.one<float>();
    int intercept = in.one<int>();
    float l2 = in.one<float>(), l1 = in.one<float>();
    int weighted = in.one<int>();
    std::vector<float> params = in.many<float>(d + 1), velocity = in.many<float>(d + 1);
    std::vector<std::vector<float>> sums;
    for (int k = 0; k < steps; k++) sums.push_back(in.many<float>(linreg_quantities((uint32_t)d, weighted)));
    std::vector<double> stats = in.many<double>(weighted ? 4 : 2);
    for (int k = 0; k < steps; k++) {
        emu::launch(1, threads, [&] {
            run_kernel(sgd_update_args{.params = params.data(), .sums = sums[k].data(),
                                       .velocity = momentum != 0.0f ? velocity.data() : nullptr, .d = d, .m = m,
                                       .lr = lr, .momentum = momentum, .nesterov = nesterov, .clipNorm = clipNorm,
                                       .intercept = intercept, .l2 = l2, .l1 = l1, .weighted = weighted,
                                       .epochStats = stats.data()});
        }, emu::Order::HighestFirst);  // thread 0 reads sums last: a missing barrier shows
    }
    out.many(params);
    out.many(velocity);
    out.many(sums.back());
    out.many(stats);
}

// in: int m, d, weighted; float X[m*d], y[m], (v[m] if weighted), params[d+1]
// out: float out[2] and uint counter, for each of three launches (thread orders)
void validation(Reader& in, Writer& out) {
    int m = in.one<int>(), d = in.one<int>(), weighted = in.one<int>();
    std::vector<float> X = in.many<float>((size_t)m * d), y = in.many<float>(m);
    std::vector<float> v = weighted ? in.many<float>(m) : std::vector<float>();
    std::vector<float> params = in.many<float>(d + 1);
    unsigned segments = (unsigned)((m + 1023) / 1024);
    std::vector<float> segmentSums((size_t)segments * 2, NAN);
    unsigned counter = 0;
    for (int rep = 0; rep < 3; rep++) {
        std::vector<float> sums(2, NAN);
        emu::launch(segments, 256, [&] {
            run_kernel(validation_sums_args{.X = X.data(), .y = y.data(), .v = weighted ? v.data() : nullptr,
                                            .params = params.data(), .m = m, .d = d,
                                            .segmentSums = segmentSums.data(), .out = sums.data(),
                                            .counter = &counter});
        }, static_cast<emu::Order>(rep));
        out.many(sums);
        out.one(counter);
    }
}

// in: int n, d, grid, threads, epoch; long permSeed; float X[n*d], y[n]; int weighted; (v[n] if weighted)
// out: float Xs[n*d], ys[n]; (vs[n] if weighted); int perm[n] (permutation_indices, same launch shape)
void shuffle(Reader& in, Writer& out) {
    int n = in.one<int>(), d = in.one<int>(), grid = in.one<int>(), threads = in.one<int>();
    int epoch = in.one<int>();
    unsigned long long seed = in.one<unsigned long long>();
    std::vector<float> X = in.many<float>((size_t)n * d), y = in.many<float>(n);
    int weighted = in.one<int>();
    std::vector<float> v = weighted ? in.many<float>(n) : std::vector<float>();
    std::vector<float> Xs((size_t)n * d, NAN), ys(n, NAN), vs(weighted ? n : 0, NAN);
    std::vector<int> perm(n, -1);
    emu::launch(grid, threads, [&] {
        run_kernel(shuffle_gather_args{.X = X.data(), .y = y.data(), .v = weighted ? v.data() : nullptr,
                                       .Xs = Xs.data(), .ys = ys.data(), .vs = weighted ? vs.data() : nullptr,
                                       .n = n, .d = d, .permSeed = seed, .epoch = epoch});
    }, emu::Order::HighestFirst);  // readers of the block's keys run before thread 0 can
    emu::launch(grid, threads, [&] {
        run_kernel(permutation_indices_args{.out = perm.data(), .n = n, .permSeed = seed, .epoch = epoch});
    }, emu::Order::RoundRobin);
    out.many(Xs);
    out.many(ys);
    out.many(vs);
    out.many(perm);
}

// in: int n, d, grid, threads; float trueB, noiseStd; float X[n*d], trueW[d], noise[n]
// out: float y[n] (NaN before the launch: every row must be written)
void finish(Reader& in, Writer& out) {
    int n = in.one<int>(), d = in.one<int>(), grid = in.one<int>(), threads = in.one<int>();
    float trueB = in.one<float>(), noiseStd = in.one<float>();
    std::vector<float> X = in.many<float>((size_t)n * d), w = in.many<float>(d), noise = in.many<float>(n);
    std::vector<float> y(n, NAN);
    emu::launch(grid, threads, [&] {
        run_kernel(finish_targets_args{.y = y.data(), .X = X.data(), .trueW = w.data(), .noise = noise.data(), .n = n,
                                       .d = d, .trueB = trueB, .noiseStd = noiseStd});
    });
    out.many(y);
}

// The parameters every fused shape shares (KernelSignature's Fused.EPOCH), in fused()'s names.
#define FUSED_EPOCH_ARGS                                                                               \
    .X = X.data(), .y = y.data(), .v = weighted ? weights.data() : nullptr, .n = n, .d = d, .batch = batch,       \
    .shuffle = shuffle, .permSeed = permSeed,                                                                  \
    .epoch = epoch, .lr = lr[e], .momentum = momentum, .nesterov = nesterov, .clipNorm = clipNorm,            \
    .intercept = intercept, .l2 = l2, .l1 = l1,                                                               \
    .lossAbove = above, .lossBelow = below, .average = a, .averaging = averaging, .averaged = averaged,       \
    .params = params.data(), .velocity = v, .record = record.data()

// Whole epochs of the fused strategy, one launch each, as FusedTrainer queues them.
// in: int kind (0 warp4, 1 warp16, 2 block, 3 grid), grid, n, d, batch, epochs, shuffle, nesterov;
//     long permSeed; float momentum, clipNorm; int intercept; float l2, l1, lossAbove, lossBelow;
//     int averageStart (-1: none),
//     firstEpoch (a continued run's: epoch e is the run's firstEpoch + e), weighted; float lr[epochs];
//     ulong averaged[epochs] (the steps averaged before each epoch, as FusedTrainer passes them);
//     float params[d+1], average[d+1] (a carried mean, else NaN); float X[n*d], y[n], (v[n] if weighted)
// out: per epoch double record[2] (and record[3], ΣV, if weighted); then float params[d+1], velocity[d+1];
//      uint barrier counter; float average[d+1] (NaN where never written).
// Epoch e schedules threads in order e % 3; grid launches run their blocks at once.
void fused(Reader& in, Writer& out) {
    int kind = in.one<int>(), grid = in.one<int>(), n = in.one<int>(), d = in.one<int>();
    int batch = in.one<int>(), epochs = in.one<int>(), shuffle = in.one<int>(), nesterov = in.one<int>();
    unsigned long long permSeed = in.one<unsigned long long>();
    float momentum = in.one<float>(), clipNorm = in.one<float>();
    int intercept = in.one<int>();
    float l2 = in.one<float>(), l1 = in.one<float>();
    float above = in.one<float>(), below = in.one<float>();
    int averageStart = in.one<int>(), firstEpoch = in.one<int>(), weighted = in.one<int>();
    std::vector<float> lr = in.many<float>(epochs);
    std::vector<unsigned long long> averagedBefore = in.many<unsigned long long>(epochs);
    std::vector<float> params = in.many<float>(d + 1), average = in.many<float>(d + 1);
    std::vector<float> X = in.many<float>((size_t)n * d), y = in.many<float>(n);
    std::vector<float> weights = weighted ? in.many<float>(n) : std::vector<float>();
    // NaN where a kernel must write before it reads; velocities start at 0 (TrainConfig's rule).
    std::vector<float> velocity(d + 1, 0.0f);
    size_t quantities = linreg_quantities((uint32_t)d, weighted);
    size_t stride = (quantities + 31) & ~(size_t)31;
    std::vector<float> scratch((size_t)grid * 3 * stride, NAN);
    unsigned segments = (unsigned)((batch + 1023) / 1024);
    std::vector<float> segmentTotals((size_t)2 * segments * quantities, NAN);
    unsigned barrier = 0;
    unsigned steps = (unsigned)((n + batch - 1) / batch);
    for (int e = 0; e < epochs; e++) {
        std::vector<double> record(4, NAN);
        emu::Order order = static_cast<emu::Order>(e % 3);
        float* v = momentum != 0.0f ? velocity.data() : nullptr;
        // As FusedTrainer passes them: whether epoch e is averaged, and the steps averaged before it.
        const int epoch = firstEpoch + e;
        int averaging = averageStart >= 0 && epoch >= averageStart;
        unsigned long long averaged = averagedBefore[e];
        float* a = averageStart >= 0 ? average.data() : nullptr;
        switch (kind) {
            case 0:
            case 1:
                emu::launch(1, 32, [&] {
                    if (kind == 0) {
                        run_kernel(fused_epoch_warp4_args{FUSED_EPOCH_ARGS});
                    } else {
                        run_kernel(fused_epoch_warp16_args{FUSED_EPOCH_ARGS});
                    }
                }, order);
                break;
            case 2:
                emu::launch(1, 256, [&] {
                    run_kernel(fused_epoch_block_args{FUSED_EPOCH_ARGS, .scratch = scratch.data()});
                }, order);
                break;
            default: {
                unsigned base = (unsigned)grid * steps * (unsigned)e;
                emu::launch_cooperative(grid, 256, [&] {
                    run_kernel(fused_epoch_grid_args{FUSED_EPOCH_ARGS, .scratch = scratch.data(),
                                                     .segmentTotals = segmentTotals.data(), .barrier = &barrier,
                                                     .barrierBase = base});
                }, order);
            }
        }
        out.one(record[0]);
        out.one(record[1]);
        if (weighted) {
            out.one(record[3]);
        }
    }
    out.many(params);
    out.many(velocity);
    out.one(barrier);
    out.many(average);
}

// The pipeline graph's kernels, with the epoch number in memory as a replay finds it.
// in: int n, d, m, epoch, nesterov, firstEpoch; long permSeed; float momentum, clipNorm; float X[n*d], y[n],
//     rates[epoch+1], params[d+1], sums[d+2]
// out: float Xs[n*d], ys[n] (shuffle_gather_indirect); float params[d+1] (sgd_update_indirect);
//      double records[4*(epoch+1)] after epoch_advance with validation sums {1.5, -2.5};
//      uint epoch counter after it
void indirect(Reader& in, Writer& out) {
    int n = in.one<int>(), d = in.one<int>(), m = in.one<int>(), epoch = in.one<int>(), nesterov = in.one<int>();
    int firstEpoch = in.one<int>();
    unsigned long long seed = in.one<unsigned long long>();
    float momentum = in.one<float>(), clipNorm = in.one<float>();
    std::vector<float> X = in.many<float>((size_t)n * d), y = in.many<float>(n);
    std::vector<float> rates = in.many<float>(epoch + 1), params = in.many<float>(d + 1), sums = in.many<float>(d + 2);
    unsigned counter = (unsigned)epoch;
    std::vector<float> Xs((size_t)n * d, NAN), ys(n, NAN);
    emu::launch(3, 64, [&] {
        run_kernel(shuffle_gather_indirect_args{.X = X.data(), .y = y.data(), .v = nullptr, .Xs = Xs.data(),
                                                .ys = ys.data(), .vs = nullptr, .n = n, .d = d, .permSeed = seed,
                                                .epoch = &counter,
                                                .firstEpoch = firstEpoch});
    }, emu::Order::HighestFirst);
    std::vector<float> velocity(d + 1, 0.0f);
    std::vector<double> records(4 * (epoch + 1), 0.0);
    emu::launch(1, 64, [&] {
        run_kernel(sgd_update_indirect_args{.params = params.data(), .sums = sums.data(),
                                            .velocity = momentum != 0.0f ? velocity.data() : nullptr, .d = d, .m = m,
                                            .rates = rates.data(), .epoch = &counter, .momentum = momentum,
                                            .nesterov = nesterov, .clipNorm = clipNorm, .intercept = 1, .l2 = 0.0f,
                                            .l1 = 0.0f, .weighted = 0, .records = records.data()});
    }, emu::Order::HighestFirst);
    const float validation[2] = {1.5f, -2.5f};
    emu::launch(1, 1, [&] {
        run_kernel(epoch_advance_args{.records = records.data(), .validation = validation, .epoch = &counter});
    });
    out.many(Xs);
    out.many(ys);
    out.many(params);
    out.many(records);
    out.one(counter);
}

// A whole run of the pipeline strategy as PipelineTrainer queues it with plain launches: per
// epoch shuffle_gather (the weights gathered with their rows), then per batch the predictions,
// mae_gradient and sgd_update (constant rate per epoch). predictions 0: none, mae_gradient computes each
// residual canonically; 1: a gemv that sums in another order (the products from the last
// feature to the first, each rounded), as cuBLAS may.
// With averageStart >= 0, parameter_average after every sgd_update (the epoch as an argument).
// A run continued from epoch firstEpoch passes the run's epoch firstEpoch + e.
// in: int n, d, batch, epochs, shuffle, predictions; long permSeed; float lossAbove, lossBelow;
//     int intercept; float l2, l1, momentum, clipNorm (sgd_update's); int nesterov, averageStart (-1: none),
//     firstEpoch, weighted; ulong startSteps (of a carried mean, else 0); float lr[epochs], params[d+1],
//     average[d+1] (the carried mean, else NaN); float X[n*d], y[n], (v[n] if weighted)
// out: per epoch double record[2] (and record[3], ΣV, if weighted); then float params[d+1],
//      average[d+1] (NaN without averaging); ulong steps averaged
void pipeline(Reader& in, Writer& out) {
    int n = in.one<int>(), d = in.one<int>(), batch = in.one<int>(), epochs = in.one<int>();
    int shuffle = in.one<int>(), predictions = in.one<int>();
    unsigned long long permSeed = in.one<unsigned long long>();
    float above = in.one<float>(), below = in.one<float>();
    int intercept = in.one<int>();
    float l2 = in.one<float>(), l1 = in.one<float>(), momentum = in.one<float>(), clipNorm = in.one<float>();
    int nesterov = in.one<int>(), averageStart = in.one<int>(), firstEpoch = in.one<int>();
    int weighted = in.one<int>();
    unsigned long long averagedSteps = in.one<unsigned long long>();
    std::vector<float> lr = in.many<float>(epochs), params = in.many<float>(d + 1), average = in.many<float>(d + 1);
    std::vector<float> X = in.many<float>((size_t)n * d), y = in.many<float>(n);
    std::vector<float> v = weighted ? in.many<float>(n) : std::vector<float>();
    std::vector<float> velocity(d + 1, 0.0f);
    size_t quantities = linreg_quantities((uint32_t)d, weighted);
    std::vector<float> Xs((size_t)n * d, NAN), ys(n, NAN), vs(n, NAN), pred(batch, NAN), sums(quantities, 0.0f);
    std::vector<float> segmentSums((size_t)((batch + 1023) / 1024) * quantities, NAN);
    unsigned counter = 0;
    for (int e = 0; e < epochs; e++) {
        const float* bx = X.data();
        const float* by = y.data();
        const float* bv = weighted ? v.data() : nullptr;
        if (shuffle) {
            emu::launch(4, 256, [&] {
                run_kernel(shuffle_gather_args{.X = X.data(), .y = y.data(), .v = bv, .Xs = Xs.data(), .ys = ys.data(),
                                               .vs = weighted ? vs.data() : nullptr, .n = n, .d = d,
                                               .permSeed = permSeed, .epoch = firstEpoch + e});
            });
            bx = Xs.data();
            by = ys.data();
            bv = weighted ? vs.data() : nullptr;
        }
        std::vector<double> record(4, 0.0);
        for (int from = 0; from < n; from += batch) {
            int m = n - from < batch ? n - from : batch;
            const float* xb = bx + (size_t)from * d;
            for (int i = 0; predictions && i < m; i++) {
                float p = 0.0f;
                for (int j = d - 1; j >= 0; j--) p = p + xb[(size_t)i * d + j] * params[j];
                pred[i] = p;
            }
            const float* p = predictions ? pred.data() : nullptr;
            emu::launch((unsigned)((m + 1023) / 1024), 256, [&] {
                run_kernel(mae_gradient_args{.pred = p, .Xb = xb, .yb = by + from, .vb = bv ? bv + from : nullptr,
                                             .params = params.data(), .m = m, .d = d, .lossAbove = above,
                                             .lossBelow = below,
                                             .segmentSums = segmentSums.data(), .sums = sums.data(),
                                             .counter = &counter});
            }, static_cast<emu::Order>((from / batch) % 3));
            emu::launch(1, 64, [&] {
                run_kernel(sgd_update_args{.params = params.data(), .sums = sums.data(),
                                           .velocity = momentum != 0.0f ? velocity.data() : nullptr, .d = d, .m = m,
                                           .lr = lr[e], .momentum = momentum, .nesterov = nesterov,
                                           .clipNorm = clipNorm,
                                           .intercept = intercept, .l2 = l2, .l1 = l1, .weighted = weighted,
                                           .epochStats = record.data()});
            });
            if (averageStart >= 0) {
                emu::launch(1, 64, [&] {
                    run_kernel(parameter_average_args{.params = params.data(), .average = average.data(), .d = d,
                                                      .epoch = firstEpoch + e, .epochInMemory = nullptr, .start = averageStart,
                                                      .steps = &averagedSteps});
                }, emu::Order::HighestFirst);  // thread 0 sets k last: a missing barrier shows
            }
        }
        out.one(record[0]);
        out.one(record[1]);
        if (weighted) {
            out.one(record[3]);
        }
    }
    out.many(params);
    out.many(average);
    out.one(averagedSteps);
}

// The streamed pipeline as StreamingTrainer queues it: each chunk arrives in its ring slot as the
// host gathered it (X rows, then y from float chunkRows*d on); per batch of the chunk mae_gradient
// (canonical residuals) and sgd_update (constant rate per epoch, no momentum or clipping).
// in: int d, batch, epochs, chunkRows, chunks; float lr[epochs], params[d+1];
//     per epoch, per chunk: int rows; float slot[chunkRows*(d+1)]
// out: per epoch double record[2]; then float params[d+1]
void streamed(Reader& in, Writer& out) {
    int d = in.one<int>(), batch = in.one<int>(), epochs = in.one<int>(), chunkRows = in.one<int>();
    int chunks = in.one<int>();
    std::vector<float> lr = in.many<float>(epochs), params = in.many<float>(d + 1), sums(d + 2, 0.0f);
    std::vector<float> segmentSums((size_t)((batch + 1023) / 1024) * (d + 2), NAN);
    unsigned counter = 0;
    for (int e = 0; e < epochs; e++) {
        std::vector<double> record(2, 0.0);
        for (int c = 0; c < chunks; c++) {
            int rows = in.one<int>();
            std::vector<float> slot = in.many<float>((size_t)chunkRows * (d + 1));
            const float* sy = slot.data() + (size_t)chunkRows * d;
            for (int from = 0; from < rows; from += batch) {
                int m = rows - from < batch ? rows - from : batch;
                const float* xb = slot.data() + (size_t)from * d;
                emu::launch((unsigned)((m + 1023) / 1024), 256, [&] {
                    run_kernel(mae_gradient_args{.pred = nullptr, .Xb = xb, .yb = sy + from, .vb = nullptr,
                                                 .params = params.data(),
                                                 .m = m, .d = d, .lossAbove = 1.0f, .lossBelow = 1.0f,  // the MAE
                                                 .segmentSums = segmentSums.data(), .sums = sums.data(),
                                                 .counter = &counter});
                }, static_cast<emu::Order>((c + from / batch) % 3));
                emu::launch(1, 64, [&] {
                    run_kernel(sgd_update_args{.params = params.data(), .sums = sums.data(), .velocity = nullptr,
                                               .d = d, .m = m, .lr = lr[e], .momentum = 0.0f, .nesterov = 0,
                                               .clipNorm = 0.0f, .intercept = 1, .l2 = 0.0f, .l1 = 0.0f,
                                               .weighted = 0, .epochStats = record.data()});
                });
            }
        }
        out.one(record[0]);
        out.one(record[1]);
    }
    out.many(params);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: kernels_emu mae|sgd|shuffle|finish|validation|fused|indirect|pipeline|streamed IN OUT\n");
        return 2;
    }
    Reader in{fopen(argv[2], "rb")};
    Writer out{fopen(argv[3], "wb")};
    if (!in.f || !out.f) { perror("open"); return 2; }
    std::string cmd = argv[1];
    if (cmd == "mae") mae(in, out);
    else if (cmd == "sgd") sgd(in, out);
    else if (cmd == "shuffle") shuffle(in, out);
    else if (cmd == "finish") finish(in, out);
    else if (cmd == "validation") validation(in, out);
    else if (cmd == "fused") fused(in, out);
    else if (cmd == "indirect") indirect(in, out);
    else if (cmd == "pipeline") pipeline(in, out);
    else if (cmd == "streamed") streamed(in, out);
    else { fprintf(stderr, "unknown command %s\n", argv[1]); return 2; }
    return fclose(out.f) == 0 ? 0 : 1;
}
