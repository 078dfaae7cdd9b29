package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

/** The one declaration of the kernels' parameters against the .cu files, the launches' builder and the README. */
class KernelSignatureTest {
    private static final Pattern KERNEL = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?(\\w+)\\s*\\(([^)]*)\\)");

    /** Every extern "C" __global__ signature in kernels/*.cu, by kernel name, module and parameters. */
    static Map<String, List<String>> cuSignatures() throws IOException {
        Map<String, List<String>> kernels = new LinkedHashMap<>();
        for (String module : PtxResourcesTest.kernelSources()) {
            String text = Files.readString(PtxResourcesTest.kernelsDir().resolve(module + ".cu"), StandardCharsets.UTF_8)
                    .replaceAll("//[^\n]*", "");
            int declared = text.split("extern\\s+\"C\"\\s+__global__", -1).length - 1;
            Matcher m = KERNEL.matcher(text);
            int found = 0;
            while (m.find()) {
                found++;
                List<String> params = new ArrayList<>();
                params.add(module);
                for (String p : m.group(2).split(",")) {
                    params.add(normalise(p));
                }
                assertEquals(null, kernels.put(m.group(1), params), "kernel " + m.group(1) + " defined twice");
            }
            assertEquals(declared, found, module + ".cu: a kernel signature this test cannot read");
        }
        return kernels;
    }

    /** "const float* __restrict__ X" → "const float* X"; "unsigned int* c" → "unsigned* c". */
    static String normalise(String param) {
        String p = param.replace("__restrict__", " ").replace("*", "* ").replaceAll("\\s+", " ").strip()
                .replace(" *", "*").replace("unsigned int", "unsigned");
        return p;
    }

    private static List<String> declared(KernelSignature k) {
        List<String> params = new ArrayList<>();
        params.add(k.module);
        for (KernelSignature.Param p : k.params()) {
            params.add(p.cType() + " " + p.name());
        }
        return params;
    }

    @Test
    void theDeclarationsAreTheCuSignatures() throws IOException {
        Map<String, List<String>> cu = cuSignatures();
        for (KernelSignature k : KernelSignature.values()) {
            assertTrue(cu.containsKey(k.name()), "KernelSignature." + k + " is declared but no .cu file defines it");
            assertEquals(cu.get(k.name()), declared(k), k + ": module and parameters, in order");
        }
        for (String kernel : cu.keySet()) {
            assertTrue(List.of(KernelSignature.values()).stream().anyMatch(k -> k.name().equals(kernel)),
                    kernel + " (kernels/" + cu.get(kernel).get(0) + ".cu) has no KernelSignature");
        }
    }

    @Test
    void theParserReadsEveryShapeOfSignature() {
        Matcher m = KERNEL.matcher("extern \"C\" __global__ void __launch_bounds__(FUSED_THREADS)\n"
                + "k(const float* __restrict__ X, unsigned long long s,\n unsigned int* c, unsigned b) {");
        assertTrue(m.find());
        assertEquals("k", m.group(1));
        List<String> params = new ArrayList<>();
        for (String p : m.group(2).split(",")) {
            params.add(normalise(p));
        }
        assertEquals(List.of("const float* X", "unsigned long long s", "unsigned* c", "unsigned b"), params);
    }

    @Test
    void theReadmeTableIsCurrent() throws IOException {
        String readme = Files.readString(PtxResourcesTest.kernelsDir().resolve("README.md"), StandardCharsets.UTF_8);
        assertEquals(KernelReadme.withTable(readme), readme, "kernels/README.md's table is stale: run make kernel-readme");
        assertTrue(readme.contains("`" + KernelReadme.signature(KernelSignature.sgd_update) + "`"));
    }

    @Test
    void argumentsInDeclarationOrderWhateverOrderTheyAreGiven() {
        KernelArgs args = KernelSignature.permutation_indices.args().intValue("epoch", 7).unsignedLong("permSeed", -1L)
                .pointer("out", null).intValue("n", 3);
        assertEquals(4, KernelSignature.permutation_indices.params().size());
        args.kernelParams();  // complete: no throw
    }

    @Test
    void aSlipNamesKernelAndParameter() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> KernelSignature.sgd_update.args().floatValue("lossAbove", 1f));
        assertEquals("kernel sgd_update has no parameter lossAbove", unknown.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> KernelSignature.sgd_update.args().intValue("clipNorm", 1));
        assertEquals("kernel sgd_update: parameter clipNorm is float, given as int", kind.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> KernelSignature.sgd_update.args().intValue("d", 1).intValue("d", 2));
        assertEquals("kernel sgd_update: parameter d given twice", twice.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> KernelSignature.epoch_advance.args().pointer("records", new CUdeviceptr())
                        .pointer("epoch", new CUdeviceptr()).kernelParams());
        assertEquals("kernel epoch_advance: parameter validation not given", missing.getMessage());
        // The grid's extra parameters are not the block kernel's.
        assertThrows(IllegalArgumentException.class,
                () -> KernelSignature.fused_epoch_block.args().unsignedValue("barrierBase", 0));
        assertThrows(IllegalArgumentException.class,
                () -> KernelSignature.fused_epoch_warp4.args().pointer("scratch", null));
    }

    @Test
    void modulesAreLoadedInTheirOrder() {
        assertEquals(List.of("shuffle", "mae_gradient", "sgd_update", "data", "fused", "graph"),
                List.copyOf(KernelSignature.modules().keySet()));
        for (FusedShape shape : FusedShape.values()) {
            assertEquals(shape.kernel, shape.signature().name());
        }
    }
}
