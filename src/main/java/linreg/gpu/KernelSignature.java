package linreg.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kernel of kernels/*.cu, declared once: its module (the .cu file), its parameters in order
 * with their C types, and the launch shape and job the kernels' README lists. Launches build their
 * arguments from it ({@link KernelArgs}); KernelSignatureTest holds it against the .cu signatures,
 * and kernels/README.md's table is written from it ({@code make kernel-readme}). The constants are
 * the kernels' names in the PTX, grouped by module in the order {@link Kernels} loads them.
 */
public enum KernelSignature {
    shuffle_gather("shuffle", "any × any (256 is good), 0",
            "`Xs[p] = X[perm(p)]`, `ys[p] = y[perm(p)]`, `vs[p] = v[perm(p)]` (weights; `v` null: none) (§2): a thread per row for d < 32 (16-byte moves when d % 4 == 0), a warp per row above",
            "const float* X", "const float* y", "const float* v", "float* Xs", "float* ys", "float* vs", "int n", "int d",
            "unsigned long long permSeed", "int epoch"),
    permutation_indices("shuffle", "any × any, 0", "`out[p] = perm(p)`",
            "int* out", "int n", "unsigned long long permSeed", "int epoch"),
    shuffle_gather_indirect("shuffle", "as `shuffle_gather`",
            "`shuffle_gather` of epoch `firstEpoch + *epoch`, the number read from device memory (graph replay; `firstEpoch` of a continued run)",
            "const float* X", "const float* y", "const float* v", "float* Xs", "float* ys", "float* vs", "int n", "int d",
            "unsigned long long permSeed", "const unsigned* epoch", "int firstEpoch"),
    mae_gradient("mae_gradient", "ceil(m/1024) × 256 exactly, 0 (22 KiB static)",
            "`sums = [S, G_b, G_0..G_{d-1}]` of one batch under the loss (lossAbove, lossBelow) of `objective.cuh` (1, 1: the MAE) (§4); with weights `vb` (null: none) the weighted items and `V` last",
            "const float* pred", "const float* Xb", "const float* yb", "const float* vb", "const float* params", "int m", "int d",
            "float lossAbove", "float lossBelow", "float* segmentSums", "float* sums", "unsigned* counter"),
    validation_sums("mae_gradient", "ceil(m/1024) × 256 exactly, 0",
            "the hold-out's sums after an epoch: `out = [Σ|r|, Σ r·r]` at `params`, in the canonical order, each item times its weight `v` (null: none) (§6)",
            "const float* X", "const float* y", "const float* v", "const float* params", "int m", "int d", "float* segmentSums",
            "float* out", "unsigned* counter"),
    sgd_update("sgd_update", "1 × any, 0",
            "`p = fma(-lr, G/m, p)` after the L2 penalty, clipping and momentum, then the L1 soft-threshold (b untouched without an intercept), epoch sums in float64, `sums = 0` (§4, §6); `weighted`: G/V, no step for V = 0, ΣV into `epochStats[3]`",
            "float* params", "float* sums", "float* velocity", "int d", "int m", "float lr", "float momentum",
            "int nesterov", "float clipNorm", "int intercept", "float l2", "float l1", "int weighted", "double* epochStats"),
    sgd_update_indirect("sgd_update", "as `sgd_update`",
            "`sgd_update` with `lr = rates[*epoch]` and the sums into `records + 4·(*epoch)` (graph replay)",
            "float* params", "float* sums", "float* velocity", "int d", "int m", "const float* rates",
            "const unsigned* epoch", "float momentum", "int nesterov", "float clipNorm", "int intercept", "float l2",
            "float l1", "int weighted", "double* records"),
    parameter_average("sgd_update", "1 × any, 0",
            "`--average`: after each step from epoch `start` on, the running mean of `average.cuh`; before, while `*steps` is 0 (no mean carried in), `average = params` (§6)",
            "const float* params", "float* average", "int d", "int epoch", "const unsigned* epochInMemory", "int start",
            "unsigned long long* steps"),
    finish_targets("data", "any × any, 0",
            "`y_i = (x_i·w* + b*) + noiseStd·z_i` after cuRAND, the dot product as the residual's fma chain (§5); 64-bit row offsets",
            "float* y", "const float* X", "const float* trueW", "const float* noise", "int n", "int d", "float trueB",
            "float noiseStd"),
    fused_epoch_warp4("fused", "1 × 32, 0",
            "a whole epoch (strategy \"fused\"), batch ≤ 32, d ≤ 4; `v`: the sample weights (null: none); `averaging`: this epoch's steps update `average`, `averaged` steps came before",
            Fused.EPOCH),
    fused_epoch_warp16("fused", "1 × 32, 0", "the same, d ≤ 16", Fused.EPOCH),
    fused_epoch_block("fused", "1 × 256, 0 (34 KiB static)", "a whole epoch, any batch, any d",
            Fused.with("float* scratch")),
    fused_epoch_grid("fused", "cooperative G × 256, 0 (34 KiB static)",
            "a whole epoch, large batches; G ≤ resident blocks (occupancy × SMs)",
            Fused.with("float* scratch", "float* segmentTotals", "unsigned* barrier", "unsigned barrierBase")),
    epoch_advance("graph", "1 × 1, 0",
            "the graph's last node: copies the validation sums (A, B; may be null) into the epoch's record, `*epoch += 1`",
            "double* records", "const float* validation", "unsigned* epoch");

