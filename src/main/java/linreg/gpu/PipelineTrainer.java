package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUgraphNode;
import jcuda.driver.CUresult;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasOperation;
import linreg.spec.CanonicalSum;
import linreg.spec.SampleWeighting;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.TrainingHistory;

/**
 * Strategy "pipeline", the card's shape: every epoch the shuffle kernel gathers the epoch's order
 * into a contiguous copy, then per batch cuBLAS gemv computes the predictions, mae_gradient the
 * loss and gradient sums, sgd_update the step (and adds the batch loss to the epoch's, on the
 * device); with a hold-out, validation_sums measures it after the epoch. The host only queues
 * work: it copies back one small record per epoch (loss, |r| sum, validation sums) and, at the
 * end, w and b. It reads epoch e's record while epoch e + 1 is already queued, so the GPU never
 * waits for the host; with early stopping it reads each epoch before queuing the next, so that
 * the run can end exactly where the rule says. When that rule watches the training MAE (early
 * stopping without a hold-out), gemv is left out and mae_gradient computes every residual
 * canonically: gemv's residuals round |r| differently, and a monitored loss a few ulps off could
 * stop the run an epoch apart from the CPU engine's; this way the losses are the CPU engine's bit
 * for bit.
 *
 * <p>Sample weights travel as one more device column: the shuffle gathers them with their rows,
 * mae_gradient weighs the items and sums V, sgd_update divides by V (docs/algorithm.md §4).
 *
 * <p>Three launches a batch make small batches launch-bound, so an epoch's launches can be
 * captured once into a CUDA graph and replayed every epoch. A replay passes the captured
 * arguments unchanged, so the replayed kernels find what changes per epoch in device memory: the
 * epoch number (for the shuffle's keys, the rate table and the record), which epoch_advance, the
 * graph's last node, moves on. {@link Graphs#auto} times epoch 1 with plain launches against
 * epoch 3 replayed (epoch 2, the first replay, also uploads the graph), keeps the faster, and says
 * which in the result's detail. Graph calls are made only where the driver exports the functions
 * JCuda's binding calls for them ({@link DriverSymbols#GRAPH}); a missing one would end the JVM.
 */
final class PipelineTrainer {
    /** Whether epochs are replayed from a CUDA graph. */
    enum Graphs {
        /** Time both ways on the first epochs and keep the faster. */
        auto,
        /** From the first epoch, wherever the driver allows. */
        always,
        /** Plain launches only. */
        never
    }

    /** Most batches an epoch may have to be captured (three graph nodes each). */
    static final int GRAPH_MAX_BATCHES = 20_000;
    /** Auto: the epoch timed with plain launches. */
    private static final int TIMED_PLAIN = 1;
    /** Auto: the first replayed epoch; the one after it is timed. */
    private static final int FIRST_REPLAYED = 2;

    private final CudaContext context;
    private final Kernels kernels;
    private final Graphs graphs;

    PipelineTrainer(CudaContext context) {
        this(context, Graphs.auto);
    }

    PipelineTrainer(CudaContext context, Graphs graphs) {
        this.context = context;
        this.kernels = context.kernels();
        this.graphs = graphs;
    }

    TrainResult train(DeviceDataset data, TrainConfig config, EpochListener listener) {
        Run run = new Run(data, config, listener);
        try {
            return run.train();
        } finally {
            run.dropReplay();
        }
    }

