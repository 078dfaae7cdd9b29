package linreg.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import linreg.bench.CostModel;
import linreg.engine.StrategyPolicies;
import linreg.gpu.DeviceInfo;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuReport;
import linreg.gpu.NativeLibraries;
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

    @Option(names = "--json", description = "One JSON object on stdout instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        GpuReport.Result gpu = GpuReport.gather(device);
        StrategySupport strategies = gpu.strategies();
        boolean usable = strategies.unusableReason() == null;
        if (json) {
            out.println(Json.object(jsonReport(gpu)));
            out.flush();
            return ExitCode.OK;
        }
        out.println(new Main.Version().getVersion()[0] + "; JCuda " + jcudaVersion());
        out.println("CPU: " + Runtime.getRuntime().availableProcessors() + " cores, Java heap up to "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        gpu.lines().forEach(out::println);
        out.println("engine cpu: usable");
        out.println("engine gpu: " + (usable ? "usable on GPU " + device + " (" + gpuName() + ")"
                : "not usable: " + strategies.unusableReason()));
        for (Strategy s : Strategy.values()) {
            out.println("strategy " + s + ": " + (strategyReason(strategies, s) == null ? "available"
                    : "unavailable: " + strategyReason(strategies, s)));
        }
        out.println(costModelLine(strategies));
        if (!usable) {
            out.println("no GPU: `--engine auto` trains on the CPU");
        }
        out.flush();
        return ExitCode.OK;
    }

    /** Why strategy {@code s} cannot run, or null. */
    private static String strategyReason(StrategySupport strategies, Strategy s) {
        String why = strategies.reason(s);
        return why == null ? null : strategies.unusableReason() == null ? why : "no usable GPU";
    }

    /** The same facts as the text, as fields: null where a thing is fine or unknown. */
    private Map<String, Object> jsonReport(GpuReport.Result gpu) {
        StrategySupport strategies = gpu.strategies();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", new Main.Version().getVersion()[0]);
        r.put("jcuda", jcudaVersion());
        r.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        r.put("java_heap_max_bytes", Runtime.getRuntime().maxMemory());
        r.put("driver_cuda_version", gpu.driver().driverVersion() > 0 ? gpu.driver().versionText() : null);
        r.put("gpu_problem", gpu.driver().problem());
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceInfo d : gpu.driver().devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ordinal", d.ordinal());
            m.put("name", d.name());
            m.put("compute_capability", d.computeMajor() + "." + d.computeMinor());
            m.put("multiprocessors", d.multiprocessors());
            m.put("memory_bytes", d.totalBytes());
            m.put("cooperative_launch", d.cooperativeLaunch());
            m.put("ptx", gpu.ptx().get(d.ordinal()));
            devices.add(m);
        }
        r.put("gpus", devices);
        Map<String, Object> libraries = new LinkedHashMap<>();
        for (NativeLibraries.Load load : List.of(gpu.driverLibrary(), gpu.curand(), gpu.cublas())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loaded", load.loaded());
            m.put("detail", load.detail());  // the path, or the loader's message
            libraries.put(load.library(), m);
        }
        r.put("libraries", libraries);
        r.put("gpu_unusable_reason", strategies.unusableReason());
        Map<String, Object> perStrategy = new LinkedHashMap<>();
        for (Strategy s : Strategy.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("available", strategyReason(strategies, s) == null);
            m.put("reason", strategyReason(strategies, s));
            perStrategy.put(s.name(), m);
        }
        r.put("strategies", perStrategy);
        r.put("cost_model", costModelLine(strategies));
        return r;
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
