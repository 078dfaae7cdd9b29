package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuLaunchCooperativeKernel;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * The project's PTX modules (src/main/resources/ptx/, built from kernels/*.cu by {@code make
 * ptx}), JIT-compiled by the driver for the GPU at hand, and their kernels.
 */
public final class Kernels implements AutoCloseable {
    /** The modules, by resource name, with the kernels each holds ({@link KernelSignature}'s grouping). */
    static final String[][] MODULES = KernelSignature.modules().entrySet().stream()
            .map(m -> Stream.concat(Stream.of(m.getKey()), m.getValue().stream().map(Enum::name)).toArray(String[]::new))
            .toArray(String[][]::new);

    private final CudaContext context;
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<KernelSignature, CUfunction> functions = new EnumMap<>(KernelSignature.class);

    private Kernels(CudaContext context) {
        this.context = context;
    }

    static Kernels load(CudaContext context) {
        Kernels k = new Kernels(context);
        try {
            for (Map.Entry<String, List<KernelSignature>> m : KernelSignature.modules().entrySet()) {
                CUmodule module = k.loadModule(m.getKey());
                for (KernelSignature kernel : m.getValue()) {
                    CUfunction function = new CUfunction();
                    Status.cuda(cuModuleGetFunction(function, module, kernel.name()), "cuModuleGetFunction(" + kernel + ")");
                    k.functions.put(kernel, function);
                }
            }
            return k;
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
    }

    private CUmodule loadModule(String name) {
        byte[] ptx = resource(name);
        CUmodule module = new CUmodule();
        int result = cuModuleLoadData(module, ptx);
        if (result != CUresult.CUDA_SUCCESS) {
            throw new GpuException("the driver could not JIT-compile ptx/" + name + ".ptx: " + CUresult.stringFor(result)
                    + (result == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION ? " (the driver is older than the PTX ISA)" : ""));
        }
        modules.add(module);
        return module;
    }

    /** The module's PTX text, NUL-terminated as cuModuleLoadData wants it. */
    static byte[] resource(String name) {
        try (InputStream in = Kernels.class.getResourceAsStream("/ptx/" + name + ".ptx")) {
            if (in == null) {
                throw new GpuException("ptx/" + name + ".ptx is missing from the jar; rebuild with make ptx");
            }
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new GpuException("reading ptx/" + name + ".ptx: " + e.getMessage());
        }
    }

    /** Launches the kernel of {@code args} on the context's stream. */
    void launch(KernelArgs args, int grid, int block) {
        launch(args, args.kernel().name(), grid, block);
    }

    /** The same, {@code what} naming the launch in an error. */
    void launch(KernelArgs args, String what, int grid, int block) {
        Pointer params = args.kernelParams();
        Status.cuda(cuLaunchKernel(function(args.kernel()), grid, 1, 1, block, 1, 1, 0, context.stream(), params, null),
                "launching " + what);
    }

    CUfunction function(KernelSignature kernel) {
        return functions.get(kernel);
    }

    /**
     * Launches the kernel of {@code args} cooperatively: every block resident at once, which the fused grid
     * kernel's barrier needs. Only after {@link DriverSymbols#missing} cleared
     * {@link DriverSymbols#COOPERATIVE}.
     *
     * @return false, having launched nothing, when the GPU cannot keep {@code grid} blocks resident
     *     now (other work on it); other failures throw
     */
    boolean launchCooperative(KernelArgs args, int grid, int block) {
        Pointer params = args.kernelParams();
        int result = cuLaunchCooperativeKernel(function(args.kernel()), grid, 1, 1, block, 1, 1, 0, context.stream(), params);
        if (result == CUresult.CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE) {
            return false;
        }
        Status.cuda(result, "launching " + args.kernel() + " cooperatively (" + grid + " blocks)");
        return true;
    }

    /** Blocks of {@code block} threads that one SM keeps resident (no dynamic shared memory). */
    int residentBlocksPerSm(KernelSignature kernel, int block) {
        int[] count = {0};
        Status.cuda(cuOccupancyMaxActiveBlocksPerMultiprocessor(count, function(kernel), block, 0),
                "cuOccupancyMaxActiveBlocksPerMultiprocessor");
        return count[0];
    }

    @Override
    public void close() {
        for (CUmodule module : modules) {
            cuModuleUnload(module);
        }
        modules.clear();
    }
}
