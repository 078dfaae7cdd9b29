package linreg.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import linreg.bench.CostModel;
import linreg.gpu.GpuTrainer;
import linreg.gpu.GpuUnavailableException;
import linreg.gpu.NativeLibraries.Load;
import linreg.gpu.Strategy;
import linreg.gpu.StrategySupport;
import linreg.gpu.StrategyUnavailableException;
import linreg.gpu.Streaming;
import linreg.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The engine and strategy a run gets, given which CUDA libraries load: auto picks among the
 * strategies that can run, never another; a fixed strategy that cannot run is exit 3 with the
 * fix; no usable strategy at all is the CPU with the one-line notice.
 */
class EngineChooserTest {
    private static final Load CURAND = new Load("libcurand.so.10", true, "/usr/lib/libcurand.so.10");
    private static final Load NO_CURAND = new Load("libcurand.so.10", false, "cannot open shared object file: No such file or directory");
    private static final Load CUBLAS = new Load("libcublas.so.11", true, "/opt/build/cublas-shim/libcublas.so.11 (cuBLAS 13.0.2)");
    private static final Load NO_CUBLAS = new Load("libcublas.so.11", false, "cannot open shared object file: No such file or directory");
    private static final String CUBLAS_REASON = "cuBLAS's libcublas.so.11 does not load: cannot open shared object file: "
            + "No such file or directory; fix: " + StrategySupport.CUBLAS_FIX;

    /** A model in which the pipeline is the fastest GPU strategy and the CPU far behind. */
    private static final CostModel PIPELINE_FASTEST = CostModel.of(Map.of(
            "cpu", new CostModel.Constants(1e-3, 0, 0, 0, "test"),
            "gpu/pipeline", new CostModel.Constants(1e-6, 0, 0, 0, "test"),
            "gpu/fused", new CostModel.Constants(1e-5, 0, 0, 0, "test")), "test");

    private final StringWriter err = new StringWriter();

    private Trainer choose(EngineChoice engine, StrategyChoice strategy, boolean quiet,
            StrategySupport support) {
        CostModel model = support.unusableReason() == null ? PIPELINE_FASTEST : null;
        EngineDecision decision = new EngineChooser(engine, strategy, 0, Streaming.auto).decide(support, model, 500, 4, 16);
        if (!quiet) {
            decision.notices().forEach(new PrintWriter(err, true)::println);
        }
        return decision.trainer();
    }

    private static Strategy strategyOf(Trainer t) {
        assertTrue(t instanceof GpuTrainer, t.name());
        return ((GpuTrainer) t).policy().choose(500, 4, 16);
    }

    @Test
    void withEveryLibraryAutoTakesTheCostModelsPickSilently() {
        Trainer t = choose(EngineChoice.auto, StrategyChoice.auto, false,
                StrategySupport.of(null, CURAND, CUBLAS));
        assertEquals(Strategy.pipeline, strategyOf(t));
        assertEquals("", err.toString());
    }

    @Test
    void withoutCublas11AutoRunsFusedAndSaysHowToGetThePipeline() {
        StrategySupport support = StrategySupport.of(null, CURAND, NO_CUBLAS);
        assertEquals(List.of(Strategy.fused), support.available());
        assertEquals(null, support.unusableReason());
        Trainer t = choose(EngineChoice.auto, StrategyChoice.auto, false, support);
        assertEquals(Strategy.fused, strategyOf(t));
        assertEquals("linreg: the GPU runs strategy fused; strategy pipeline is unavailable: " + CUBLAS_REASON + "\n",
                err.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void withoutCublas11QuietSaysNothing() {
        choose(EngineChoice.gpu, StrategyChoice.auto, true, StrategySupport.of(null, CURAND, NO_CUBLAS));
        assertEquals("", err.toString());
    }

    @Test
    void withoutCublas11AnExplicitPipelineIsRefusedWithTheFix() {
        StrategySupport support = StrategySupport.of(null, CURAND, NO_CUBLAS);
        for (EngineChoice engine : new EngineChoice[] {EngineChoice.auto,
            EngineChoice.gpu}) {
            StrategyUnavailableException e = assertThrows(StrategyUnavailableException.class,
                    () -> choose(engine, StrategyChoice.pipeline, false, support));
            assertEquals("strategy pipeline is unavailable: " + CUBLAS_REASON, e.getMessage());
        }
        // A fixed strategy that can run is not a choice auto made: no notice.
        assertEquals(Strategy.fused, strategyOf(choose(EngineChoice.gpu, StrategyChoice.fused,
                false, support)));
        assertEquals("", err.toString());
    }

    @Test
    void withoutCurandNoStrategyRunsSoAutoTrainsOnTheCpu() {
        StrategySupport support = StrategySupport.of(null, NO_CURAND, null);
        assertEquals(List.of(), support.available());
        Trainer t = choose(EngineChoice.auto, StrategyChoice.auto, false, support);
        assertEquals("cpu", t.name());
        assertEquals("linreg: no usable GPU (cuRAND's libcurand.so.10 does not load: cannot open shared object file: No such"
                + " file or directory); training on the CPU\n", err.toString().replace(System.lineSeparator(), "\n"));
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                () -> choose(EngineChoice.gpu, StrategyChoice.pipeline, false, support));
        assertEquals("cuRAND's libcurand.so.10 does not load: cannot open shared object file: No such file or directory",
                e.getMessage());
        assertTrue(!(e instanceof StrategyUnavailableException), "no GPU at all is not a strategy's problem");
    }

    @Test
    void aDeviceProblemIsEveryStrategysReason() {
        StrategySupport support = StrategySupport.of("the driver sees no CUDA device", null, null);
        for (Strategy s : Strategy.values()) {
            assertEquals("the driver sees no CUDA device", support.reason(s));
        }
        assertEquals("the driver sees no CUDA device", support.unusableReason());
    }

    @Test
    void theDecisionSaysWhy() {
        StrategySupport all = StrategySupport.of(null, CURAND, CUBLAS);
        assertEquals("GPU 0, strategy pipeline: the cost model (test) picks pipeline",
                new EngineChooser(EngineChoice.auto, StrategyChoice.auto, 0, Streaming.auto).decide(all, PIPELINE_FASTEST, 500, 4, 16).reason());
        assertEquals("GPU 0, strategy fused: --strategy fused",
                new EngineChooser(EngineChoice.gpu, StrategyChoice.fused, 0, Streaming.auto).decide(all, PIPELINE_FASTEST, 500, 4, 16).reason());
        EngineDecision cpu = new EngineChooser(EngineChoice.cpu, StrategyChoice.auto, 0, Streaming.auto).decide(500, 4, 16);
        assertEquals("--engine cpu", cpu.reason());
        assertEquals(List.of(), cpu.notices());
        assertEquals("no usable GPU (the driver sees no CUDA device)", new EngineChooser(EngineChoice.auto, StrategyChoice.auto, 0, Streaming.auto)
                .decide(StrategySupport.of("the driver sees no CUDA device", null, null), null, 500, 4, 16).reason());
    }
}
