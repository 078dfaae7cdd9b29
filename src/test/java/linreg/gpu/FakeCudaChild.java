package linreg.gpu;

import java.util.Arrays;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.Seeds;

/**
 * What {@link CublasShimTest} and {@link DeviceDataOnFakeCudaTest} run in a child JVM on the fake
 * CUDA libraries ({@link FakeCuda}); one line per finding on stdout.
 *
 * <pre>
 *   cublas          how libcublas.so.11 loads ({@link NativeLibraries#cublas})
 *   cublas calls    the same, then cublasCreate, cublasGetVersion, cublasSgemv, cublasDestroy
 *   data N D SEED   draws N×D samples on the "GPU" and checks them against the fake cuRAND's
 *                   draws and DeviceDataGenerator.target, bit for bit (exit 1 on a difference)
 * </pre>
 */
public final class FakeCudaChild {
    private FakeCudaChild() {}

    public static void main(String[] args) {
        if (args[0].equals("cublas")) {
            cublas(args.length > 1 && args[1].equals("calls"));
        } else {
            System.exit(data(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3])) ? 0 : 1);
        }
    }

    private static void cublas(boolean calls) {
        System.out.println(NativeLibraries.cublas());
        if (!calls) {
            return;
        }
        cublasHandle handle = new cublasHandle();
        System.out.println("cublasCreate " + JCublas2.cublasCreate(handle));
        int[] version = {0};
        System.out.println("cublasGetVersion " + JCublas2.cublasGetVersion(handle, version) + " " + version[0]);
        // y = 2·Aᵀx + 0.5·y, A column-major 3×2 with lda 4, x with stride 2: twelve arguments, six
        // of them on the stack, where the shim's tail jump must leave them. The fake computes on
        // "device" pointers that are native host memory.
        HostFloats a = new HostFloats(1, 2, 3, -99, 4, 5, 6, -99);
        HostFloats x = new HostFloats(1, -7, 1, -7, 1, -7);
        HostFloats y = new HostFloats(10, 20);
        int status = JCublas2.cublasSgemv(handle, cublasOperation.CUBLAS_OP_T, 3, 2, Pointer.to(new float[] {2f}),
                a, 4, x, 2, Pointer.to(new float[] {0.5f}), y, 1);
        System.out.println("cublasSgemv " + status + " " + Arrays.toString(y.read()));
        System.out.println("cublasDestroy " + JCublas2.cublasDestroy(handle));
    }

    /** Floats in native host memory, passed where cuBLAS wants device pointers. */
    private static final class HostFloats extends Pointer {
        private static final sun.misc.Unsafe UNSAFE = unsafe();
        private final long address;
        private final int count;

        HostFloats(float... values) {
            this(UNSAFE.allocateMemory(4L * values.length), values);
        }

        private HostFloats(long address, float[] values) {
            super(address);
            this.address = address;
            this.count = values.length;
            for (int i = 0; i < values.length; i++) {
                UNSAFE.putFloat(address + 4L * i, values[i]);
            }
        }

        float[] read() {
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                v[i] = UNSAFE.getFloat(address + 4L * i);
            }
            return v;
        }

        private static sun.misc.Unsafe unsafe() {
            try {
                java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean data(int n, int d, long seed) {
        float[] w = SyntheticData.trueW(d);
        float b = 0.7f;
        Dataset data;
        try (GpuSession session = GpuSession.open(0)) {
            data = session.generate(n, w, b, seed).toHost();
        }
        long stream = Seeds.stream(seed, Seeds.GPU_DATA);
        long noiseFrom = ((long) n * d + 1) & ~1L;  // cuRAND's draws come in even counts: X's, then the noise
        for (int i = 0; i < n * d; i++) {
            if (Float.floatToRawIntBits(data.x()[i]) != Float.floatToRawIntBits(FakeCuda.draw(stream, i))) {
                System.out.println("X[" + i + "] = " + data.x()[i] + ", the fake cuRAND drew " + FakeCuda.draw(stream, i));
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            float want = DeviceDataGenerator.target(data.x(), i, w, b, (float) SyntheticData.NOISE_STD,
                    FakeCuda.draw(stream, noiseFrom + i));
            if (Float.floatToRawIntBits(data.y()[i]) != Float.floatToRawIntBits(want)) {
                System.out.println("y[" + i + "] = " + data.y()[i] + ", DeviceDataGenerator.target gives " + want);
                return false;
            }
        }
        System.out.println("data ok: " + n + " × " + d);
        return true;
    }
}
