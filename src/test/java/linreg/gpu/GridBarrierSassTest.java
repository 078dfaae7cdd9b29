package linreg.gpu;

import static linreg.gpu.PtxResourcesTest.assumeTool;
import static linreg.gpu.PtxResourcesTest.projectRoot;
import static linreg.gpu.PtxResourcesTest.ptx;
import static linreg.gpu.PtxResourcesTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ptxas makes of the fused grid barrier: compiled for sm_90 (the H200), the machine code of
 * {@code fused_epoch_grid} must wait, that is, after the barrier's atomic add there is a loop (a
 * backward branch) with a strong load from global memory inside it. The PTX-level check
 * ({@link PtxSpins}) says the source asks for that; this one says the compiler kept it. Needs
 * ptxas and a disassembler (cuobjdump or nvdisasm), which the GPU machine has (scripts/gpu-check.sh
 * runs this class there); elsewhere it skips, saying why.
 */
class GridBarrierSassTest {
    private static final String KERNEL = "fused_epoch_grid";
    private static final String ARCH = "sm_90";
    /** The poll's PTX instruction, and the weak one the kernel used to poll with. */
    private static final String ACQUIRE = "ld.acquire.gpu.global.u32";
    private static final String WEAK = "ld.global.cv.u32";

    /** The fixed barrier compiles to a real wait. */
    @Test
    void theBarrierPollsInsideALoop(@TempDir Path tmp) throws Exception {
        List<Sass> code = compile(tmp, ptx("fused"));
        Wait wait = barrierWait(code);
        assertNotNull(wait, KERNEL + " for " + ARCH + " has no loop with a strong load after its atomic add:\n"
                + around(code));
        System.out.println("grid barrier in " + ARCH + " SASS: " + wait);
    }

    /**
     * The same kernel polling with the weak load it used to have loses its loop: evidence that
     * this check can tell a wait from none with the ptxas at hand.
     */
    @Test
    void aWeakPollCompilesToNoWait(@TempDir Path tmp) throws Exception {
        String fused = ptx("fused");
        assertTrue(fused.contains(ACQUIRE), "fused.ptx polls with " + ACQUIRE);
        List<Sass> code = compile(tmp, fused.replace(ACQUIRE, WEAK));
        assertEquals(null, barrierWait(code), "with " + WEAK + " ptxas kept the wait:\n" + around(code));
    }

    /** One SASS instruction. */
    record Sass(long address, String guard, String opcode, String text, Long target) {}

    /** The barrier's wait: the atomic, then the loop's first and last instruction and its load. */
    record Wait(Sass atomic, Sass load, Sass branch) {
        @Override
        public String toString() {
            return String.format("%s at %#x; loop %#x..%#x with %s", atomic.opcode, atomic.address, branch.target,
                    branch.address, load.text);
        }
    }

    /** Most instructions between the atomic and its poll, and in the poll's loop. */
    private static final int NEAR = 16;

    /**
     * The wait after the kernel's first atomic add (the barrier's arrival): a short loop that
     * starts within {@link #NEAR} instructions of the atomic and holds a strong load, or null.
     */
    static Wait barrierWait(List<Sass> code) {
        int a = 0;
        while (a < code.size() && !code.get(a).opcode.matches("(ATOMG?|REDG?)\\..*ADD.*")) {
            a++;
        }
        if (a == code.size()) {
            return null;
        }
        Sass atomic = code.get(a);
        for (int b = a + 1; b < code.size() && b <= a + 2 * NEAR; b++) {
            Sass branch = code.get(b);
            if (!branch.opcode.equals("BRA") || branch.target == null || branch.target > branch.address) {
                continue;
            }
            int start = b;
            while (start > a + 1 && code.get(start - 1).address >= branch.target) {
                start--;
            }
            if (branch.target <= atomic.address || start - a > NEAR || b - start > NEAR) {
                return null;  // the first loop after the atomic is no poll of it
            }
            for (int k = start; k < b; k++) {
                if (code.get(k).opcode.matches("LDG?\\..*STRONG.*")) {
                    return new Wait(atomic, code.get(k), branch);
                }
            }
            return null;
        }
        return null;
    }

