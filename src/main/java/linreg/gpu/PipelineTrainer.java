package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import jcuda.Pointer;
import jcuda.driver.CUevent;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasOperation;
import linreg.train.EpochListener;
import linreg.train.MaeGradient;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.TrainingDivergedException;

/**
 * Strategy "pipeline", the card's shape: every epoch the shuffle kernel gathers the epoch's order
 * into a contiguous copy, then per batch cuBLAS gemv computes the predictions, mae_gradient the
 * loss and gradient sums, sgd_update the step (and adds the batch loss to the epoch's, on the
 * device). The host only queues work: it copies back 16 bytes per epoch (loss and |r| sum) and,
 * at the end, w and b. It reads epoch e's loss while epoch e + 1 is already queued, so the GPU
 * never waits for the host.
 */
final class PipelineTrainer {
    private final CudaContext context;
    private final Kernels kernels;

    PipelineTrainer(CudaContext context) {
        this.context = context;
        this.kernels = context.kernels();
    }

    TrainResult train(DeviceDataset data, TrainConfig config, EpochListener listener) {
        long n = data.samples();
        int d = data.features();
        int epochs = config.epochs();
        int maxBatch = (int) Math.min(config.batchSize(), n);
        float lr = config.lr();

        DeviceBuffer params = context.allocate("parameters", 4L * (d + 1));
        DeviceBuffer sums = context.allocate("gradient sums", 4L * (d + 2));
        DeviceBuffer segmentSums = context.allocate("segment sums", 4L * MaeGradient.segments(maxBatch) * (d + 2));
        DeviceBuffer counter = context.allocate("block counter", 4);
        DeviceBuffer predictions = context.allocate("predictions", 4L * maxBatch);
        DeviceBuffer stats = context.allocate("epoch losses", 16L * Math.max(1, epochs));
        DeviceBuffer xs = config.shuffle() ? context.allocate("shuffled X", 4L * n * d) : data.x();
        DeviceBuffer ys = config.shuffle() ? context.allocate("shuffled y", 4L * n) : data.y();
        sums.clear();
        counter.clear();
        stats.clear();
        params.upload(Pointer.to(config.initialParams(d)), 0, 4L * (d + 1));

        Pointer pinned = context.allocatePinned(16L * Math.max(1, epochs));
        DoubleBuffer host = pinned.getByteBuffer(0, 16L * Math.max(1, epochs)).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        CUevent[] done = new CUevent[epochs + 1];
        for (int e = 0; e <= epochs; e++) {
            done[e] = context.event();
        }
        double[] epochLoss = new double[epochs];
        double[] epochMae = new double[epochs];
        double[] epochSeconds = new double[epochs];
        Pointer one = Pointer.to(new float[] {1f});
        Pointer zero = Pointer.to(new float[] {0f});
        long permutationSeed = config.permutationSeed();
        int updateThreads = Launch.updateThreads(d);

        long start = System.nanoTime();
        context.record(done[0]);
        for (int e = 0; e < epochs; e++) {
            if (config.shuffle()) {
                kernels.launch(kernels.shuffleGather, "shuffle_gather", Launch.gridStride(context.device(), n), Launch.THREADS,
                        Pointer.to(data.x().pointer()), Pointer.to(data.y().pointer()), Pointer.to(xs.pointer()),
                        Pointer.to(ys.pointer()), Pointer.to(new int[] {(int) n}), Pointer.to(new int[] {d}),
                        Pointer.to(new long[] {permutationSeed}), Pointer.to(new int[] {e}));
            }
            Pointer epochStats = Pointer.to(stats.at(16L * e));
            for (long from = 0; from < n; from += maxBatch) {
                int m = (int) Math.min(maxBatch, n - from);
                Status.cublas(JCublas2.cublasSgemv(context.cublas(), cublasOperation.CUBLAS_OP_T, d, m, one,
                        xs.at(4L * from * d), d, params.pointer(), 1, zero, predictions.pointer(), 1), "cublasSgemv");
                kernels.launch(kernels.maeGradient, "mae_gradient", MaeGradient.segments(m), Launch.THREADS,
                        Pointer.to(predictions.pointer()), Pointer.to(xs.at(4L * from * d)), Pointer.to(ys.at(4L * from)),
                        Pointer.to(params.pointer()), Pointer.to(new int[] {m}), Pointer.to(new int[] {d}),
                        Pointer.to(segmentSums.pointer()), Pointer.to(sums.pointer()), Pointer.to(counter.pointer()));
                kernels.launch(kernels.sgdUpdate, "sgd_update", 1, updateThreads,
                        Pointer.to(params.pointer()), Pointer.to(sums.pointer()), Pointer.to(new int[] {d}),
                        Pointer.to(new int[] {m}), Pointer.to(new float[] {lr}), epochStats);
            }
            stats.downloadAsync(pinned.withByteOffset(16L * e), 16L * e, 16);
            context.record(done[e + 1]);
            if (e > 0) {
                finishEpoch(e - 1, done, host, n, lr, epochLoss, epochMae, epochSeconds, listener);
            }
        }
        if (epochs > 0) {
            finishEpoch(epochs - 1, done, host, n, lr, epochLoss, epochMae, epochSeconds, listener);
        }
        float[] result = new float[d + 1];
        params.download(Pointer.to(result), 0, 4L * (d + 1));
        double trainSeconds = (System.nanoTime() - start) * 1e-9;
        return new TrainResult("gpu", "pipeline on " + context.device().name(), java.util.Arrays.copyOf(result, d),
                result[d], epochLoss, epochMae, epochSeconds, trainSeconds);
    }

    /** Waits for epoch e, reads its loss from pinned memory, reports it; stops on divergence. */
    private void finishEpoch(int e, CUevent[] done, DoubleBuffer host, long n, float lr, double[] epochLoss,
            double[] epochMae, double[] epochSeconds, EpochListener listener) {
        Status.cuda(cuEventSynchronize(done[e + 1]), "waiting for epoch " + e);
        float[] ms = {0f};
        Status.cuda(cuEventElapsedTime(ms, done[e], done[e + 1]), "cuEventElapsedTime");
        epochSeconds[e] = ms[0] * 1e-3;
        epochLoss[e] = host.get(2 * e);
        epochMae[e] = host.get(2 * e + 1) / n;
        listener.onEpoch(e, epochLoss[e], epochMae[e], epochSeconds[e]);
        if (!Double.isFinite(epochLoss[e])) {
            throw new TrainingDivergedException(e, epochLoss[e], lr);
        }
    }
}
