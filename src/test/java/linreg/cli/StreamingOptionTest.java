package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code --streaming}: a GPU engine option, refused where it cannot apply. */
class StreamingOptionTest {
    @Test
    void streamingOnIsForTheGpuEngine() {
        Cli.assertRejected(Cli.run("train", "--engine", "cpu", "--streaming", "on", "--epochs", "1"),
                "--streaming on is for the GPU engine");
    }

    @Test
    void anUnknownModeIsRefused() {
        Cli.assertRejected(Cli.run("train", "--streaming", "sometimes"), "--streaming", "sometimes");
    }

    @Test
    void offAndAutoLeaveTheCpuEngineAsItIs() {
        Cli.Run plain = Cli.run("train", "--engine", "cpu", "--epochs", "2", "--json");
        for (String mode : new String[] {"off", "auto"}) {
            Cli.Run run = Cli.run("train", "--engine", "cpu", "--epochs", "2", "--json", "--streaming", mode);
            assertEquals(0, run.code(), run.err());
            assertEquals(ConvertAndMapTest.field(plain.out(), "w"), ConvertAndMapTest.field(run.out(), "w"));
        }
    }
}
