package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help texts as picocli prints them at 80 columns: every line fits, no sentence is broken by
 * a hard-coded line break (each element of a description is whole sentences; picocli wraps
 * them), and {@code linreg --help} lists each command with its whole one-sentence summary.
 */
class HelpTextTest {
    private static final Map<String, CommandLine> COMMANDS = Main.commandLine(null).getSubcommands();

    @ParameterizedTest(name = "linreg {0} --help")
    @ValueSource(strings = {"train", "compare", "doctor", "bench", "predict", "evaluate"})
    void eachCommandsHelpIsWholeSentencesWithinEightyColumns(String command) {
        Cli.Run run = Cli.run(command, "--help");
        assertEquals(ExitCode.OK, run.code(), run.err());
        for (String line : run.out().split("\\R")) {
            assertTrue(line.length() <= 80, line.length() + " columns: " + line);
        }
        CommandSpec spec = COMMANDS.get(command).getCommandSpec();
        List<String> paragraphs = new ArrayList<>(List.of(spec.usageMessage().description()));
        for (OptionSpec option : spec.options()) {
            paragraphs.addAll(List.of(option.description()));
        }
        for (String paragraph : paragraphs) {
            assertTrue(paragraph.strip().matches("(?s).*[.!?]\\)?"), "linreg " + command
                    + ": a line break in the middle of a sentence, after: \"" + paragraph + "\"");
        }
    }

    @Test
    void aRunBuildsOnlyTheCommandItNamesAndHelpBuildsThemAll() {
        assertEquals(List.of("train", "compare", "doctor", "bench", "predict", "evaluate", "convert", "help"),
                List.copyOf(COMMANDS.keySet()));
        for (String command : COMMANDS.keySet()) {
            Map<String, CommandLine> built = Main.commandLine(command).getSubcommands();
            assertEquals(command.equals("help") ? COMMANDS.keySet() : Set.of(command), built.keySet());
        }
        assertEquals(COMMANDS.keySet(), Main.commandLine("--version").getSubcommands().keySet());
        assertEquals(COMMANDS.keySet(), Main.commandLine("trian").getSubcommands().keySet());
    }

    @Test
    void theTopLevelHelpListsEveryCommandWithItsWholeSummary() {
        Cli.Run run = Cli.run("--help");
        assertEquals(ExitCode.OK, run.code(), run.err());
        String out = run.out();
        String list = out.substring(out.indexOf("Commands:"));
        for (String line : out.split("\\R")) {
            assertTrue(line.length() <= 80, line.length() + " columns: " + line);
        }
        for (var entry : COMMANDS.entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;  // picocli's own
            }
            String summary = entry.getValue().getCommandSpec().usageMessage().description()[0];
            assertTrue(summary.endsWith("."), entry.getKey() + "'s summary is one whole sentence: " + summary);
            // The entry's lines, re-joined: "  train     Trains ..." and its indented continuation lines.
            int at = list.indexOf("\n  " + entry.getKey() + " ");
            assertTrue(at >= 0, entry.getKey() + " is listed: " + list);
            StringBuilder shown = new StringBuilder();
            for (String line : list.substring(at + 1).split("\\R")) {
                if (shown.length() > 0 && !line.startsWith("      ")) {
                    break;
                }
                shown.append(' ').append(line.strip());
            }
            assertEquals(entry.getKey() + " " + summary, shown.toString().strip().replaceAll("\\s+", " "));
        }
    }
}
