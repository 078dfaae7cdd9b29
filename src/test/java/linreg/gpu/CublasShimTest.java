package linreg.gpu;

import static linreg.gpu.PtxResourcesTest.projectRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * native/cublas-shim, the libcublas.so.11 that `make cublas-shim` builds for CUDA 12/13 hosts,
 * against a fake libcublas.so.13 (no GPU, no real cuBLAS): JCuda's cuBLAS binding loads through it
 * and its calls reach the target's functions with every argument intact.
 */
class CublasShimTest {
    private static final String CUBLAS_LOADED_THROUGH_THE_SHIM = "libcublas.so.11: loaded from ";

    /** symbols.txt is exactly what libJCublas2 and libJCublas 11.8.0 import from cuBLAS. */
    @Test
    void theShimExportsWhatJcudasCublasNativesImport(@TempDir Path tmp) throws Exception {
        TreeSet<String> imported = new TreeSet<>();
        for (String lib : List.of("libJCublas2-11.8.0-linux-x86_64.so", "libJCublas-11.8.0-linux-x86_64.so")) {
            Path file = tmp.resolve(lib);
            try (InputStream in = CublasShimTest.class.getResourceAsStream("/lib/" + lib)) {
                assertTrue(in != null, lib + " is not in the jcublas-natives jar on the class path");
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            DriverSymbols.read(file).imported().stream().filter(s -> s.startsWith("cublas")).forEach(imported::add);
        }
        List<String> listed = Files.readAllLines(projectRoot().resolve("native/cublas-shim/symbols.txt"));
        assertEquals(List.copyOf(imported), listed, "native/cublas-shim/symbols.txt");
    }

    @Test
    void jcublasLoadsThroughTheShimAndItsCallsReachTheHostsCublas() throws Exception {
        FakeCuda.Result r = FakeCuda.java(Map.of("LD_LIBRARY_PATH", FakeCuda.path("shim", "cublas13")),
                FakeCudaChild.class.getName(), "cublas", "calls");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(CUBLAS_LOADED_THROUGH_THE_SHIM + FakeCuda.dir().resolve("shim/libcublas.so.11") + " (cuBLAS 13.0.0)",
                "cublasCreate 0", "cublasGetVersion 0 130000", "cublasSgemv 0 [17.0, 40.0]", "cublasDestroy 0"),
                r.out().lines().toList());
    }

    @Test
    void cublasShimTargetNamesTheCublasToForwardTo() throws Exception {
        FakeCuda.Result r = FakeCuda.java(Map.of("LD_LIBRARY_PATH", FakeCuda.path("shim"),
                "CUBLAS_SHIM_TARGET", FakeCuda.dir().resolve("cublas13/libcublas.so.13").toString()),
                FakeCudaChild.class.getName(), "cublas", "calls");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(cuBLAS 13.0.0)") && r.out().contains("cublasSgemv 0 [17.0, 40.0]"), r.out());
    }

    /** A shim with nothing to forward to loads, but the probe sees that it does not answer. */
    @Test
    void aShimWithNoCublasBehindItIsNotUsable() throws Exception {
        FakeCuda.Result r = FakeCuda.java(Map.of("LD_LIBRARY_PATH", FakeCuda.path("shim"),
                "CUBLAS_SHIM_TARGET", "/nonexistent/libcublas.so.13"), FakeCudaChild.class.getName(), "cublas");
        assertEquals(0, r.code(), r.err());
        assertEquals("libcublas.so.11: not loaded: the loader found " + FakeCuda.dir().resolve("shim/libcublas.so.11")
                + ", but its cublasGetProperty returns CUBLAS_STATUS_NOT_SUPPORTED (a forwarding libcublas.so.11 with no"
                + " cuBLAS 12 or 13 behind it?)", r.out().strip());
        assertTrue(r.err().contains("cublas-shim: no cuBLAS to forward to (CUBLAS_SHIM_TARGET does not load"), r.err());
    }

    /** Why the shim exists: libcublas.so.13 defines version node libcublas.so.13, not .11. */
    @Test
    void aSymlinkToLibcublas13IsNotEnough() throws Exception {
        FakeCuda.Result r = FakeCuda.java(Map.of("LD_LIBRARY_PATH", FakeCuda.path("symlink")),
                FakeCudaChild.class.getName(), "cublas");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("libcublas.so.11: not loaded: ") && r.out().contains("version `libcublas.so.11' not found"),
                r.out());
    }
}
