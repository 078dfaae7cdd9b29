package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasOperation;
import linreg.train.EpochListener;
import linreg.train.MaeGradient;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.TrainingHistory;
import linreg.train.ValidationSplit;

/**
 * Strategy "pipeline", the card's shape: every epoch the shuffle kernel gathers the epoch's order
 * into a contiguous copy, then per batch cuBLAS gemv computes the predictions, mae_gradient the
 * loss and gradient sums, sgd_update the step (and adds the batch loss to the epoch's, on the
 * device); with a hold-out, validation_sums measures it after the epoch. The host only queues
 * work: it copies back one small record per epoch (loss, |r| sum, validation sums) and, at the
 * end, w and b. It reads epoch e's record while epoch e + 1 is already queued, so the GPU never
 * waits for the host; with early stopping it reads each epoch before queuing the next, so that
 * the run can end exactly where the rule says.
 */
final class PipelineTrainer {
    /** One epoch's record: double loss, double |r| sum, float validation A, float validation B, padding. */
    private static final int RECORD = 32;

    private final CudaContext context;
    private final Kernels kernels;

    PipelineTrainer(CudaContext context) {
        this.context = context;
        this.kernels = context.kernels();
    }

    TrainResult train(DeviceDataset data, TrainConfig config, EpochListener listener) {
        int d = data.features();
        int epochs = config.epochs();
        Rows rows = split(data, config);
        long n = rows.trainCount();
        int maxBatch = (int) Math.min(config.batchSize(), n);

        DeviceBuffer params = context.allocate("parameters", 4L * (d + 1));
        DeviceBuffer sums = context.allocate("gradient sums", 4L * (d + 2));
        DeviceBuffer segmentSums = context.allocate("segment sums", 4L * MaeGradient.segments(maxBatch) * (d + 2));
        DeviceBuffer counter = context.allocate("block counters", 8);
        DeviceBuffer predictions = context.allocate("predictions", 4L * maxBatch);
        DeviceBuffer velocity = config.momentum() > 0 ? context.allocate("velocity", 4L * (d + 1)) : null;
        DeviceBuffer stats = context.allocate("epoch records", (long) RECORD * Math.max(1, epochs));
        DeviceBuffer xs = config.shuffle() ? context.allocate("shuffled X", 4L * n * d) : null;
        DeviceBuffer ys = config.shuffle() ? context.allocate("shuffled y", 4L * n) : null;
        DeviceBuffer validationSegments = rows.validationCount() > 0
                ? context.allocate("validation segment sums", 8L * MaeGradient.segments((int) rows.validationCount())) : null;
        CUdeviceptr batchX = xs != null ? xs.pointer() : rows.trainX();
        CUdeviceptr batchY = ys != null ? ys.pointer() : rows.trainY();
        sums.clear();
        counter.clear();
        stats.clear();
        if (velocity != null) {
            velocity.clear();
        }
        params.upload(Pointer.to(config.initialParams(d)), 0, 4L * (d + 1));

        Pointer pinned = context.allocatePinned((long) RECORD * Math.max(1, epochs));
        ByteBuffer host = pinned.getByteBuffer(0, (long) RECORD * Math.max(1, epochs)).order(ByteOrder.nativeOrder());
        CUevent[] done = new CUevent[epochs + 1];
        for (int e = 0; e <= epochs; e++) {
            done[e] = context.event();
        }
        TrainingHistory history = new TrainingHistory(config, rows.validationTargets(), listener);
        boolean lookahead = config.patience() == 0;
        Pointer one = Pointer.to(new float[] {1f});
        Pointer zero = Pointer.to(new float[] {0f});
        Pointer velocityArg = Pointer.to(velocity != null ? velocity.pointer() : new CUdeviceptr());
        long permutationSeed = config.permutationSeed();
        int updateThreads = Launch.updateThreads(d);

        long start = System.nanoTime();
        context.record(done[0]);
        for (int e = 0; e < epochs; e++) {
            if (config.shuffle()) {
                kernels.launch(kernels.shuffleGather, "shuffle_gather", Launch.gridStride(context.device(), n), Launch.THREADS,
                        Pointer.to(rows.trainX()), Pointer.to(rows.trainY()), Pointer.to(xs.pointer()),
                        Pointer.to(ys.pointer()), Pointer.to(new int[] {(int) n}), Pointer.to(new int[] {d}),
                        Pointer.to(new long[] {permutationSeed}), Pointer.to(new int[] {e}));
            }
            Pointer record = Pointer.to(stats.at((long) RECORD * e));
            Pointer lr = Pointer.to(new float[] {config.rate(e)});
            for (long from = 0; from < n; from += maxBatch) {
                int m = (int) Math.min(maxBatch, n - from);
                CUdeviceptr x = batchX.withByteOffset(4L * from * d);
                Status.cublas(JCublas2.cublasSgemv(context.cublas(), cublasOperation.CUBLAS_OP_T, d, m, one,
                        x, d, params.pointer(), 1, zero, predictions.pointer(), 1), "cublasSgemv");
                kernels.launch(kernels.maeGradient, "mae_gradient", MaeGradient.segments(m), Launch.THREADS,
                        Pointer.to(predictions.pointer()), Pointer.to(x), Pointer.to(batchY.withByteOffset(4L * from)),
                        Pointer.to(params.pointer()), Pointer.to(new int[] {m}), Pointer.to(new int[] {d}),
                        Pointer.to(segmentSums.pointer()), Pointer.to(sums.pointer()), Pointer.to(counter.pointer()));
                kernels.launch(kernels.sgdUpdate, "sgd_update", 1, updateThreads,
                        Pointer.to(params.pointer()), Pointer.to(sums.pointer()), velocityArg, Pointer.to(new int[] {d}),
                        Pointer.to(new int[] {m}), lr, Pointer.to(new float[] {config.momentum()}),
                        Pointer.to(new int[] {config.nesterov() ? 1 : 0}), Pointer.to(new float[] {config.clipNorm()}),
                        record);
            }
            if (validationSegments != null) {
                int v = (int) rows.validationCount();
                kernels.launch(kernels.validationSums, "validation_sums", MaeGradient.segments(v), Launch.THREADS,
                        Pointer.to(rows.validationX()), Pointer.to(rows.validationY()), Pointer.to(params.pointer()),
                        Pointer.to(new int[] {v}), Pointer.to(new int[] {d}), Pointer.to(validationSegments.pointer()),
                        Pointer.to(stats.at((long) RECORD * e + 16)), Pointer.to(counter.at(4)));
            }
            stats.downloadAsync(pinned.withByteOffset((long) RECORD * e), (long) RECORD * e, rows.validationCount() > 0 ? 24 : 16);
            context.record(done[e + 1]);
            if (!lookahead && finishEpoch(e, done, host, n, rows, history)) {
                break;
            }
            if (lookahead && e > 0) {
                finishEpoch(e - 1, done, host, n, rows, history);
            }
        }
        if (lookahead && epochs > 0) {
            finishEpoch(epochs - 1, done, host, n, rows, history);
        }
        float[] result = new float[d + 1];
        params.download(Pointer.to(result), 0, 4L * (d + 1));
        return history.result("gpu", "pipeline on " + context.device().name(), result, (System.nanoTime() - start) * 1e-9);
    }

