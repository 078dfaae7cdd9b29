package linreg.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasStatus;
import jcuda.jcurand.JCurand;
import jcuda.libraryPropertyType;

/**
 * Whether each JCuda binding, and so the CUDA library it links against, loads in this JVM:
 * libJCudaDriver needs libcuda.so.1 (the driver), libJCurand libcurand.so.10 and libJCublas2
 * libcublas.so.11 (CUDA 11 only: a CUDA 12/13 host needs a libcublas.so.11 that forwards to its
 * cuBLAS, built by {@code make cublas-shim}). Each answer is worked out once; a binding whose
 * class failed to initialise cannot be retried.
 */
public final class NativeLibraries {
    /** One library: whether its binding loaded, and the resolved path or the loader's message. */
    public record Load(String library, boolean loaded, String detail) {
        @Override
        public String toString() {
            return library + ": " + (loaded ? "loaded from " + detail : "not loaded: " + detail);
        }
    }

    private static Load driver;
    private static Load curand;
    private static Load cublas;

    private NativeLibraries() {}

    /** libcuda.so.1, through JCuda's driver binding. */
    public static synchronized Load driver() {
        if (driver == null) {
            driver = load("libcuda.so.1", () -> {
                JCudaDriver.setExceptionsEnabled(false);
                int[] version = {0};
                return JCudaDriver.cuDriverGetVersion(version);
            });
        }
        return driver;
    }

    /** libcurand.so.10, through JCurand. */
    public static synchronized Load curand() {
        if (curand == null) {
            curand = load("libcurand.so.10", () -> {
                JCurand.initialize();
                return 0;
            });
        }
        return curand;
    }

    /**
     * libcublas.so.11, through JCublas2; loaded only if it also tells its version (detail: "PATH
     * (cuBLAS 13.0.2)"), which a forwarding libcublas.so.11 that found no cuBLAS cannot.
     */
    public static synchronized Load cublas() {
        if (cublas == null) {
            Load load = load("libcublas.so.11", () -> {
                JCublas2.setExceptionsEnabled(false);
                JCublas2.initialize();
                return 0;
            });
            cublas = load.loaded() ? withCublasVersion(load) : load;
        }
        return cublas;
    }

    private static Load withCublasVersion(Load load) {
        int[] version = new int[3];
        int[] types = {libraryPropertyType.MAJOR_VERSION, libraryPropertyType.MINOR_VERSION,
            libraryPropertyType.PATCH_LEVEL};
        for (int i = 0; i < types.length; i++) {
            int[] value = {0};
            int status = JCublas2.cublasGetProperty(types[i], value);
            if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                return new Load(load.library(), false, "the loader found " + load.detail()
                        + ", but its cublasGetProperty returns " + cublasStatus.stringFor(status)
                        + " (a forwarding libcublas.so.11 with no cuBLAS 12 or 13 behind it?)");
            }
            version[i] = value[0];
        }
        return new Load(load.library(), true,
                load.detail() + " (cuBLAS " + version[0] + "." + version[1] + "." + version[2] + ")");
    }

    private static Load load(String library, IntSupplier firstCall) {
        try {
            firstCall.getAsInt();
        } catch (Throwable t) {
            String detail = describe(t);
            return new Load(library, false, detail.startsWith(library + ": ") ? detail.substring(library.length() + 2) : detail);
        }
        return new Load(library, true, mappedPath(library));
    }

    /**
     * One line for JCuda's long loading error: the linker's own message from its last attempt,
     * such as "libcuda.so.1: cannot open shared object file: No such file or directory".
     */
    static String describe(Throwable t) {
        String message = String.valueOf(t.getMessage());
        String linker = null;
        for (String line : message.split("\n")) {
            int at = line.indexOf("UnsatisfiedLinkError: ");
            if (at >= 0) {
                linker = line.substring(at + "UnsatisfiedLinkError: ".length()).strip();
            }
        }
        if (linker == null) {
            linker = message.lines().findFirst().orElse(t.getClass().getSimpleName()).strip();
        }
        // The extracted binding's own path says nothing useful; keep what the loader said.
        int colon = linker.indexOf(".so: ");
        return colon >= 0 && linker.startsWith("/") ? linker.substring(colon + 5) : linker;
    }

    /**
     * The file the dynamic loader mapped for {@code library}, read from /proc/self/maps: one named
     * like it (libcublas.so.11.11.3.6), else one with its stem (libcuda.so.535.104.05), so that a
     * forwarding libcublas.so.11 is named rather than the libcublas.so.13 it forwards to.
     */
    static String mappedPath(String library) {
        String stem = library.substring(0, library.indexOf(".so") + 3);
        List<String> paths = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0) {
                    paths.add(line.substring(slash));
                }
            }
        } catch (IOException e) {
            return "(path unknown: " + e.getMessage() + ")";
        }
        for (String prefix : new String[] {library, stem}) {
            for (String path : paths) {
                if (path.substring(path.lastIndexOf('/') + 1).startsWith(prefix)) {
                    return path;
                }
            }
        }
        return "(path unknown)";
    }
}