    /** One training run: its buffers, and the graph when epochs are replayed. */
    private final class Run {
        private final TrainConfig config;
        private final int d;
        private final boolean weighted;
        private final int epochs;
        private final TrainingRows rows;
        private final long n;
        private final int maxBatch;
        private final DeviceBuffer params;  // w, b, then every epoch's rate (read by replays)
        private final CUdeviceptr rates;
        private final DeviceBuffer sums;
        private final DeviceBuffer segmentSums;
        private final DeviceBuffer counter;
        private final DeviceBuffer predictions;  // null when mae_gradient computes the residuals itself
        private final CUdeviceptr velocity;
        private final DeviceBuffer average;  // --average: the run's result (the mean, or params before it starts)
        private final DeviceBuffer averagedSteps;
        private final DeviceBuffer xs;
        private final DeviceBuffer ys;
        private final DeviceBuffer vs;  // the shuffled weights of a weighted run
        private final CUdeviceptr batchX;
        private final CUdeviceptr batchY;
        private final CUdeviceptr batchV;  // null: unweighted
        private final DeviceBuffer validationSegments;
        private final DeviceBuffer validationOut;  // a replay's validation sums, before epoch_advance files them
        private final DeviceBuffer epochCounter;
        private final TrainingHistory history;
        private final EpochRecords records;
        private CUgraphExec replay;
        private String graphNote;

        Run(DeviceDataset data, TrainConfig config, EpochListener listener) {
            this.config = config;
            d = data.features();
            epochs = config.epochs();
            rows = TrainingRows.split(context, data, config);
            weighted = rows.weighted();
            n = rows.trainCount();
            maxBatch = (int) Math.min(config.batchSize(), n);

            // The start and the rates in one copy: a run makes one copy to the device.
            float[] start = config.initialParams(d);
            float[] upload = new float[d + 1 + epochs];
            System.arraycopy(start, 0, upload, 0, d + 1);
            for (int e = 0; e < epochs; e++) {
                upload[d + 1 + e] = config.optimiser().rate(config.epoch(e));
            }
            params = context.allocate("parameters and rates", 4L * upload.length);
            rates = params.at(4L * (d + 1));
            int quantities = SampleWeighting.quantities(d, weighted);
            sums = context.allocate("gradient sums", 4L * quantities);
            segmentSums = context.allocate("segment sums", 4L * CanonicalSum.segments(maxBatch) * quantities);
            counter = context.allocate("block counters", 8);
            predictions = config.stopping().stopsEarly() && !rows.validates() ? null
                    : context.allocate("predictions", 4L * maxBatch);
            DeviceBuffer v = config.optimiser().momentum() > 0 ? context.allocate("velocity", 4L * (d + 1)) : null;
            velocity = v != null ? v.pointer() : new CUdeviceptr();
            average = config.optimiser().averages() ? context.allocate("average", 4L * (d + 1)) : null;
            averagedSteps = config.optimiser().averages() ? context.allocate("averaged steps", 8) : null;
            float[] carried = config.start().mean();
            if (carried != null) {
                // A mean carried from an earlier run: parameter_average goes on from it and its steps.
                average.upload(carried);
                averagedSteps.upload(new long[] {config.start().meanSteps()});
            } else if (averagedSteps != null) {
                averagedSteps.clear();
            }
            xs = config.shuffle() ? context.allocate("shuffled X", 4L * n * d) : null;
            ys = config.shuffle() ? context.allocate("shuffled y", 4L * n) : null;
            vs = config.shuffle() && weighted ? context.allocate("shuffled weights", 4L * n) : null;
            validationSegments = rows.validates()
                    ? context.allocate("validation segment sums", 8L * CanonicalSum.segments((int) rows.validationCount())) : null;
            validationOut = rows.validates() ? context.allocate("validation sums", 8) : null;
            epochCounter = context.allocate("epoch number", 4);
            batchX = xs != null ? xs.pointer() : rows.trainX();
            batchY = ys != null ? ys.pointer() : rows.trainY();
            batchV = vs != null ? vs.pointer() : rows.trainV();
            sums.clear();
            counter.clear();
            if (v != null) {
                v.clear();
            }
            params.upload(upload);
            if (predictions != null) {
                context.cublas();  // created here: creating it may synchronize, which a capture forbids
            }
            history = new TrainingHistory(config, rows.validationTargets(), rows.validationWeights(), listener);
            records = new EpochRecords(context, epochs, n, rows.validates(), weighted, rows.validationWeights(), history);
        }

