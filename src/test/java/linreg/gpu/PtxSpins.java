package linreg.gpu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds loops in PTX whose exit waits on a weak load from global (or generic) memory: a poll that
 * the PTX memory model lets ptxas read once and then delete, as it did with the fused grid
 * barrier's {@code ld.global.cv}. A loop is a backward branch and the instructions from its target
 * label to it; its exits are the conditional branches in it that leave it (the backward branch
 * itself included). Each exit's predicate is traced back through the registers defined inside the
 * loop; reaching an {@code ld} of global or generic memory without {@code .acquire},
 * {@code .relaxed} or {@code .volatile} is a weak spin. Shared, local, constant and parameter
 * loads do not count: no other block writes them.
 */
final class PtxSpins {
    private static final Pattern FUNCTION = Pattern.compile("^\\.(?:visible\\s+|weak\\s+)?\\.?(?:entry|func)\\s+(?:\\([^)]*\\)\\s*)?([\\w$]+)");
    private static final Pattern LABEL = Pattern.compile("^([\\w$]+):$");
    private static final Pattern BRANCH = Pattern.compile("^(@!?(%[\\w$]+)\\s+)?bra(?:\\.uni)?\\s+([\\w$]+)$");
    private static final Pattern REGISTER = Pattern.compile("%[\\w$]+");
    private static final Set<String> STRONG = Set.of("acquire", "relaxed", "volatile");
    private static final Set<String> PRIVATE_SPACES = Set.of("shared", "local", "const", "param");

    /** One instruction: its text (no predicate guard), where it sits, and what it reads and writes. */
    private record Instruction(int line, String opcode, String text, List<String> defs, List<String> uses) {}

    private PtxSpins() {}

    /** Every weak spin in {@code ptx}, described with the function, the loop's label and the load. */
    static List<String> find(String ptx) {
        List<String> found = new ArrayList<>();
        String function = "?";
        List<Instruction> body = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        String[] lines = ptx.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = strip(lines[i]);
            Matcher f = FUNCTION.matcher(line);
            if (f.find()) {
                found.addAll(spins(function, body, labels));
                function = f.group(1);
                body = new ArrayList<>();
                labels = new HashMap<>();
                continue;
            }
            Matcher l = LABEL.matcher(line);
            if (l.matches()) {
                labels.put(l.group(1), body.size());
            } else if (line.endsWith(";") && !line.startsWith(".")) {
                body.add(parse(i + 1, line.substring(0, line.length() - 1).strip()));
            }
        }
        found.addAll(spins(function, body, labels));
        return found;
    }

    private static String strip(String line) {
        int comment = line.indexOf("//");
        return (comment >= 0 ? line.substring(0, comment) : line).strip();
    }

    private static Instruction parse(int line, String text) {
        String guard = null;
        if (text.startsWith("@")) {
            int space = text.indexOf(' ');
            guard = text.substring(text.startsWith("@!") ? 2 : 1, space);
            text = text.substring(space + 1).strip();
        }
        int space = text.indexOf(' ');
        String opcode = space < 0 ? text : text.substring(0, space);
        String operands = space < 0 ? "" : text.substring(space + 1);
        List<String> defs = new ArrayList<>();
        List<String> uses = new ArrayList<>();
        if (guard != null) {
            uses.add(guard);
        }
        // The first operand is the destination, unless it is an address; a vector one is {..}.
        int cut = operands.startsWith("{") ? operands.indexOf('}') + 1 : operands.indexOf(',');
        String[] parts = cut <= 0 ? new String[] {operands} : new String[] {operands.substring(0, cut), operands.substring(cut)};
        boolean writes = !opcode.startsWith("st.") && !opcode.startsWith("bra") && !opcode.startsWith("bar")
                && !opcode.startsWith("red.") && !opcode.startsWith("membar") && !opcode.startsWith("fence");
        Matcher first = REGISTER.matcher(parts[0]);
        while (first.find()) {
            (writes && !parts[0].contains("[") ? defs : uses).add(first.group());
        }
        if (parts.length > 1) {
            Matcher rest = REGISTER.matcher(parts[1]);
            while (rest.find()) {
                uses.add(rest.group());
            }
        }
        return new Instruction(line, opcode, (guard == null ? "" : "@" + guard + " ") + text, defs, uses);
    }

    private static List<String> spins(String function, List<Instruction> code, Map<String, Integer> labels) {
        List<String> found = new ArrayList<>();
        for (int end = 0; end < code.size(); end++) {
            Matcher b = BRANCH.matcher(code.get(end).text());
            Integer start = b.matches() ? labels.get(b.group(3)) : null;
            if (start == null || start > end) {
                continue;  // not a backward branch
            }
            for (int i = start; i <= end; i++) {
                Matcher exit = BRANCH.matcher(code.get(i).text());
                if (!exit.matches() || exit.group(2) == null) {
                    continue;
                }
                Integer target = labels.get(exit.group(3));
                boolean leaves = i == end || target == null || target < start || target > end;
                if (leaves) {
                    for (Instruction load : weakLoadsBehind(exit.group(2), code.subList(start, end + 1))) {
                        String label = b.group(3);
                        found.add(function + ": the loop at " + label + " (line " + code.get(start).line()
                                + ") exits on `" + load.text() + "` (line " + load.line()
                                + "), a weak load another block's write need never reach");
                    }
                }
            }
        }
        return found;
    }

    /** The weak global or generic loads inside {@code loop} that {@code register} depends on there. */
    private static List<Instruction> weakLoadsBehind(String register, List<Instruction> loop) {
        List<Instruction> weak = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<Instruction> reported = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(register));
        while (!todo.isEmpty()) {
            String r = todo.pop();
            if (!seen.add(r)) {
                continue;
            }
            for (Instruction in : loop) {
                if (!in.defs().contains(r)) {
                    continue;
                }
                if (isWeakSharedLoad(in.opcode()) && reported.add(in)) {
                    weak.add(in);
                }
                todo.addAll(in.uses());
            }
        }
        return weak;
    }

    /** ld of global or generic memory (what other blocks write) with no strong qualifier. */
    static boolean isWeakSharedLoad(String opcode) {
        if (!opcode.startsWith("ld.") && !opcode.equals("ld")) {
            return false;
        }
        for (String q : opcode.split("\\.")) {
            if (STRONG.contains(q) || PRIVATE_SPACES.contains(q)) {
                return false;
            }
        }
        return true;
    }
}
