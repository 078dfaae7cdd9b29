package linreg.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import linreg.gpu.GpuReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code linreg doctor}: what this machine can run, and why not where it cannot. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Reports Java, JCuda, the NVIDIA driver, each GPU, the CUDA libraries, whether the",
            "PTX kernels compile on each GPU, and which engines can run. Exits 0 with or without a GPU."})
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
        out.println("engine cpu: usable");
        out.println("engine gpu: " + (gpu.unusableReason() == null
                ? "usable on GPU " + device + " (strategy pipeline)"
                : "not usable: " + gpu.unusableReason()));
        if (gpu.unusableReason() != null) {
            out.println("no GPU: `--engine auto` trains on the CPU");
        }
        out.flush();
        return ExitCode.OK;
    }

    private static String jcudaVersion() {
        try {
            return jcuda.JCudaVersion.get();
        } catch (LinkageError e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }
}
