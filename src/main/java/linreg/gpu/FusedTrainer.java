package linreg.gpu;

import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import linreg.spec.CanonicalSum;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.TrainingHistory;

/**
 * Strategy "fused": one kernel launch per epoch (kernels/fused.cu), no cuBLAS. The kernel walks
 * the epoch's batches itself, computing each row's place in the shuffled order as it loads it, and
 * keeps w and b on chip; the shape follows the batch ({@link FusedShape}): one warp for batches of
 * up to 32 rows, one block up to {@link FusedShape#GRID_MIN_BATCH}, a cooperative grid above.
 * With a hold-out, validation_sums measures each epoch after it. As in the pipeline, the host only
 * queues work and copies back one small record per epoch; it reads epoch e's record while epoch
 * e + 1 is already queued, except with early stopping, where it reads each epoch before queuing
 * the next so that the run ends exactly where the rule says.
 */
final class FusedTrainer {
    private final CudaContext context;
    private final Kernels kernels;

    FusedTrainer(CudaContext context) {
        this.context = context;
        this.kernels = context.kernels();
    }

    TrainResult train(DeviceDataset data, TrainConfig config, EpochListener listener) {
        int d = data.features();
        int epochs = config.epochs();
        TrainingRows rows = TrainingRows.split(context, data, config);
        long n = rows.trainCount();
        int batch = (int) Math.min(config.batchSize(), n);

        String gridUnavailable = batch >= FusedShape.GRID_MIN_BATCH ? gridUnavailable() : null;
        FusedShape shape = FusedShape.choose(batch, d, gridUnavailable == null);
        int blocks = 1;
        if (shape == FusedShape.grid) {
            int perSm = kernels.residentBlocksPerSm(kernels.fused(shape), shape.threads());
            blocks = (int) Math.min((long) perSm * context.device().multiprocessors(), FusedShape.segments(n, batch));
            if (blocks < 1) {
                blocks = 1;
                shape = FusedShape.block;
                gridUnavailable = "the grid kernel does not fit on an SM";
            }
        }

        DeviceBuffer params = context.allocate("parameters", 4L * (d + 1));
        params.upload(config.initialParams(d));
        DeviceBuffer velocity = config.momentum() > 0 ? context.allocate("velocity", 4L * (d + 1)) : null;
        if (velocity != null) {
            velocity.clear();
        }
        // --average: the running mean, which the kernels write from epoch averageStart on.
        DeviceBuffer average = config.averages() ? context.allocate("average", 4L * (d + 1)) : null;
        long scratchFloats = FusedShape.scratchFloats(d, blocks);
        CUdeviceptr scratch = scratchFloats > 0 ? context.allocate("block state", 4 * scratchFloats).pointer() : new CUdeviceptr();
        CUdeviceptr segmentTotals = new CUdeviceptr();
        CUdeviceptr barrier = new CUdeviceptr();
        if (shape == FusedShape.grid) {
            segmentTotals = context.allocate("segment totals", 4 * FusedShape.segmentTotalFloats(batch, d)).pointer();
            DeviceBuffer counter = context.allocate("grid barrier", 4);
            counter.clear();
            barrier = counter.pointer();
        }
        DeviceBuffer validationSegments = rows.validates()
                ? context.allocate("validation segment sums", 8L * CanonicalSum.segments((int) rows.validationCount())) : null;
        DeviceBuffer validationCounter = rows.validates() ? context.allocate("validation block counter", 4) : null;
        if (validationCounter != null) {
            validationCounter.clear();
        }

        TrainingHistory history = new TrainingHistory(config, rows.validationTargets(), listener);
        EpochRecords records = new EpochRecords(context, epochs, n, rows.validates(), history);
        boolean lookahead = config.patience() == 0;
        long steps = FusedShape.steps(n, batch);
        Pointer velocityArg = Pointer.to(velocity != null ? velocity.pointer() : new CUdeviceptr());

        long start = System.nanoTime();
        records.start();
        for (int e = 0; e < epochs; e++) {
            int epoch = config.firstEpoch() + e;  // the run's epoch, whose order and rate these are
            boolean averaging = average != null && epoch >= config.averageStart();
            // The steps averaged before this epoch: those of this run's averaged epochs before it.
            long averaged = averaging ? steps * (epoch - Math.max(config.averageStart(), config.firstEpoch())) : 0;
            Pointer[] args = {
                Pointer.to(rows.trainX()), Pointer.to(rows.trainY()), Pointer.to(new int[] {(int) n}),
                Pointer.to(new int[] {d}), Pointer.to(new int[] {batch}), Pointer.to(new int[] {config.shuffle() ? 1 : 0}),
                Pointer.to(new long[] {config.permutationSeed()}), Pointer.to(new int[] {epoch}),
                Pointer.to(new float[] {config.rate(epoch)}), Pointer.to(new float[] {config.momentum()}),
                Pointer.to(new int[] {config.nesterov() ? 1 : 0}), Pointer.to(new float[] {config.clipNorm()}),
                Pointer.to(new float[] {config.objective().above()}), Pointer.to(new float[] {config.objective().below()}),
                Pointer.to(average != null ? average.pointer() : new CUdeviceptr()),
                Pointer.to(new int[] {averaging ? 1 : 0}), Pointer.to(new long[] {averaged}),
                Pointer.to(params.pointer()), velocityArg, Pointer.to(records.record(e)),
                Pointer.to(scratch), Pointer.to(segmentTotals), Pointer.to(barrier),
                // Arrivals of the earlier epochs at the never-reset barrier counter, modulo 2^32.
                Pointer.to(new int[] {(int) ((long) blocks * steps * e)}),
            };
            boolean launched = shape == FusedShape.grid
                    && kernels.launchCooperative(kernels.fused(shape), shape.kernel, blocks, shape.threads(), args);
            if (shape == FusedShape.grid && !launched) {
                // Both kernels give the same bits, so a run may change shape between epochs.
                shape = FusedShape.block;
                gridUnavailable = blocks + " blocks could not be resident at once (is the GPU shared?)";
            }
            if (!launched) {
                int count = shape == FusedShape.block ? 21 : 20;  // the warp kernels take no scratch
                kernels.launch(kernels.fused(shape), shape.kernel, 1, shape.threads(), Arrays.copyOf(args, count));
            }
            if (rows.validates()) {
                int v = (int) rows.validationCount();
                kernels.launch(kernels.validationSums, "validation_sums", CanonicalSum.segments(v), Launch.THREADS,
                        Pointer.to(rows.validationX()), Pointer.to(rows.validationY()),
                        Pointer.to((averaging ? average : params).pointer()),
                        Pointer.to(new int[] {v}), Pointer.to(new int[] {d}), Pointer.to(validationSegments.pointer()),
                        Pointer.to(records.validationSums(e)), Pointer.to(validationCounter.pointer()));
            }
            records.queue(e);
            if (records.settle(e, lookahead)) {
                break;
            }
        }
        records.settleLast(epochs, lookahead);
        float[] result = new float[d + 1];
        // The mean once a step was averaged, else the last step's parameters.
        (average != null && config.firstEpoch() + history.epochs() > config.averageStart() ? average : params)
                .download(result);
        return history.result("gpu", detail(shape, blocks, gridUnavailable, batch), result,
                (System.nanoTime() - start) * 1e-9);
    }

    /** Why the cooperative grid cannot run here, or null. */
    private String gridUnavailable() {
        if (!context.device().cooperativeLaunch()) {
            return "the GPU does not support cooperative launches";
        }
        return DriverSymbols.missing(DriverSymbols.COOPERATIVE);
    }

    private String detail(FusedShape shape, int blocks, String gridUnavailable, int batch) {
        String how = switch (shape) {
            case warp4, warp16 -> "fused, one warp";
            case block -> "fused, one block";
            case grid -> "fused, cooperative grid of " + blocks + " blocks";
        };
        String why = shape == FusedShape.block && batch >= FusedShape.GRID_MIN_BATCH && gridUnavailable != null
                ? " (no grid: " + gridUnavailable + ")" : "";
        return how + why + " on " + context.device().name();
    }
}