    /** ptxas for {@link #ARCH}, then the kernel's instructions from whichever disassembler is here. */
    private static List<Sass> compile(Path tmp, String ptxText) throws Exception {
        assumeTool("ptxas", "--version");
        String disassembler = disassembler();
        Path source = tmp.resolve("fused.ptx");
        Path cubin = tmp.resolve("fused.cubin");
        Files.writeString(source, ptxText);
        PtxResourcesTest.Run built = run(projectRoot(), 300, "ptxas", "-arch=" + ARCH, "-o", cubin.toString(),
                source.toString());
        assertEquals(0, built.exit(), "ptxas -arch=" + ARCH + " failed:\n" + built.output());
        PtxResourcesTest.Run listed = disassembler.equals("cuobjdump")
                ? run(projectRoot(), 300, "cuobjdump", "-sass", cubin.toString())
                : run(projectRoot(), 300, "nvdisasm", "-c", cubin.toString());
        assertEquals(0, listed.exit(), disassembler + " failed:\n" + listed.output());
        List<Sass> code = parse(listed.output(), KERNEL);
        assertFalse(code.isEmpty(), disassembler + " listed no " + KERNEL);
        return code;
    }

    private static String disassembler() {
        List<String> missing = new ArrayList<>();
        for (String tool : new String[] {"cuobjdump", "nvdisasm"}) {
            try {
                if (run(projectRoot(), 60, tool, "--version").exit() == 0) {
                    return tool;
                }
                missing.add(tool + " does not run");
            } catch (IOException e) {
                missing.add(tool + " is not on PATH");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        Assumptions.abort(String.join(", ", missing) + ": the SASS of the grid barrier was not checked");
        return null;
    }

    private static final Pattern INSTRUCTION =
            Pattern.compile("^\\s*/\\*([0-9a-f]{4,})\\*/\\s+(@!?U?P\\w+\\s+)?([A-Z][A-Z0-9_.]*)([^;]*);");
    private static final Pattern ABSOLUTE = Pattern.compile("\\b0x([0-9a-f]+)\\b");
    private static final Pattern LABEL_USE = Pattern.compile("`\\(([.\\w]+)\\)");
    private static final Pattern LABEL = Pattern.compile("^\\s*([.\\w]+):\\s*$");

    /**
     * The instructions of {@code kernel} from cuobjdump ({@code Function : name}, absolute branch
     * targets) or nvdisasm ({@code .text.name:}, label targets).
     */
    static List<Sass> parse(String listing, String kernel) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : listing.split("\n")) {
            String t = line.strip();
            if (t.startsWith("Function : ") || t.startsWith(".text.")) {
                inside = t.equals("Function : " + kernel) || t.equals(".text." + kernel + ":");
            } else if (inside) {
                lines.add(line);
            }
        }
        Map<String, Long> labels = new HashMap<>();
        String pending = null;
        for (String line : lines) {
            Matcher l = LABEL.matcher(line);
            Matcher i = INSTRUCTION.matcher(line);
            if (l.matches()) {
                pending = l.group(1);
            } else if (i.find() && pending != null) {
                labels.put(pending, Long.parseLong(i.group(1), 16));
                pending = null;
            }
        }
        List<Sass> code = new ArrayList<>();
        for (String line : lines) {
            Matcher i = INSTRUCTION.matcher(line);
            if (!i.find()) {
                continue;
            }
            String opcode = i.group(3);
            String operands = i.group(4);
            Long target = null;
            if (opcode.equals("BRA")) {
                Matcher use = LABEL_USE.matcher(operands);
                Matcher abs = ABSOLUTE.matcher(operands);
                target = use.find() ? labels.get(use.group(1)) : abs.find() ? Long.valueOf(Long.parseLong(abs.group(1), 16)) : null;
            }
            String guard = i.group(2) == null ? "" : i.group(2).strip();
            code.add(new Sass(Long.parseLong(i.group(1), 16), guard, opcode, (opcode + operands).strip(), target));
        }
        return code;
    }

    /** The instructions around the kernel's first atomic, for a failure message. */
    private static String around(List<Sass> code) {
        int at = 0;
        while (at < code.size() && !code.get(at).opcode.matches("(ATOMG?|REDG?)\\..*")) {
            at++;
        }
        StringBuilder s = new StringBuilder();
        for (int k = Math.max(0, at - 8); k < Math.min(code.size(), at + 24); k++) {
            Sass c = code.get(k);
            s.append(String.format("  %#06x %s %s%n", c.address, c.guard, c.text));
        }
        return s.toString();
    }
}
