package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs that train, but not quite as asked: one notice line on stderr each (none with --quiet),
 * exit 0, and the summary line saying what was done. {P} stands for this machine's processors.
 */
class TrainNoticesTest {
    private static final String P = Integer.toString(Runtime.getRuntime().availableProcessors());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # train arguments (--engine cpu added)       | the notice on stderr (empty: none)                                       | on stdout
        --threads 100000 -n 70000 -b 4096 -e 1       | linreg: --threads 100000 is more than the {P} processors available; using {P} | engine: cpu ({P} thread
        --threads 100000 -n 70000 -b 4096 -e 1 -q    |                                                                          | engine: cpu ({P} thread
        --threads 1 -e 1                             |                                                                          | engine: cpu (1 thread)
        --validation 0.95 -n 100 -e 2                | linreg: --validation 0.95 of 100 samples leaves only 5 rows to train on   | ; 5 samples × 4 features
        --validation 0.9 -n 10 -e 2                  | linreg: --validation 0.9 of 10 samples leaves only 1 row to train on      | validation (9 of 10 samples held out)
        --validation 0.9 -n 10 -e 2 --quiet          |                                                                          | ; 1 sample × 4 features  
        --validation 0.5 -n 20 -e 2                  |                                                                          | ; 10 samples × 4 features
        --validation 0.2 -e 2                        |                                                                          | ; 400 samples × 4 features from synthetic
        -e 2                                         |                                                                          | ; 500 samples × 4 features from synthetic
        -n 5 -e 2                                    |                                                                          | ; 5 samples × 4 features from synthetic
        """)
    void noticeAndSummary(String args, String notice, String summary) {
        String[] argv = (args + " --engine cpu").trim().split("\\s+");
        String[] command = new String[argv.length + 1];
        command[0] = "train";
        System.arraycopy(argv, 0, command, 1, argv.length);
        Cli.Run run = Cli.run(command);
        assertEquals(ExitCode.OK, run.code(), run.err());
        if (notice == null) {
            assertEquals("", run.err(), "no notice");
        } else {
            assertEquals(1, run.errLines().length, "one line: " + run.err());
            assertTrue(run.err().startsWith(notice.replace("{P}", P)), run.err());
        }
        assertTrue(run.out().contains(summary.replace("{P}", P)), Arrays.toString(command) + ": " + run.out());
    }

    @Test
    void jsonRecordsTheThreadsThatRanAndTheRowsOnEachSide() {
        Cli.Run run = Cli.run("train", "--engine", "cpu", "--threads", "100000", "--samples", "200", "--validation", "0.25",
                "--epochs", "1", "--json");
        assertEquals(ExitCode.OK, run.code(), run.err());
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(Integer.parseInt(P), o.get("threads").getAsInt());
        assertEquals(200, o.get("n").getAsInt());
        assertEquals(150, o.get("n_train").getAsInt());
        assertEquals(50, o.get("n_validation").getAsInt());
        JsonObject plain = JsonParser.parseString(Cli.run("train", "--engine", "cpu", "--epochs", "1", "--json").out())
                .getAsJsonObject();
        assertEquals(500, plain.get("n_train").getAsInt());
        assertTrue(plain.get("n_validation").isJsonNull());
    }

    @Test
    void compareCapsTheThreadsToo() {
        Cli.Run run = Cli.run("compare", "--threads", "100000", "--epochs", "1");
        assertTrue(run.err().startsWith("linreg: --threads 100000 is more than the " + P + " processors"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