    /** Waits for epoch e, reads its record from pinned memory, records it; true to stop early. */
    private boolean finishEpoch(int e, CUevent[] done, ByteBuffer host, long n, Rows rows, TrainingHistory history) {
        Status.cuda(cuEventSynchronize(done[e + 1]), "waiting for epoch " + e);
        float[] ms = {0f};
        Status.cuda(cuEventElapsedTime(ms, done[e], done[e + 1]), "cuEventElapsedTime");
        int at = RECORD * e;
        float[] validation = rows.validationCount() > 0 ? new float[] {host.getFloat(at + 16), host.getFloat(at + 20)} : null;
        return history.record(e, host.getDouble(at), host.getDouble(at + 8) / n, ms[0] * 1e-3, validation);
    }

    /**
     * Where the training and the validation rows are: the data itself, or, with a hold-out, a
     * copy gathered by the split permutation (docs/algorithm.md §6) whose first v rows validate.
     */
    private record Rows(CUdeviceptr trainX, CUdeviceptr trainY, long trainCount, CUdeviceptr validationX,
            CUdeviceptr validationY, long validationCount, float[] validationTargets) {}

    private Rows split(DeviceDataset data, TrainConfig config) {
        long n = data.samples();
        int d = data.features();
        if (config.validation() == 0) {
            return new Rows(data.x().pointer(), data.y().pointer(), n, null, null, 0, null);
        }
        int v = ValidationSplit.validationRows(n, config.validation());
        DeviceBuffer x = context.allocate("split X", 4L * n * d);
        DeviceBuffer y = context.allocate("split y", 4L * n);
        kernels.launch(kernels.shuffleGather, "shuffle_gather (validation split)", Launch.gridStride(context.device(), n),
                Launch.THREADS, Pointer.to(data.x().pointer()), Pointer.to(data.y().pointer()), Pointer.to(x.pointer()),
                Pointer.to(y.pointer()), Pointer.to(new int[] {(int) n}), Pointer.to(new int[] {d}),
                Pointer.to(new long[] {ValidationSplit.permutationSeed(config.seed())}), Pointer.to(new int[] {0}));
        // The validation targets, once, for R²'s Σ(y - ȳ)²: set-up, not the training loop.
        float[] targets = new float[v];
        y.download(Pointer.to(targets), 0, 4L * v);
        return new Rows(x.at(4L * v * d), y.at(4L * v), n - v, x.pointer(), y.pointer(), v, targets);
    }
}
