package linreg.gpu;

import java.util.Locale;
import jcuda.driver.CUdeviceptr;
import linreg.data.Dataset;
import linreg.spec.CanonicalSum;
import linreg.train.EpochListener;
import linreg.train.SampleLimit;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.TrainingHistory;

/**
 * The GPU engine on data that stays on the host: each epoch's rows stream to the card through a
 * {@link ChunkStreamer}'s ring, and per batch of each chunk mae_gradient (canonical residuals: no
 * gemv) and sgd_update run on the compute stream, as the pipeline strategy runs them on rows
 * held by the card. The permutation and the batches are the in-memory run's, so are the bits.
 * Only the ring (and the parameters) live on the card. A hold-out, averaging and sample weights
 * are not streamed: such runs are refused ({@link Streaming#unsupported}). Not yet run on a GPU.
 */
final class StreamingTrainer {
    private final CudaContext context;
    private final Kernels kernels;
    private final long chunkBytes;

    StreamingTrainer(CudaContext context, long chunkBytes) {
        this.context = context;
        this.kernels = context.kernels();
        this.chunkBytes = chunkBytes;
    }

    /** The device memory a streamed run needs: the ring, the parameters and the small buffers. */
    static DeviceMemoryPlan memory(StreamPlan plan, TrainConfig config) {
        return DeviceMemoryPlan.streaming(plan, config.epochs(), config.optimiser().momentum() > 0);
    }

    TrainResult train(Dataset data, TrainConfig config, EpochListener listener) {
        String why = Streaming.unsupported(config, data.weighted());
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        int n = SampleLimit.check(data.samples());
        int d = data.features();
        int epochs = config.epochs();
        StreamPlan plan = StreamPlan.of(n, d, config.batchSize(), chunkBytes);
        float[] start = config.initialParams(d);
        DeviceBuffer params = context.allocate("parameters", 4L * (d + 1));
        DeviceBuffer sums = context.allocate("gradient sums", 4L * (d + 2));
        DeviceBuffer segmentSums = context.allocate("segment sums", 4L * CanonicalSum.segments(plan.batch()) * (d + 2));
        DeviceBuffer counter = context.allocate("block counters", 8);
        DeviceBuffer v = config.optimiser().momentum() > 0 ? context.allocate("velocity", 4L * (d + 1)) : null;
        CUdeviceptr velocity = v != null ? v.pointer() : new CUdeviceptr();
        sums.clear();
        counter.clear();
        if (v != null) {
            v.clear();
        }
        params.upload(start);
        TrainingHistory history = new TrainingHistory(config, null, listener);
        EpochRecords records = new EpochRecords(context, epochs, n, false, history);
        ChunkStreamer streamer = new ChunkStreamer(data.featureRows(), data.targets(), plan, config.permutationSeed(),
                config.start().firstEpoch(), config.shuffle());
        boolean lookahead = !config.stopping().stopsEarly();
        long began = System.nanoTime();
        records.start();
        CudaChunkLink link = new CudaChunkLink(context, plan);
        int trained = streamer.run(link, epochs, (slot, e, i, rows) -> {
            CUdeviceptr chunk = link.device(slot);
            CUdeviceptr y = chunk.withByteOffset(4L * plan.chunkRows() * d);
            for (int from = 0; from < rows; from += plan.batch()) {
                int m = Math.min(plan.batch(), rows - from);
                kernels.launch(KernelSignature.mae_gradient.args().pointer("pred", null)
                        .pointer("Xb", chunk.withByteOffset(4L * from * d)).pointer("yb", y.withByteOffset(4L * from))
                        .pointer("vb", null).pointer("params", params.pointer()).intValue("m", m).intValue("d", d)
                        .floatValue("lossAbove", config.objective().above()).floatValue("lossBelow", config.objective().below())
                        .pointer("segmentSums", segmentSums.pointer()).pointer("sums", sums.pointer())
                        .pointer("counter", counter.pointer()),
                        "mae_gradient (streamed)", CanonicalSum.segments(m), Launch.THREADS);
                kernels.launch(Launch.updateRule(KernelSignature.sgd_update.args(), config).pointer("params", params.pointer())
                        .pointer("sums", sums.pointer()).pointer("velocity", velocity).intValue("d", d).intValue("m", m)
                        .floatValue("lr", config.optimiser().rate(config.epoch(e))).flag("weighted", false)
                        .pointer("epochStats", records.record(e)),
                        "sgd_update (streamed)", 1, Launch.updateThreads(d));
            }
        }, e -> {
            records.queue(e);
            return records.settle(e, lookahead);
        });
        records.settleLast(trained, lookahead);
        float[] result = new float[d + 1];
        params.download(result);
        String detail = String.format(Locale.ROOT, "streamed to %s: %d chunks of %d rows an epoch, a ring of %d (%s pinned,"
                + " %s on the card)", context.device().name(), plan.chunks(), plan.chunkRows(), plan.slots(),
                DeviceMemoryPlan.gib(plan.ringBytes()), DeviceMemoryPlan.gib(plan.ringBytes()));
        return history.result("gpu", detail, result, (System.nanoTime() - began) * 1e-9);
    }
}
