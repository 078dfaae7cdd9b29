package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import linreg.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossPlotTest {
    @TempDir
    Path dir;

    @Test
    void drawsAPng() throws Exception {
        double[] train = new double[50];
        double[] validation = new double[50];
        for (int e = 0; e < 50; e++) {
            train[e] = 330 * Math.exp(-e / 8.0) + 0.8;
            validation[e] = 10 * Math.exp(-e / 8.0) + 0.03;
        }
        Path png = dir.resolve("loss.png");
        LossPlot.write(png, train, validation, "linreg train: tutorial");
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LossPlot.WIDTH, image.getWidth());
        assertEquals(LossPlot.HEIGHT, image.getHeight());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList());
        }
    }

    @Test
    void withoutValidationAndWithOneEpoch() throws Exception {
        Path png = dir.resolve("one.png");
        LossPlot.write(png, new double[] {3.5}, null, null);
        assertTrue(Files.size(png) > 100);
    }

    @Test
    void errorsAreOneLine() {
        DataException e = assertThrows(DataException.class, () -> LossPlot.write(dir.resolve("no/loss.png"), new double[] {1}, null, "t"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(DataException.class, () -> LossPlot.write(dir.resolve("e.png"), new double[0], null, "t"));
        assertTrue(e.getMessage().contains("no epoch ran"), e.getMessage());
    }

    @Test
    void onlyPngNamesAreDrawn() throws Exception {
        LossPlot.checkName(Path.of("loss.png"));
        LossPlot.checkName(Path.of("LOSS.PNG"));
        LossPlot.checkName(Path.of("/dev/stdout"));
        for (String name : new String[] {"x.svg", "x.pdf", "dir/x.jpg"}) {
            DataException e = assertThrows(DataException.class, () -> LossPlot.write(dir.resolve(name), new double[] {1}, null, "t"));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("PNG only"), e.getMessage());
        }
    }

    @Test
    void theCommandLineRefusesAnotherFormatBeforeTraining() throws Exception {
        Path svg = dir.resolve("x.svg");
        Cli.assertRejected(Cli.run("train", "--engine", "cpu", "--plot", svg.toString()), "x.svg", "PNG only");
        assertFalse(Files.exists(svg));
        Path png = dir.resolve("one.png");
        Cli.Run run = Cli.run("train", "--engine", "cpu", "--epochs", "1", "--quiet", "--plot", png.toString());
        assertEquals(ExitCode.OK, run.code(), run.err());
        assertEquals(LossPlot.WIDTH, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void theTitleSaysWhatTheYAxisShowsAndNamesTheDataWithoutItsFolder() {
        assertEquals("mean |residual| per epoch, diabetes.csv", LossPlot.title("/tmp/plots/diabetes.csv"));
        assertEquals("mean |residual| per epoch, synthetic (cuRAND on the GPU)", LossPlot.title("synthetic (cuRAND on the GPU)"));
        assertEquals("mean |residual| per epoch", LossPlot.title(null));
        assertTrue(LossPlot.title("x").startsWith(LossPlot.QUANTITY), "the y axis's label");
    }

    @Test
    void aLogAxisIsLabelledAtOneTwoAndFive() {
        assertEquals(List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0),
                LossPlot.Drawing.logTicks(0.025, 10.3));
        assertEquals(List.of("0.02", "0.5", "20", "2E-5", "5E3"),
                Stream.of(0.02, 0.5, 20.0, 2e-5, 5000.0).map(LossPlot.Drawing::label).toList());
        List<Double> wide = LossPlot.Drawing.logTicks(1e-9, 1e3);
        assertEquals(13, wide.size(), "the decades alone over 12: " + wide);
    }

    @Test
    void aLinearAxisEndsOnRoundNumbers() {
        double[] two = LossPlot.Drawing.linearAxis(10.684553634643555, 10.705532958984374);
        assertEquals(10.68, two[0], 1e-12);
        assertEquals(10.71, two[1], 1e-12);
        assertArrayEquals(new double[] {0, 15}, LossPlot.Drawing.linearAxis(10.232116455078126, 10.232116455078126));
        assertArrayEquals(new double[] {0, 1}, LossPlot.Drawing.linearAxis(0, 0));
        assertEquals(5, LossPlot.Drawing.step(3.1));
        assertEquals(0.02, LossPlot.Drawing.step(0.0101), 1e-15);
    }

    @Test
    void logarithmicWhenTheLossSpansDecades() {
        assertTrue(LossPlot.Drawing.logarithmic(new double[] {300, 1}, null));
        assertTrue(!LossPlot.Drawing.logarithmic(new double[] {3, 1}, new double[] {2}));
        assertTrue(!LossPlot.Drawing.logarithmic(new double[] {300, 0}, null));
    }
}
