package linreg.gpu;

import java.util.function.Function;
import jcuda.driver.CUdeviceptr;
import linreg.spec.CanonicalSum;
import linreg.spec.SampleWeighting;
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
 * the next so that the run ends exactly where the rule says. Sample weights are one more column
 * the kernels read beside y.
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
        int quantities = SampleWeighting.quantities(d, rows.weighted());

        String gridUnavailable = batch >= FusedShape.GRID_MIN_BATCH ? gridUnavailable() : null;
        FusedShape shape = FusedShape.choose(batch, d, gridUnavailable == null);
        int blocks = 1;
        if (shape == FusedShape.grid) {
            int perSm = kernels.residentBlocksPerSm(shape.signature(), shape.threads());
            blocks = (int) Math.min((long) perSm * context.device().multiprocessors(), FusedShape.segments(n, batch));
            if (blocks < 1) {
                blocks = 1;
                shape = FusedShape.block;
                gridUnavailable = "the grid kernel does not fit on an SM";
            }
        }

        DeviceBuffer params = context.allocate("parameters", 4L * (d + 1));
        params.upload(config.initialParams(d));
        DeviceBuffer velocity = config.optimiser().momentum() > 0 ? context.allocate("velocity", 4L * (d + 1)) : null;
        if (velocity != null) {
            velocity.clear();
        }
        // --average: the running mean, which the kernels write from epoch averageStart on (or a
        // mean carried from an earlier run, which they go on from).
        DeviceBuffer average = config.optimiser().averages() ? context.allocate("average", 4L * (d + 1)) : null;
        float[] carried = config.start().mean();
        if (carried != null) {
            average.upload(carried);
        }
        long scratchFloats = FusedShape.scratchFloats(quantities, blocks);
        CUdeviceptr scratch = scratchFloats > 0 ? context.allocate("block state", 4 * scratchFloats).pointer() : new CUdeviceptr();
        DeviceBuffer segmentTotals = shape == FusedShape.grid
                ? context.allocate("segment totals", 4 * FusedShape.segmentTotalFloats(batch, quantities)) : null;
        DeviceBuffer barrier = shape == FusedShape.grid ? context.allocate("grid barrier", 4) : null;
        if (barrier != null) {
            barrier.clear();
        }
        DeviceBuffer validationSegments = rows.validates()
                ? context.allocate("validation segment sums", 8L * CanonicalSum.segments((int) rows.validationCount())) : null;
        DeviceBuffer validationCounter = rows.validates() ? context.allocate("validation block counter", 4) : null;
        if (validationCounter != null) {
            validationCounter.clear();
        }

        TrainingHistory history = new TrainingHistory(config, rows.validationTargets(), rows.validationWeights(), listener);
        EpochRecords records = new EpochRecords(context, epochs, n, rows.validates(), rows.weighted(),
                rows.validationWeights(), history);
        boolean lookahead = !config.stopping().stopsEarly();
        long steps = FusedShape.steps(n, batch);
        int gridBlocks = blocks;

        long start = System.nanoTime();
        records.start();
        for (int e = 0; e < epochs; e++) {
            int epoch = config.epoch(e);  // the run's epoch, whose order and rate these are
            boolean averaging = config.optimiser().averagesIn(epoch);
            long averaged = averaging ? averagedBefore(config, steps, epoch) : 0;
            // The result so far: the mean once a step was averaged (or carried in), else the last step's.
            DeviceBuffer current = average != null && averagedBefore(config, steps, epoch + 1) > 0 ? average : params;
            int local = e;
            Function<FusedShape, KernelArgs> epochArgs = kernel -> {
                KernelArgs args = Launch.updateRule(kernel.signature().args(), config)
                        .pointer("X", rows.trainX()).pointer("y", rows.trainY()).pointer("v", rows.trainV())
                        .intValue("n", (int) n).intValue("d", d)
                        .intValue("batch", batch).flag("shuffle", config.shuffle())
                        .unsignedLong("permSeed", config.permutationSeed()).intValue("epoch", epoch)
                        .floatValue("lr", config.optimiser().rate(epoch))
                        .floatValue("lossAbove", config.objective().above()).floatValue("lossBelow", config.objective().below())
                        .pointer("average", average != null ? average.pointer() : null).flag("averaging", averaging)
                        .unsignedLong("averaged", averaged).pointer("params", params.pointer())
                        .pointer("velocity", velocity != null ? velocity.pointer() : null).pointer("record", records.record(local));
                if (kernel == FusedShape.block || kernel == FusedShape.grid) {
                    args.pointer("scratch", scratch);  // the warp kernels keep their state in registers
                }
                if (kernel == FusedShape.grid) {
                    // Arrivals of the earlier epochs at the never-reset barrier counter, modulo 2^32.
                    args.pointer("segmentTotals", segmentTotals.pointer()).pointer("barrier", barrier.pointer())
                            .unsignedValue("barrierBase", (int) ((long) gridBlocks * steps * local));
                }
                return args;
            };
            boolean launched = shape == FusedShape.grid
                    && kernels.launchCooperative(epochArgs.apply(shape), blocks, shape.threads());
            if (shape == FusedShape.grid && !launched) {
                // Both kernels give the same bits, so a run may change shape between epochs.
                shape = FusedShape.block;
                gridUnavailable = blocks + " blocks could not be resident at once (is the GPU shared?)";
            }
            if (!launched) {
                kernels.launch(epochArgs.apply(shape), 1, shape.threads());
            }
            if (rows.validates()) {
                int v = (int) rows.validationCount();
                kernels.launch(KernelSignature.validation_sums.args().pointer("X", rows.validationX())
                        .pointer("y", rows.validationY()).pointer("v", rows.validationV())
                        .pointer("params", current.pointer())
                        .intValue("m", v).intValue("d", d).pointer("segmentSums", validationSegments.pointer())
                        .pointer("out", records.validationSums(e)).pointer("counter", validationCounter.pointer()),
                        CanonicalSum.segments(v), Launch.THREADS);
            }
            records.queue(e);
            if (records.settle(e, lookahead)) {
                break;
            }
        }
        records.settleLast(epochs, lookahead);
        float[] result = new float[d + 1];
        long averaged = average != null ? averagedBefore(config, steps, config.epoch(history.epochs())) : 0;
        // The mean once a step was averaged (or carried in), else the last step's parameters.
        (averaged > 0 ? average : params).download(result);
        float[] iterate = null;
        if (average != null) {
            // The last step's parameters, which a run carried on from this one continues from.
            iterate = new float[d + 1];
            params.download(iterate);
        }
        return history.result("gpu", detail(shape, blocks, gridUnavailable, batch), result, iterate, averaged,
                (System.nanoTime() - start) * 1e-9);
    }

    /**
     * The steps a run's mean averages before its epoch {@code epoch} (of the run's numbering), with
     * {@code steps} steps an epoch: those carried in ({@link linreg.train.Start#meanSteps()}), then every
     * step of this run's averaged epochs before it (a batch of weight 0 is averaged too).
     */
    static long averagedBefore(TrainConfig config, long steps, int epoch) {
        return config.start().meanSteps() + steps * Math.max(0, epoch - config.firstAveragedEpoch());
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
