package linreg.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Writes kernels/README.md's kernel table from {@link KernelSignature} ({@code make kernel-readme}),
 * between its two marker lines; KernelSignatureTest fails while the committed table differs.
 */
public final class KernelReadme {
    static final String BEGIN = "<!-- kernel table: written by `make kernel-readme` from linreg.gpu.KernelSignature -->";
    static final String END = "<!-- end of kernel table -->";

    private KernelReadme() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KernelReadme kernels/README.md");
            System.exit(2);
        }
        Path readme = Path.of(args[0]);
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String updated = withTable(text);
        if (!updated.equals(text)) {
            Files.writeString(readme, updated, StandardCharsets.UTF_8);
        }
    }

    /** {@code readme} with the text between the markers replaced by {@link #table()}. */
    static String withTable(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README lacks the kernel table's marker lines " + BEGIN + " ... " + END);
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table() + readme.substring(end);
    }

    /** The table, one row a kernel in declaration order. */
    static String table() {
        StringBuilder out = new StringBuilder();
        out.append("| file | kernel | launch (grid × block, dynamic shared memory) | what it does |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (KernelSignature k : KernelSignature.values()) {
            out.append("| `").append(k.module).append(".cu` | `").append(signature(k)).append("` | ").append(k.launch)
                    .append(" | ").append(k.does).append(" |\n");
        }
        return out.toString();
    }

    /** "sgd_update(float* params, ..., double* epochStats)". */
    static String signature(KernelSignature k) {
        return k.name() + k.params().stream().map(p -> p.cType() + " " + p.name()).collect(Collectors.joining(", ", "(", ")"));
    }
}
