package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void logarithmicWhenTheLossSpansDecades() {
        assertTrue(LossPlot.Drawing.logarithmic(new double[] {300, 1}, null));
        assertTrue(!LossPlot.Drawing.logarithmic(new double[] {3, 1}, new double[] {2}));
        assertTrue(!LossPlot.Drawing.logarithmic(new double[] {300, 0}, null));
    }
}
