package linreg.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A header line's names: which columns carry a name, and the names carried by more than one. */
final class ColumnNames {
    private ColumnNames() {}

    /** The 1-based columns named {@code name}. */
    static List<Integer> columns(List<String> header, String name) {
        List<Integer> at = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).equals(name)) {
                at.add(c + 1);
            }
        }
        return at;
    }

    /** One phrase per name on more than one column: "columns 1 and 3 are both named "a"". */
    static List<String> duplicates(List<String> header) {
        Map<String, List<Integer>> columns = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            columns.computeIfAbsent(header.get(c), k -> new ArrayList<>()).add(c + 1);
        }
        List<String> phrases = new ArrayList<>();
        columns.forEach((name, at) -> {
            if (at.size() > 1) {
                phrases.add(describe(name, at));
            }
        });
        return phrases;
    }

    /** "columns 2 and 4 are both named "y"", "columns 1, 2 and 5 are all named "x"". */
    static String describe(String name, List<Integer> at) {
        StringBuilder s = new StringBuilder("columns ");
        for (int k = 0; k < at.size(); k++) {
            s.append(k == 0 ? "" : k == at.size() - 1 ? " and " : ", ").append(at.get(k));
        }
        return s.append(at.size() == 2 ? " are both named \"" : " are all named \"").append(name).append('"').toString();
    }
}
