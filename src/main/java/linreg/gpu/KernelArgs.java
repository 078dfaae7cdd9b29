package linreg.gpu;

import java.util.List;
import java.util.Locale;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * One launch's arguments, given by parameter name and checked against the kernel's
 * {@link KernelSignature}: each parameter exactly once, in its declared kind. A slip (a name the
 * kernel lacks, a wrong kind, a parameter given twice or left out) throws, naming kernel and
 * parameter, before anything is launched.
 */
public final class KernelArgs {
    private final KernelSignature kernel;
    private final Pointer[] values;

    KernelArgs(KernelSignature kernel) {
        this.kernel = kernel;
        this.values = new Pointer[kernel.params().size()];
    }

    public KernelSignature kernel() {
        return kernel;
    }

    /** A device pointer; null passes the null pointer (the kernels' "absent"). */
    public KernelArgs pointer(String name, Pointer devicePointer) {
        return set(name, KernelSignature.Kind.POINTER, Pointer.to(devicePointer != null ? devicePointer : new CUdeviceptr()));
    }

    public KernelArgs intValue(String name, int value) {
        return set(name, KernelSignature.Kind.INT, Pointer.to(new int[] {value}));
    }

    /** An int parameter used as a flag: 1 or 0. */
    public KernelArgs flag(String name, boolean value) {
        return intValue(name, value ? 1 : 0);
    }

    /** An {@code unsigned} parameter, its 32 bits as given. */
    public KernelArgs unsignedValue(String name, int bits) {
        return set(name, KernelSignature.Kind.UNSIGNED, Pointer.to(new int[] {bits}));
    }

    /** An {@code unsigned long long} parameter, its 64 bits as given. */
    public KernelArgs unsignedLong(String name, long bits) {
        return set(name, KernelSignature.Kind.UNSIGNED_LONG_LONG, Pointer.to(new long[] {bits}));
    }

    public KernelArgs floatValue(String name, float value) {
        return set(name, KernelSignature.Kind.FLOAT, Pointer.to(new float[] {value}));
    }

    private KernelArgs set(String name, KernelSignature.Kind kind, Pointer value) {
        List<KernelSignature.Param> params = kernel.params();
        for (int i = 0; i < params.size(); i++) {
            KernelSignature.Param p = params.get(i);
            if (!p.name().equals(name)) {
                continue;
            }
            if (p.kind() != kind) {
                throw new IllegalArgumentException("kernel " + kernel + ": parameter " + name + " is " + p.cType()
                        + ", given as " + kind.name().toLowerCase(Locale.ROOT));
            }
            if (values[i] != null) {
                throw new IllegalArgumentException("kernel " + kernel + ": parameter " + name + " given twice");
            }
            values[i] = value;
            return this;
        }
        throw new IllegalArgumentException("kernel " + kernel + " has no parameter " + name);
    }

    /** The kernel parameters in declaration order, as cuLaunchKernel takes them. */
    Pointer kernelParams() {
        List<KernelSignature.Param> params = kernel.params();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalStateException("kernel " + kernel + ": parameter " + params.get(i).name() + " not given");
            }
        }
        return Pointer.to(values);
    }
}
