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
//     (pred[m] if hasPred)
// out: per launch: float sums[d+2], uint counter after the launch. Launch k schedules threads in
// order k % 3 (lowest first, highest first, round robin).
void mae(Reader& in, Writer& out) {
    int m = in.one<int>(), d = in.one<int>(), hasPred = in.one<int>(), reps = in.one<int>();
    float above = in.one<float>(), below = in.one<float>();
    std::vector<float> X = in.many<float>((size_t)m * d), y = in.many<float>(m);
    std::vector<float> params = in.many<float>(d + 1);
    std::vector<float> pred = hasPred ? in.many<float>(m) : std::vector<float>();
    unsigned segments = (unsigned)((m + 1023) / 1024);
    std::vector<float> segmentSums((size_t)segments * (d + 2), NAN);
    unsigned counter = 0;
    for (int rep = 0; rep < reps; rep++) {
        std::vector<float> sums(d + 2, NAN);  // must be overwritten, not added to
        const float* p = hasPred ? pred.data() : nullptr;
        emu::launch(segments, 256, [&] {
            mae_gradient(p, X.data(), y.data(), params.data(), m, d, above, below, segmentSums.data(),
                         sums.data(), &counter);
        }, static_cast<emu::Order>(rep % 3));
        out.many(sums);
        out.one(counter);
    }
}

// in: int d, m, threads, nesterov, steps; float lr, momentum, clipNorm; float params[d+1],
//     velocity[d+1], then per step sums[d+2]; double stats[2]
// out: float params[d+1], velocity[d+1], sums[d+2] (after the last step); double stats[2]
void sgd(Reader& in, Writer& out) {
    int d = in.one<int>(), m = in.one<int>(), threads = in.one<int>(), nesterov = in.one<int>();
    int steps = in.one<int>();
    float lr = in.one<float>(), momentum = in.one<float>(), clipNorm = in.one<float>();
    std::vector<float> params = in.many<float>(d + 1), velocity = in.many<float>(d + 1);
    std::vector<std::vector<float>> sums;
    for (int k = 0; k < steps; k++) sums.push_back(in.many<float>(d + 2));
    std::vector<double> stats = in.many<double>(2);
    for (int k = 0; k < steps; k++) {
        emu::launch(1, threads, [&] {
            sgd_update(params.data(), sums[k].data(), momentum != 0.0f ? velocity.data() : nullptr, d, m, lr,
                       momentum, nesterov, clipNorm, stats.data());
        }, emu::Order::HighestFirst);  // thread 0 reads sums last: a missing barrier shows
    }
    out.many(params);
    out.many(velocity);
    out.many(sums.back());
    out.many(stats);
}

// in: int m, d; float X[m*d], y[m], params[d+1]
// out: float out[2] and uint counter, for each of three launches (thread orders)
void validation(Reader& in, Writer& out) {
    int m = in.one<int>(), d = in.one<int>();
    std::vector<float> X = in.many<float>((size_t)m * d), y = in.many<float>(m), params = in.many<float>(d + 1);
    unsigned segments = (unsigned)((m + 1023) / 1024);
    std::vector<float> segmentSums((size_t)segments * 2, NAN);
    unsigned counter = 0;
    for (int rep = 0; rep < 3; rep++) {
        std::vector<float> sums(2, NAN);
        emu::launch(segments, 256, [&] {
            validation_sums(X.data(), y.data(), params.data(), m, d, segmentSums.data(), sums.data(), &counter);
        }, static_cast<emu::Order>(rep));
        out.many(sums);
        out.one(counter);
    }
}

// in: int n, d, grid, threads, epoch; long permSeed; float X[n*d], y[n]
// out: float Xs[n*d], ys[n]; int perm[n] (permutation_indices, same launch shape)
void shuffle(Reader& in, Writer& out) {
    int n = in.one<int>(), d = in.one<int>(), grid = in.one<int>(), threads = in.one<int>();
    int epoch = in.one<int>();
    unsigned long long seed = in.one<unsigned long long>();
    std::vector<float> X = in.many<float>((size_t)n * d), y = in.many<float>(n);
    std::vector<float> Xs((size_t)n * d, NAN), ys(n, NAN);
    std::vector<int> perm(n, -1);
    emu::launch(grid, threads, [&] {
        shuffle_gather(X.data(), y.data(), Xs.data(), ys.data(), n, d, seed, epoch);
    }, emu::Order::HighestFirst);  // readers of the block's keys run before thread 0 can
    emu::launch(grid, threads, [&] { permutation_indices(perm.data(), n, seed, epoch); },
                emu::Order::RoundRobin);
    out.many(Xs);
    out.many(ys);
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
        finish_targets(y.data(), X.data(), w.data(), noise.data(), n, d, trueB, noiseStd);
    });
    out.many(y);
}

