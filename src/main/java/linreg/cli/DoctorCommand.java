package linreg.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import linreg.bench.CostModel;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuReport;
import linreg.gpu.Strategy;
import linreg.gpu.StrategySupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code linreg doctor}: what this machine can run, and why not where it cannot. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Reports the Java and JCuda versions, the NVIDIA driver, each GPU and which engines and GPU strategies can run.",
            "It also says whether the CUDA libraries load, whether the PTX kernels compile on each GPU, and how to get "
                    + "the strategies that cannot run. Exits 0 with or without a GPU."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "N", description = "GPU whose usability to judge (default: ${DEFAULT-VALUE}).")
    int device = 0;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(new Main.Version().getVersion()[0] + "; JCuda " + jcudaVersion());
        out.println("CPU: " + Runtime.getRuntime().availableProcessors() + " cores, Java heap up to "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        GpuReport.Result gpu = GpuReport.gather(device);
        gpu.lines().forEach(out::println);
        StrategySupport strategies = gpu.strategies();
        boolean usable = strategies.unusableReason() == null;
        out.println("engine cpu: usable");
        out.println("engine gpu: " + (usable ? "usable on GPU " + device + " (" + gpuName() + ")"
                : "not usable: " + strategies.unusableReason()));
        for (Strategy s : Strategy.values()) {
            String why = strategies.reason(s);
            out.println("strategy " + s + ": "
                    + (why == null ? "available" : "unavailable: " + (usable ? why : "no usable GPU")));
        }
        out.println(costModelLine(strategies));
        if (!usable) {
            out.println("no GPU: `--engine auto` trains on the CPU");
        }
        out.flush();
        return ExitCode.OK;
    }

    /** What the cost model predicts for the tutorial's problem, and so what auto would pick. */
    private String costModelLine(StrategySupport strategies) {
        boolean gpuUsable = strategies.unusableReason() == null;
        CostModel model = CostModel.load(gpuUsable ? gpuName() : null);
        List<String> candidates = CostModel.candidates(gpuUsable,
                strategies.available().stream().map(Strategy::name).toList());
        CostModel.Choice choice = model.choose(500, 4, 16, candidates);
        StringBuilder s = new StringBuilder("cost model (" + model.origin() + "), the tutorial's problem (n 500, d 4, batch 16):");
        for (String key : candidates) {
            CostModel.Constants k = model.constants().get(key);
            s.append(String.format(Locale.ROOT, " %s %.3g ms/epoch%s;", key, choice.seconds().get(key) * 1e3,
                    k != null && !k.measured() ? " (estimate, not measured)" : ""));
        }
        String best = choice.fastest();
        s.append(" fastest: ").append(best);
        if (gpuUsable) {
            String gpuBest = model.choose(500, 4, 16, StrategyPolicies.keys(strategies.available())).fastest();
            s.append("; --engine auto trains on the GPU with ").append(gpuBest.substring(4))
                    .append(best.equals("cpu") ? " (use --engine cpu for the predicted-faster CPU)" : "");
        }
        return s.toString();
    }

    private String gpuName() {
        return GpuProbe.driver().devices().get(device).name();
    }

    private static String jcudaVersion() {
        try {
            return jcuda.JCudaVersion.get();
        } catch (LinkageError e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }
}
