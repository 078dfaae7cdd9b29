package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import linreg.bench.CostModel;
import linreg.gpu.FakeCuda;
import linreg.gpu.StrategySupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where users are: `linreg` in its own JVM on fake CUDA libraries laid out as on a CUDA 12/13
 * workstation (a driver with one GPU of compute capability 9.0, libcurand.so.10, libcublas.so.13),
 * with and without a loadable libcublas.so.11. What doctor says per strategy, what auto picks,
 * what the notice says, and that an explicit pipeline without cuBLAS 11 is exit 3 with the fix.
 * The fake driver runs no training kernel, so losses read 0; the choice is what is tested here.
 */
class CudaHostsTest {
    private static final String PIPELINE_UNAVAILABLE = "strategy pipeline is unavailable: cuBLAS's libcublas.so.11 does"
            + " not load: cannot open shared object file: No such file or directory; fix: " + StrategySupport.CUBLAS_FIX;

    private static Map<String, String> cuda13(String... more) throws Exception {
        String[] folders = new String[more.length + 2];
        System.arraycopy(more, 0, folders, 0, more.length);
        folders[more.length] = "driver";
        folders[more.length + 1] = "curand";
        return Map.of("LD_LIBRARY_PATH", FakeCuda.path(folders), "FAKE_CUDA_TRACE", "1", "FAKE_CUBLAS_TRACE", "1");
    }

    /** doctor's lines, after checking that no libcublas.so.11 of this host's own gets in the way. */
    private static List<String> doctor(Map<String, String> env, boolean withShim) throws Exception {
        FakeCuda.Result r = FakeCuda.linreg(env, "doctor");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        String cublas = lines.stream().filter(l -> l.startsWith("libcublas.so.11: ")).findFirst().orElseThrow();
        Assumptions.assumeTrue(withShim || !cublas.contains("loaded from"),
                "this host has a libcublas.so.11 of its own (" + cublas + "); a host without one cannot be staged here");
        return lines;
    }

    @Test
    void withoutCublas11TheFusedStrategyRunsAndThePipelineSaysHowToGetIt() throws Exception {
        Map<String, String> env = cuda13();
        List<String> doctor = doctor(env, false);
        assertTrue(doctor.contains("GPU 0: Fake GPU, compute capability 9.0, 4 SMs, 8.0 GiB, cooperative launch yes"), doctor.toString());
        assertTrue(doctor.contains("libcublas.so.11: not loaded: cannot open shared object file: No such file or directory"),
                doctor.toString());
        assertTrue(doctor.contains("engine gpu: usable on GPU 0 (Fake GPU)"), doctor.toString());
        assertTrue(doctor.contains("strategy pipeline: unavailable: " + PIPELINE_UNAVAILABLE.substring(PIPELINE_UNAVAILABLE.indexOf("cuBLAS's"))),
                doctor.toString());
        assertTrue(doctor.contains("strategy fused: available"), doctor.toString());
        assertTrue(doctor.stream().anyMatch(l -> l.startsWith("cost model (") && !l.contains("gpu/pipeline")
                && l.contains("--engine auto trains on the GPU with fused")), doctor.toString());

        FakeCuda.Result train = FakeCuda.linreg(env, "train", "--epochs", "2");
        assertEquals(0, train.code(), train.err());
        List<String> err = train.err().lines().toList();
        assertEquals("linreg: the GPU runs strategy fused; " + PIPELINE_UNAVAILABLE, err.get(0));
        assertTrue(err.contains("fake cuda: launch finish_targets") && err.contains("fake cuda: launch fused_epoch_warp4"),
                train.err());
        assertTrue(train.out().contains("engine: gpu (fused, one warp on Fake GPU)"), train.out());

        FakeCuda.Result quiet = FakeCuda.linreg(env, "train", "--epochs", "2", "--quiet");
        assertEquals(0, quiet.code(), quiet.err());
        assertFalse(quiet.err().contains("linreg:"), quiet.err());

        FakeCuda.Result pipeline = FakeCuda.linreg(env, "train", "--strategy", "pipeline");
        assertEquals(3, pipeline.code(), pipeline.err());
        assertEquals(List.of("linreg train: " + PIPELINE_UNAVAILABLE), pipeline.err().lines().toList());

        // No epochs: the fake runs no training kernel, so that both engines keep the start, as they must.
        FakeCuda.Result compare = FakeCuda.linreg(env, "compare", "--epochs", "0");
        assertEquals(0, compare.code(), compare.out() + compare.err());
        assertEquals("linreg: the GPU runs strategy fused; " + PIPELINE_UNAVAILABLE, compare.err().lines().findFirst().orElse(""));
        assertTrue(compare.out().contains("gpu: fused, one warp on Fake GPU"), compare.out());
    }