// Whole epochs of the fused strategy, one launch each, as FusedTrainer queues them.
// in: int kind (0 warp4, 1 warp16, 2 block, 3 grid), grid, n, d, batch, epochs, shuffle, nesterov;
//     long permSeed; float momentum, clipNorm, lossAbove, lossBelow; int averageStart (-1: none),
//     firstEpoch (a continued run's: epoch e is the run's firstEpoch + e); float lr[epochs], params[d+1];
//     float X[n*d], y[n]
// out: per epoch double record[2]; then float params[d+1], velocity[d+1]; uint barrier counter;
//      float average[d+1] (NaN where never written).
// Epoch e schedules threads in order e % 3; grid launches run their blocks at once.
void fused(Reader& in, Writer& out) {
    int kind = in.one<int>(), grid = in.one<int>(), n = in.one<int>(), d = in.one<int>();
    int batch = in.one<int>(), epochs = in.one<int>(), shuffle = in.one<int>(), nesterov = in.one<int>();
    unsigned long long permSeed = in.one<unsigned long long>();
    float momentum = in.one<float>(), clipNorm = in.one<float>();
    float above = in.one<float>(), below = in.one<float>();
    int averageStart = in.one<int>(), firstEpoch = in.one<int>();
    std::vector<float> lr = in.many<float>(epochs), params = in.many<float>(d + 1);
    std::vector<float> X = in.many<float>((size_t)n * d), y = in.many<float>(n);
    std::vector<float> average(d + 1, NAN);
    // NaN where a kernel must write before it reads; velocities start at 0 (TrainConfig's rule).
    std::vector<float> velocity(d + 1, 0.0f);
    size_t stride = ((size_t)d + 2 + 31) & ~(size_t)31;
    std::vector<float> scratch((size_t)grid * 3 * stride, NAN);
    unsigned segments = (unsigned)((batch + 1023) / 1024);
    std::vector<float> segmentTotals((size_t)2 * segments * (d + 2), NAN);
    unsigned barrier = 0;
    unsigned steps = (unsigned)((n + batch - 1) / batch);
    for (int e = 0; e < epochs; e++) {
        std::vector<double> record(4, NAN);
        emu::Order order = static_cast<emu::Order>(e % 3);
        float* v = momentum != 0.0f ? velocity.data() : nullptr;
        // As FusedTrainer passes them: whether epoch e is averaged, and the steps averaged before it.
        const int epoch = firstEpoch + e;
        const int from = averageStart > firstEpoch ? averageStart : firstEpoch;
        int averaging = averageStart >= 0 && epoch >= averageStart;
        unsigned long long averaged = averaging ? (unsigned long long)steps * (unsigned)(epoch - from) : 0ull;
        float* a = averageStart >= 0 ? average.data() : nullptr;
        switch (kind) {
            case 0:
            case 1:
                emu::launch(1, 32, [&] {
                    (kind == 0 ? fused_epoch_warp4 : fused_epoch_warp16)(X.data(), y.data(), n, d, batch, shuffle,
                        permSeed, epoch, lr[e], momentum, nesterov, clipNorm, above, below, a, averaging, averaged,
                        params.data(), v, record.data());
                }, order);
                break;
            case 2:
                emu::launch(1, 256, [&] {
                    fused_epoch_block(X.data(), y.data(), n, d, batch, shuffle, permSeed, epoch, lr[e], momentum, nesterov,
                                      clipNorm, above, below, a, averaging, averaged, params.data(), v, record.data(),
                                      scratch.data());
                }, order);
                break;
            default: {
                unsigned base = (unsigned)grid * steps * (unsigned)e;
                emu::launch_cooperative(grid, 256, [&] {
                    fused_epoch_grid(X.data(), y.data(), n, d, batch, shuffle, permSeed, epoch, lr[e], momentum, nesterov,
                                     clipNorm, above, below, a, averaging, averaged, params.data(), v, record.data(),
                                     scratch.data(), segmentTotals.data(),
                                     &barrier, base);
                }, order);
            }
        }
        out.one(record[0]);
        out.one(record[1]);
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
        shuffle_gather_indirect(X.data(), y.data(), Xs.data(), ys.data(), n, d, seed, &counter, firstEpoch);
    }, emu::Order::HighestFirst);
    std::vector<float> velocity(d + 1, 0.0f);
    std::vector<double> records(4 * (epoch + 1), 0.0);
    emu::launch(1, 64, [&] {
        sgd_update_indirect(params.data(), sums.data(), momentum != 0.0f ? velocity.data() : nullptr, d, m,
                            rates.data(), &counter, momentum, nesterov, clipNorm, records.data());
    }, emu::Order::HighestFirst);
    const float validation[2] = {1.5f, -2.5f};
    emu::launch(1, 1, [&] { epoch_advance(records.data(), validation, &counter); });
    out.many(Xs);
    out.many(ys);
    out.many(params);
    out.many(records);
    out.one(counter);
}

