package linreg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What one JUnit console launch wrote into its {@code --reports-dir}: the counts summed over every
 * engine's {@code TEST-*.xml}, and the first failure's and the first skip's message.
 *
 * @param tests test cases reported, skipped ones included
 * @param failed failures and errors
 * @param skipped skipped or aborted cases
 * @param firstFailure the first failure's message, or null
 * @param firstSkip the first skip's reason, or null
 */
public record JUnitReport(int tests, int failed, int skipped, String firstFailure, String firstSkip) {
    /** What JUnit says before the reason of a test skipped because its class was. */
    private static final String PARENT_SKIPPED = "parent was skipped: ";

    /** Tests that ran (were not skipped). */
    public int run() {
        return tests - skipped;
    }

    /**
     * Reads the reports in {@code dir}.
     *
     * @return null when there is none (the launcher did not finish, or never started)
     * @throws IOException when a report cannot be read or parsed
     */
    public static JUnitReport read(Path dir) throws IOException {
        List<Path> files;
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        }
        if (files.isEmpty()) {
            return null;
        }
        int tests = 0;
        int failed = 0;
        int skipped = 0;
        String firstFailure = null;
        String firstSkip = null;
        for (Path file : files) {
            Element suite;
            try {
                suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
            } catch (Exception e) {
                throw new IOException(file + ": not a JUnit XML report (" + e.getMessage() + ")", e);
            }
            tests += count(suite, "tests");
            skipped += count(suite, "skipped");
            failed += count(suite, "failures") + count(suite, "errors");
            if (firstFailure == null) {
                firstFailure = firstMessage(suite, "failure");
            }
            if (firstFailure == null) {
                firstFailure = firstMessage(suite, "error");
            }
            if (firstSkip == null) {
                firstSkip = firstMessage(suite, "skipped");
            }
        }
        return new JUnitReport(tests, failed, skipped, firstFailure, firstSkip);
    }

    private static int count(Element suite, String attribute) {
        String v = suite.getAttribute(attribute);
        return v.isEmpty() ? 0 : Integer.parseInt(v.strip());
    }

    /**
     * The message attribute of the first such element, else the first line of its text, without
     * JUnit's prefixes and the exception's class name.
     */
    private static String firstMessage(Element suite, String tag) {
        NodeList found = suite.getElementsByTagName(tag);
        if (found.getLength() == 0) {
            return null;
        }
        Element e = (Element) found.item(0);
        String text = e.hasAttribute("message") ? e.getAttribute("message") : e.getTextContent();
        String line = text.strip().split("\\R", 2)[0];
        if (line.startsWith(PARENT_SKIPPED)) {
            line = line.substring(PARENT_SKIPPED.length());
        }
        int assumption = line.indexOf("Assumption failed: ");
        return assumption >= 0 ? line.substring(assumption + "Assumption failed: ".length())
                : line.replaceFirst("^(\\w+\\.)+\\w+(Exception|Error): ", "");
    }
}