        TrainResult train() {
            boolean lookahead = !config.stopping().stopsEarly();
            int replayFrom = firstReplayedEpoch();
            long start = System.nanoTime();
            records.start();
            for (int e = 0; e < epochs; e++) {
                if (e == replayFrom) {
                    String failure = capture(e);
                    if (failure != null) {
                        graphNote = "plain launches (" + failure + ")";
                    }
                }
                if (replay != null) {
                    Status.cuda(cuGraphLaunch(replay, context.stream()), "cuGraphLaunch (epoch " + e + ")");
                } else {
                    queuePlainEpoch(e);
                }
                records.queue(e);
                if (graphs == Graphs.auto && replay != null && e == FIRST_REPLAYED + 1) {
                    keepTheFaster(records.seconds(TIMED_PLAIN), records.seconds(e));
                }
                if (records.settle(e, lookahead)) {
                    break;
                }
            }
            records.settleLast(epochs, lookahead);
            float[] result = new float[d + 1];
            // Always written by parameter_average: the mean once a step was averaged (or carried in), else the last step's.
            (average != null && history.epochs() > 0 ? average : params).download(result);
            float[] iterate = null;
            long averaged = 0;
            if (average != null) {
                // What a run carried on from this one continues: the last step's parameters and the mean's steps.
                iterate = new float[d + 1];
                params.download(iterate);
                long[] steps = new long[1];
                averagedSteps.download(steps);
                averaged = steps[0];
            }
            String residuals = predictions == null ? "; no gemv: mae_gradient's canonical residuals, for early stopping on the"
                    + " training MAE" : "";
            return history.result("gpu", "pipeline on " + context.device().name() + residuals + "; " + graphNote, result,
                    iterate, averaged, (System.nanoTime() - start) * 1e-9);
        }

        /** The epoch to capture and replay from, or {@code epochs} for none (the reason in graphNote). */
        private int firstReplayedEpoch() {
            int from;
            switch (graphs) {
                case never:
                    graphNote = "plain launches";
                    return epochs;
                case always:
                    from = 0;
                    break;
                default:
                    if (epochs < FIRST_REPLAYED + 3) {
                        graphNote = "plain launches (too few epochs to time a CUDA graph against them)";
                        return epochs;
                    }
                    from = FIRST_REPLAYED;
            }
            long batches = (n + maxBatch - 1) / maxBatch;
            if (batches > GRAPH_MAX_BATCHES) {
                graphNote = "plain launches (" + batches + " batches an epoch: too many to capture)";
                return epochs;
            }
            String missing = DriverSymbols.missing(DriverSymbols.GRAPH);
            if (missing != null) {
                graphNote = "plain launches (no CUDA graphs: " + missing + ")";
                return epochs;
            }
            graphNote = "epochs replayed from a CUDA graph";
            return from;
        }

        /** Auto: keeps the graph if its epoch was faster than the plain one, else drops it. */
        private void keepTheFaster(double plainSeconds, double replayedSeconds) {
            String times = String.format(Locale.ROOT, "%.3f ms an epoch replayed, %.3f ms with plain launches",
                    replayedSeconds * 1e3, plainSeconds * 1e3);
            if (replayedSeconds < plainSeconds) {
                graphNote = "epochs replayed from a CUDA graph (" + times + ")";
            } else {
                dropReplay();
                graphNote = "plain launches (" + times + ")";
            }
        }

