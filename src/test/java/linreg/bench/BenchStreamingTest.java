package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import linreg.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --strategies ...,streamed}: the streamed case and the host-to-device bandwidth it is measured against. */
class BenchStreamingTest {
    @TempDir
    Path dir;

    @Test
    void theStreamedCaseAndTheLinkAreRowsEvenWithoutAGpu() throws Exception {
        Path out = dir.resolve("s");
        Path anchors = Files.createDirectories(dir.resolve("anchors"));
        Files.writeString(anchors.resolve("seed_torch.py"), "raise SystemExit('not the real script')\n");
        Cli.Run run = Cli.run("bench", "--engines", "cpu,gpu", "--strategies", "pipeline,streamed", "--sizes", "1000",
                "--batches", "16", "--features", "2", "--epochs", "1", "--anchors", anchors.toString(), "--torch-samples",
                "1000", "--out", out.toString(), "--no-cache", "-q");
        assertEquals(0, run.code(), run.err());
        Path csv;
        try (Stream<Path> s = Files.list(out)) {
            csv = s.filter(p -> p.toString().endsWith("-bench.csv")).findFirst().orElseThrow();
        }
        List<BenchRow> rows = BenchCsv.read(csv).rows();
        BenchRow link = rows.stream().filter(r -> r.key().equals("copy/htod")).findFirst().orElseThrow();
        BenchRow streamed = rows.stream().filter(r -> r.key().equals("gpu/streamed")).findFirst().orElseThrow();
        assertTrue(link.ok() || link.status().startsWith("unavailable: "), link.status());
        assertTrue(streamed.ok() || streamed.status().startsWith("unavailable: "), streamed.status());
        if (streamed.ok() && link.ok()) {
            double u = BenchCsv.read(csv).utilisation(streamed);
            assertTrue(u > 0, "the streamed case against the link: " + u);
        }
    }

    @Test
    void anUnknownStrategyNamesTheStreamedCaseToo() {
        Cli.assertRejected(Cli.run("bench", "--strategies", "pipelined", "--no-cache"), "pipelined", "streamed");
    }
}
