package linreg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import linreg.data.AtomicFiles;
import linreg.data.DataException;
import linreg.data.DataFiles;
import linreg.model.OutputFile;

/**
 * The files a command will write, checked together before it reads or trains anything: each
 * can be written ({@link OutputFile#check}), none is one of the command's inputs and no two are
 * the same file, compared by what the paths lead to (links followed, hard links too), so that
 * no run ends by destroying its own data.
 */
final class OutputPaths {
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private final Map<String, Path> outputs = new LinkedHashMap<>();

    /** An input file of {@code option}; null (not given) and stdin are left out. */
    OutputPaths input(String option, Path file) {
        if (file != null && !DataFiles.isStdin(file)) {
            inputs.put(option, file);
        }
        return this;
    }

    /** An output file of {@code option}; null (not given) is left out. */
    OutputPaths output(String option, Path file) {
        if (file != null) {
            outputs.put(option, file);
        }
        return this;
    }

    /** @throws DataException naming the first output that cannot or must not be written */
    void check() throws DataException {
        Map<String, Path> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Path> output : outputs.entrySet()) {
            Path file = output.getValue();
            OutputFile.check(file);
            for (Map.Entry<String, Path> input : inputs.entrySet()) {
                if (sameFile(file, input.getValue())) {
                    throw new DataException(output.getKey() + " " + file + " is the " + input.getKey()
                            + " file: writing it would destroy the input; choose another name");
                }
            }
            for (Map.Entry<String, Path> earlier : checked.entrySet()) {
                if (sameFile(file, earlier.getValue())) {
                    throw new DataException(output.getKey() + " " + file + " is the " + earlier.getKey()
                            + " file: give each output its own name");
                }
            }
            checked.put(output.getKey(), file);
        }
    }

    /** Whether two paths lead to one regular file (replacing it would lose the other's content). */
    private static boolean sameFile(Path a, Path b) {
        try {
            AtomicFiles.Target ta = AtomicFiles.target(a);
            AtomicFiles.Target tb = AtomicFiles.target(b);
            if (ta.kind() == AtomicFiles.Kind.FILE && tb.kind() == AtomicFiles.Kind.FILE) {
                return Files.isSameFile(ta.file(), tb.file());
            }
            return ta.kind() == AtomicFiles.Kind.NEW && ta.file().equals(tb.file());
        } catch (IOException e) {
            return false; // what cannot be resolved is reported by the check of the output or the read of the input
        }
    }
}
