package linreg.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import linreg.bench.CostModel;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.Words;
import linreg.engine.StrategyPolicies;
import linreg.gpu.DeviceDataset;
import linreg.gpu.GpuSession;
import linreg.gpu.Strategy;
import linreg.model.TrainingCodec;
import linreg.train.Agreement;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code linreg compare}: the same samples, start and batches trained by the GPU and the CPU
 * engine; their speed side by side and whether they agree (exit 1 when not).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the same problem on the GPU and on the CPU and compares speed and results.",
            "Generated data is drawn on the GPU and copied to the host once, outside the timing. Exit code 1 unless "
                    + "the parameters are bit-identical and the epoch losses differ by no more than float32 rounding "
                    + "of the residuals explains (docs/algorithm.md); 3 without a GPU or when the --strategy asked for "
                    + "cannot run here."})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TrainingOptions training;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() throws DataException {
        CommandLine cl = spec.commandLine();
        dataOptions.validate(cl);
        dataOptions.checkHostSize(cl);
        training.validate(cl);
        Dataset host = dataOptions.generated() ? null : dataOptions.loadHost(training.seed, cl.getErr());
        int d = host != null ? host.features() : dataOptions.trueWeights().length;
        TrainConfig config = training.config(cl, host != null ? host.samples() : dataOptions.samples, d, false);

        TrainResult gpu;
        String device;
        try (GpuSession session = GpuSession.open(training.device)) {
            device = session.device().name();
            long n = host != null ? host.samples() : dataOptions.samples;
            Strategy strategy = StrategyPolicies.of(training.strategy, CostModel.load(device), session.strategies())
                    .choose(n, d, config.batchSize());
            String notice = StrategyPolicies.notice(training.strategy, session.strategies(), strategy);
            if (notice != null) {
                cl.getErr().println(notice);
            }
            session.checkMemory(n, d, host != null && host.weighted(), config, host == null, strategy);
            DeviceDataset onDevice;
            if (host == null) {
                onDevice = session.generate(n, dataOptions.trueWeights(), dataOptions.trueB, training.seed);
                host = onDevice.toHost();
            } else {
                onDevice = session.upload(host);
            }
            gpu = session.train(onDevice, config, (e, loss, mae, s) -> { }, strategy);
        }
        TrainResult cpu = Engines.cpu().train(host, config);
        Agreement.Verdict verdict = Agreement.verdict(host, config, cpu, gpu);

        PrintWriter out = cl.getOut();
        out.println(json ? json(host, config, device, cpu, gpu, verdict) : table(host, device, cpu, gpu, verdict));
        out.flush();
        return verdict.agree() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** Median seconds of an epoch: robust to the first epoch's warm-up. */
    static double epochSeconds(TrainResult r) {
        if (r.epochs() == 0) {
            return 0;
        }
        double[] s = r.epochSeconds().clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String table(Dataset data, String device, TrainResult cpu, TrainResult gpu, Agreement.Verdict v) {
        List<String> lines = new ArrayList<>();
        lines.add(Words.count(data.samples(), "sample") + " × " + Words.count(data.features(), "feature") + ", " + data.source()
                + (data.weighted() ? ", weighted by " + data.weights().origin() : ""));
        for (TrainResult r : new TrainResult[] {cpu, gpu}) {
            double s = epochSeconds(r);
            lines.add(r.engine() + ": " + r.detail());
            lines.add(String.format(Locale.ROOT, "    %.6g s/epoch (median), %.4g samples/s, %.2f× the CPU's speed; w %s, b %s",
                    s, s > 0 ? data.samples() / s : 0.0, s > 0 ? epochSeconds(cpu) / s : 0.0, Arrays.toString(r.w()), r.b()));
        }
        Agreement.Difference d = v.difference();
        lines.add(String.format(Locale.ROOT, "parameters: %s (max |Δw| = %.3g, |Δb| = %.3g)",
                d.parametersIdentical() ? "bit-identical" : "DIFFERENT", d.maxAbsDw(), d.absDb()));
        if (v.worstEpoch() >= 0) {
            lines.add(String.format(Locale.ROOT,
                    "epoch losses: largest relative difference %.3g (epoch %03d, whose rounding bound is %.3g)",
                    d.epochLossRelative()[v.worstEpoch()], v.worstEpoch(), v.lossTolerance()[v.worstEpoch()]));
        }
        lines.add("on " + device + ": " + (d.bitIdentical() ? "bit-identical to the CPU engine"
                : v.agree() ? "agrees with the CPU engine: same parameters, losses within float32 rounding"
                : "DIFFERS from the CPU engine"));
        return String.join(System.lineSeparator(), lines);
    }

    private static String json(Dataset data, TrainConfig config, String device, TrainResult cpu, TrainResult gpu,
            Agreement.Verdict v) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("n", data.samples());
        o.put("d", data.features());
        o.put("weights", data.weighted() ? data.weights().origin() : null);
        o.putAll(TrainingCodec.write(config, data.features()));
        o.put("device", device);
        List<Map<String, Object>> engines = new ArrayList<>();
        for (TrainResult r : new TrainResult[] {cpu, gpu}) {
            Map<String, Object> e = new LinkedHashMap<>();
            double s = epochSeconds(r);
            e.put("engine", r.engine());
            e.put("detail", r.detail());
            e.put("seconds_per_epoch", s);
            e.put("samples_per_second", s > 0 ? data.samples() / s : null);
            e.put("speedup_vs_cpu", s > 0 ? epochSeconds(cpu) / s : null);
            e.put("w", r.w());
            e.put("b", r.b());
            e.put("epoch_loss", r.epochLoss());
            engines.add(e);
        }
        o.put("engines", engines);
        o.put("max_abs_dw", v.difference().maxAbsDw());
        o.put("abs_db", v.difference().absDb());
        o.put("parameters_identical", v.difference().parametersIdentical());
        o.put("epoch_loss_relative_difference", v.difference().epochLossRelative());
        o.put("epoch_loss_relative_tolerance", v.lossTolerance());
        o.put("bit_identical", v.difference().bitIdentical());
        o.put("agree", v.agree());
        return Json.object(o);
    }
}