    /** A parameter's value as the launch passes it: a device pointer or a scalar of that width. */
    public enum Kind {
        POINTER, INT, UNSIGNED, UNSIGNED_LONG_LONG, FLOAT;

        static Kind of(String cType) {
            if (cType.endsWith("*")) {
                return POINTER;
            }
            return switch (cType) {
                case "int" -> INT;
                case "unsigned" -> UNSIGNED;
                case "unsigned long long" -> UNSIGNED_LONG_LONG;
                case "float" -> FLOAT;
                default -> throw new IllegalArgumentException("no kernel parameter type " + cType);
            };
        }
    }

    /** One parameter: its name in the .cu file and its C type ({@code unsigned int} written {@code unsigned}). */
    public record Param(String name, String cType) {
        public Kind kind() {
            return Kind.of(cType);
        }

        /** "const float* X" → ("X", "const float*"). */
        static Param parse(String declaration) {
            int split = Math.max(declaration.lastIndexOf(' '), declaration.lastIndexOf('*'));
            return new Param(declaration.substring(split + 1), declaration.substring(0, split + 1).strip());
        }
    }

    /** The fused shapes' shared parameters (kernels/fused.cu). */
    private static final class Fused {
        static final String[] EPOCH = {
            "const float* X", "const float* y", "const float* v", "int n", "int d", "int batch", "int shuffle",
            "unsigned long long permSeed", "int epoch", "float lr", "float momentum", "int nesterov", "float clipNorm",
            "int intercept", "float l2", "float l1", "float lossAbove", "float lossBelow", "float* average", "int averaging", "unsigned long long averaged",
            "float* params", "float* velocity", "double* record",
        };

        static String[] with(String... more) {
            List<String> all = new ArrayList<>(List.of(EPOCH));
            all.addAll(List.of(more));
            return all.toArray(String[]::new);
        }
    }

    /** The .cu file, without extension, and the PTX module's resource name. */
    public final String module;
    /** The launch shape: grid × block, dynamic shared memory. */
    public final String launch;
    /** What the kernel does, in the README's words. */
    public final String does;
    private final List<Param> params;

    KernelSignature(String module, String launch, String does, String... params) {
        this.module = module;
        this.launch = launch;
        this.does = does;
        this.params = params(params);
    }

    private static List<Param> params(String[] declarations) {
        List<Param> list = new ArrayList<>();
        for (String declaration : declarations) {
            Param p = Param.parse(declaration);
            p.kind();  // an unknown type fails at class initialisation
            list.add(p);
        }
        return List.copyOf(list);
    }

    public List<Param> params() {
        return params;
    }

    /** The arguments of one launch, to be given by name. */
    public KernelArgs args() {
        return new KernelArgs(this);
    }

    /** The modules in load order, each with its kernels in declaration order. */
    static Map<String, List<KernelSignature>> modules() {
        Map<String, List<KernelSignature>> modules = new LinkedHashMap<>();
        for (KernelSignature k : values()) {
            modules.computeIfAbsent(k.module, m -> new ArrayList<>()).add(k);
        }
        return modules;
    }
}