// A whole run of the pipeline strategy as PipelineTrainer queues it with plain launches: per
// epoch shuffle_gather, then per batch the predictions, mae_gradient and sgd_update (constant
// rate per epoch, no momentum or clipping). predictions 0: none, mae_gradient computes each
// residual canonically; 1: a gemv that sums in another order (the products from the last
// feature to the first, each rounded), as cuBLAS may.
// With averageStart >= 0, parameter_average after every sgd_update (the epoch as an argument).
// A run continued from epoch firstEpoch passes the run's epoch firstEpoch + e.
// in: int n, d, batch, epochs, shuffle, predictions; long permSeed; float lossAbove, lossBelow;
//     int averageStart (-1: none), firstEpoch; float lr[epochs], params[d+1]; float X[n*d], y[n]
// out: per epoch double record[2]; then float params[d+1], average[d+1] (NaN without averaging)
void pipeline(Reader& in, Writer& out) {
    int n = in.one<int>(), d = in.one<int>(), batch = in.one<int>(), epochs = in.one<int>();
    int shuffle = in.one<int>(), predictions = in.one<int>();
    unsigned long long permSeed = in.one<unsigned long long>();
    float above = in.one<float>(), below = in.one<float>();
    int averageStart = in.one<int>(), firstEpoch = in.one<int>();
    std::vector<float> lr = in.many<float>(epochs), params = in.many<float>(d + 1);
    std::vector<float> X = in.many<float>((size_t)n * d), y = in.many<float>(n);
    std::vector<float> average(d + 1, NAN);
    unsigned long long averagedSteps = 0;
    std::vector<float> Xs((size_t)n * d, NAN), ys(n, NAN), pred(batch, NAN), sums(d + 2, 0.0f);
    std::vector<float> segmentSums((size_t)((batch + 1023) / 1024) * (d + 2), NAN);
    unsigned counter = 0;
    for (int e = 0; e < epochs; e++) {
        const float* bx = X.data();
        const float* by = y.data();
        if (shuffle) {
            emu::launch(4, 256, [&] { shuffle_gather(X.data(), y.data(), Xs.data(), ys.data(), n, d, permSeed, firstEpoch + e); });
            bx = Xs.data();
            by = ys.data();
        }
        std::vector<double> record(2, 0.0);
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
                mae_gradient(p, xb, by + from, params.data(), m, d, above, below, segmentSums.data(), sums.data(),
                             &counter);
            }, static_cast<emu::Order>((from / batch) % 3));
            emu::launch(1, 64, [&] {
                sgd_update(params.data(), sums.data(), nullptr, d, m, lr[e], 0.0f, 0, 0.0f, record.data());
            });
            if (averageStart >= 0) {
                emu::launch(1, 64, [&] {
                    parameter_average(params.data(), average.data(), d, firstEpoch + e, nullptr, averageStart, &averagedSteps);
                }, emu::Order::HighestFirst);  // thread 0 sets k last: a missing barrier shows
            }
        }
        out.one(record[0]);
        out.one(record[1]);
    }
    out.many(params);
    out.many(average);
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
                    mae_gradient(nullptr, xb, sy + from, params.data(), m, d, 1.0f, 1.0f, segmentSums.data(), sums.data(), &counter);  // the MAE
                }, static_cast<emu::Order>((c + from / batch) % 3));
                emu::launch(1, 64, [&] {
                    sgd_update(params.data(), sums.data(), nullptr, d, m, lr[e], 0.0f, 0, 0.0f, record.data());
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
