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
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * The project's PTX modules (src/main/resources/ptx/, built from kernels/*.cu by {@code make
 * ptx}), JIT-compiled by the driver for the GPU at hand, and their kernels.
 */
public final class Kernels implements AutoCloseable {
    /** The modules, by resource name, with the kernels each holds. */
    static final String[][] MODULES = {
        {"shuffle", "shuffle_gather", "permutation_indices", "shuffle_gather_indirect"},
        {"mae_gradient", "mae_gradient", "validation_sums"},
        {"sgd_update", "sgd_update", "sgd_update_indirect", "parameter_average"},
        {"data", "finish_targets"},
        {"fused", "fused_epoch_warp4", "fused_epoch_warp16", "fused_epoch_block", "fused_epoch_grid"},
        {"graph", "epoch_advance"},
    };

    private final CudaContext context;
    private final List<CUmodule> modules = new ArrayList<>();
    final CUfunction shuffleGather = new CUfunction();
    final CUfunction permutationIndices = new CUfunction();
    final CUfunction maeGradient = new CUfunction();
    final CUfunction validationSums = new CUfunction();
    final CUfunction sgdUpdate = new CUfunction();
    final CUfunction finishTargets = new CUfunction();
    final CUfunction shuffleGatherIndirect = new CUfunction();
    final CUfunction sgdUpdateIndirect = new CUfunction();
    final CUfunction parameterAverage = new CUfunction();
    final CUfunction epochAdvance = new CUfunction();
    private final CUfunction[] fused = {new CUfunction(), new CUfunction(), new CUfunction(), new CUfunction()};

    private Kernels(CudaContext context) {
        this.context = context;
    }

    static Kernels load(CudaContext context) {
        Kernels k = new Kernels(context);
        try {
            CUfunction[][] targets = {
                {k.shuffleGather, k.permutationIndices, k.shuffleGatherIndirect}, {k.maeGradient, k.validationSums},
                {k.sgdUpdate, k.sgdUpdateIndirect, k.parameterAverage}, {k.finishTargets}, k.fused, {k.epochAdvance},
            };
            for (int i = 0; i < MODULES.length; i++) {
                CUmodule module = k.loadModule(MODULES[i][0]);
                for (int f = 1; f < MODULES[i].length; f++) {
                    Status.cuda(cuModuleGetFunction(targets[i][f - 1], module, MODULES[i][f]),
                            "cuModuleGetFunction(" + MODULES[i][f] + ")");
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

    /** Launches {@code function} on the context's stream; {@code args} are the kernel's parameters. */
    void launch(CUfunction function, String name, int grid, int block, Pointer... args) {
        Status.cuda(cuLaunchKernel(function, grid, 1, 1, block, 1, 1, 0, context.stream(), Pointer.to(args), null),
                "launching " + name);
    }

    /** The fused strategy's kernel of that shape (the order of {@link FusedShape} is the module's). */
    CUfunction fused(FusedShape shape) {
        return fused[shape.ordinal()];
    }

    /**
     * Launches {@code function} cooperatively: every block resident at once, which the fused grid
     * kernel's barrier needs. Only after {@link DriverSymbols#missing} cleared
     * {@link DriverSymbols#COOPERATIVE}.
     *
     * @return false, having launched nothing, when the GPU cannot keep {@code grid} blocks resident
     *     now (other work on it); other failures throw
     */
    boolean launchCooperative(CUfunction function, String name, int grid, int block, Pointer... args) {
        int result = cuLaunchCooperativeKernel(function, grid, 1, 1, block, 1, 1, 0, context.stream(), Pointer.to(args));
        if (result == CUresult.CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE) {
            return false;
        }
        Status.cuda(result, "launching " + name + " cooperatively (" + grid + " blocks)");
        return true;
    }

    /** Blocks of {@code block} threads that one SM keeps resident (no dynamic shared memory). */
    int residentBlocksPerSm(CUfunction function, int block) {
        int[] count = {0};
        Status.cuda(cuOccupancyMaxActiveBlocksPerMultiprocessor(count, function, block, 0),
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