        /**
         * Captures one epoch's launches, reading the epoch number from device memory, into a graph
         * and instantiates it; the number starts at {@code e}. Returns why that failed, or null.
         * Capturing only records: nothing runs until the graph is launched.
         */
        private String capture(int e) {
            // cuBLAS loads a kernel when first used, which must not happen inside a capture: run
            // the epoch's gemv shapes once first (their predictions are recomputed before use).
            if (predictions != null) {
                queuePredictions(batchX, maxBatch);
                queuePredictions(batchX, (int) (n - (n - 1) / maxBatch * maxBatch));
            }
            Status.cuda(cuMemsetD32Async(epochCounter.pointer(), e, 1, context.stream()), "setting the epoch number");
            int began = cuStreamBeginCapture(context.stream(), CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED);
            if (began != CUresult.CUDA_SUCCESS) {
                return "cuStreamBeginCapture: " + CUresult.stringFor(began);
            }
            String failure = null;
            try {
                queueReplayedEpoch();
            } catch (RuntimeException ex) {
                failure = ex.getMessage();
            }
            CUgraph graph = new CUgraph();
            int ended = cuStreamEndCapture(context.stream(), graph);  // ends the capture, failed or not
            if (failure == null && ended != CUresult.CUDA_SUCCESS) {
                failure = "cuStreamEndCapture: " + CUresult.stringFor(ended);
            }
            if (failure != null) {
                if (ended == CUresult.CUDA_SUCCESS) {
                    cuGraphDestroy(graph);
                }
                return "capturing an epoch failed: " + failure;
            }
            CUgraphExec exec = new CUgraphExec();
            byte[] log = new byte[1024];
            int made = cuGraphInstantiate(exec, graph, new CUgraphNode(), log, log.length);
            cuGraphDestroy(graph);
            if (made != CUresult.CUDA_SUCCESS) {
                String text = new String(log, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
                return "cuGraphInstantiate: " + CUresult.stringFor(made) + (text.isEmpty() ? "" : " (" + text + ")");
            }
            replay = exec;
            return null;
        }

        void dropReplay() {
            if (replay != null) {
                cuGraphExecDestroy(replay);  // freed once a replay in flight completes
                replay = null;
            }
        }

        /** Epoch e with its number, rate and record as launch arguments. */
        private void queuePlainEpoch(int e) {
            if (config.shuffle()) {
                kernels.launch(shuffleArgs(KernelSignature.shuffle_gather).intValue("epoch", config.epoch(e)),
                        Launch.gridStride(context.device(), n), Launch.THREADS);
            }
            for (long from = 0; from < n; from += maxBatch) {
                int m = (int) Math.min(maxBatch, n - from);
                queueGradient(from, m);
                kernels.launch(Launch.updateRule(KernelSignature.sgd_update.args(), config).pointer("params", params.pointer())
                        .pointer("sums", sums.pointer()).pointer("velocity", velocity).intValue("d", d).intValue("m", m)
                        .floatValue("lr", config.optimiser().rate(config.epoch(e))).flag("weighted", weighted)
                        .pointer("epochStats", records.record(e)),
                        1, Launch.updateThreads(d));
                queueAverage(config.epoch(e), null, config.optimiser().averageStart());
            }
            if (rows.validates()) {
                queueValidation(records.validationSums(e));
            }
        }

        /** The epoch whose number is in epochCounter, as a graph replays it; it ends by advancing the number. */
        private void queueReplayedEpoch() {
            CUdeviceptr epoch = epochCounter.pointer();
            if (config.shuffle()) {
                kernels.launch(shuffleArgs(KernelSignature.shuffle_gather_indirect).pointer("epoch", epoch).intValue("firstEpoch", config.start().firstEpoch()),
                        Launch.gridStride(context.device(), n), Launch.THREADS);
            }
            for (long from = 0; from < n; from += maxBatch) {
                int m = (int) Math.min(maxBatch, n - from);
                queueGradient(from, m);
                kernels.launch(Launch.updateRule(KernelSignature.sgd_update_indirect.args(), config)
                        .pointer("params", params.pointer()).pointer("sums", sums.pointer()).pointer("velocity", velocity)
                        .intValue("d", d).intValue("m", m).pointer("rates", rates).pointer("epoch", epoch)
                        .flag("weighted", weighted).pointer("records", records.base()),
                        1, Launch.updateThreads(d));
                // The number in memory counts this run's epochs: the start moves by the first epoch.
                queueAverage(0, epoch, config.optimiser().averageStart() - config.start().firstEpoch());
            }
            if (rows.validates()) {
                queueValidation(validationOut.pointer());
            }
            kernels.launch(KernelSignature.epoch_advance.args().pointer("records", records.base())
                    .pointer("validation", validationOut != null ? validationOut.pointer() : null).pointer("epoch", epoch),
                    1, 1);
        }

        /** shuffle_gather's or shuffle_gather_indirect's arguments but the epoch. */
        private KernelArgs shuffleArgs(KernelSignature kernel) {
            return kernel.args().pointer("X", rows.trainX()).pointer("y", rows.trainY()).pointer("v", rows.trainV())
                    .pointer("Xs", xs.pointer()).pointer("ys", ys.pointer()).pointer("vs", vs != null ? vs.pointer() : null)
                    .intValue("n", (int) n).intValue("d", d)
                    .unsignedLong("permSeed", config.permutationSeed());
        }

        /** gemv's predictions (unless left out) and mae_gradient's sums of the batch at rows [from, from + m). */
        private void queueGradient(long from, int m) {
            CUdeviceptr x = batchX.withByteOffset(4L * from * d);
            if (predictions != null) {
                queuePredictions(x, m);
            }
            kernels.launch(KernelSignature.mae_gradient.args().pointer("pred", predictions != null ? predictions.pointer() : null)
                    .pointer("Xb", x).pointer("yb", batchY.withByteOffset(4L * from))
                    .pointer("vb", batchV != null ? batchV.withByteOffset(4L * from) : null).pointer("params", params.pointer())
                    .intValue("m", m).intValue("d", d)
                    .floatValue("lossAbove", config.objective().above()).floatValue("lossBelow", config.objective().below())
                    .pointer("segmentSums", segmentSums.pointer()).pointer("sums", sums.pointer())
                    .pointer("counter", counter.pointer()),
                    CanonicalSum.segments(m), Launch.THREADS);
        }

        /** predictions = x·w for the m rows at x (row-major m×d: column-major d×m, transposed). */
        private void queuePredictions(CUdeviceptr x, int m) {
            Status.cublas(JCublas2.cublasSgemv(context.cublas(), cublasOperation.CUBLAS_OP_T, d, m,
                    Pointer.to(new float[] {1f}), x, d, params.pointer(), 1, Pointer.to(new float[] {0f}),
                    predictions.pointer(), 1), "cublasSgemv");
        }

        /**
         * With --average: parameter_average after a step, the epoch as a number or (epochInMemory) in
         * memory, compared with {@code start}.
         */
        private void queueAverage(int epoch, CUdeviceptr epochInMemory, int start) {
            if (average == null) {
                return;
            }
            kernels.launch(KernelSignature.parameter_average.args().pointer("params", params.pointer())
                    .pointer("average", average.pointer()).intValue("d", d).intValue("epoch", epoch)
                    .pointer("epochInMemory", epochInMemory).intValue("start", start)
                    .pointer("steps", averagedSteps.pointer()),
                    1, Launch.updateThreads(d));
        }

        private void queueValidation(CUdeviceptr out) {
            int v = (int) rows.validationCount();
            kernels.launch(KernelSignature.validation_sums.args().pointer("X", rows.validationX())
                    .pointer("y", rows.validationY()).pointer("v", rows.validationV())
                    .pointer("params", (average != null ? average : params).pointer())
                    .intValue("m", v).intValue("d", d).pointer("segmentSums", validationSegments.pointer())
                    .pointer("out", out).pointer("counter", counter.at(4)),
                    CanonicalSum.segments(v), Launch.THREADS);
        }
    }
}