    @Test
    void withTheShimThePipelineRunsThroughTheHostsCublas13() throws Exception {
        Map<String, String> env = cuda13("shim", "cublas13");
        List<String> doctor = doctor(env, true);
        assertTrue(doctor.contains("libcublas.so.11: loaded from " + FakeCuda.dir().resolve("shim/libcublas.so.11")
                + " (cuBLAS 13.0.0)"), doctor.toString());
        assertTrue(doctor.contains("strategy pipeline: available") && doctor.contains("strategy fused: available"),
                doctor.toString());

        FakeCuda.Result pipeline = FakeCuda.linreg(env, "train", "--strategy", "pipeline", "--epochs", "2", "--quiet");
        assertEquals(0, pipeline.code(), pipeline.err());
        assertTrue(pipeline.out().contains("engine: gpu (pipeline on Fake GPU"), pipeline.out());
        assertTrue(pipeline.err().contains("fake cublas: cublasCreate"), pipeline.err());

        // Fused never touches cuBLAS, even where it loads.
        FakeCuda.Result fused = FakeCuda.linreg(env, "train", "--strategy", "fused", "--epochs", "2", "--quiet");
        assertEquals(0, fused.code(), fused.err());
        assertFalse(fused.err().contains("fake cublas"), fused.err());
    }

    /** A cost model (as `linreg bench` caches it for the GPU) that prefers the pipeline: auto takes it only where it can run. */
    @Test
    void autoNeverPicksAStrategyWhoseLibrariesDoNotLoad() throws Exception {
        Path cache = FakeCuda.dir().resolve("cache/linreg");
        CostModel.of(Map.of("cpu", new CostModel.Constants(1e-3, 0, 0, 0, "test"),
                "gpu/pipeline", new CostModel.Constants(1e-7, 0, 0, 0, "measured: test"),
                "gpu/fused", new CostModel.Constants(1e-5, 0, 0, 0, "measured: test")), "test")
                .save(cache, "Fake GPU", "CudaHostsTest", false);
        try {
            FakeCuda.Result with = FakeCuda.linreg(cuda13("shim", "cublas13"), "train", "--epochs", "1");
            assertEquals(0, with.code(), with.err());
            assertTrue(with.out().contains("engine: gpu (pipeline on Fake GPU"), with.out());
            assertFalse(with.err().contains("linreg:"), with.err());

            FakeCuda.Result without = FakeCuda.linreg(cuda13(), "train", "--epochs", "1");
            assertEquals(0, without.code(), without.err());
            assertTrue(without.out().contains("engine: gpu (fused"), without.out());
            assertTrue(without.err().startsWith("linreg: the GPU runs strategy fused; strategy pipeline is unavailable"),
                    without.err());
        } finally {
            java.nio.file.Files.deleteIfExists(CostModel.cacheFile(cache, "Fake GPU"));
        }
    }

    @Test
    void withoutCurandNoStrategyRunsAndAutoTrainsOnTheCpu() throws Exception {
        Map<String, String> env = Map.of("LD_LIBRARY_PATH", FakeCuda.path("driver"));
        List<String> doctor = doctor(env, false);
        String curand = doctor.stream().filter(l -> l.startsWith("libcurand.so.10: ")).findFirst().orElseThrow();
        Assumptions.assumeFalse(curand.contains("loaded from"), "this host has a libcurand.so.10 of its own (" + curand + ")");
        String reason = "cuRAND's libcurand.so.10 does not load: cannot open shared object file: No such file or directory";
        assertTrue(doctor.contains("engine gpu: not usable: " + reason), doctor.toString());
        assertTrue(doctor.contains("strategy pipeline: unavailable: no usable GPU")
                && doctor.contains("strategy fused: unavailable: no usable GPU"), doctor.toString());

        FakeCuda.Result train = FakeCuda.linreg(env, "train", "--epochs", "2");
        assertEquals(0, train.code(), train.err());
        assertEquals(List.of("linreg: no usable GPU (" + reason + "); training on the CPU"), train.err().lines().toList());
        assertTrue(train.out().contains("engine: cpu"), train.out());

        FakeCuda.Result gpu = FakeCuda.linreg(env, "train", "--engine", "gpu");
        assertEquals(3, gpu.code(), gpu.err());
        assertEquals(List.of("linreg train: no usable GPU: " + reason), gpu.err().lines().toList());
    }
}
