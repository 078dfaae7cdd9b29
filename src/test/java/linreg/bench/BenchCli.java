package linreg.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import linreg.cli.Main;

/** Runs the real command line in-process and captures what it printed. */
final class BenchCli {
    record Run(int code, String out, String err) {
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\\R");
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Whether AWT can draw text into an image here (fonts present); charts need it. */
    static boolean canDraw() {
        try {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(10, 10,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            g.drawString("x", 1, 9);
            g.dispose();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private BenchCli() {}
}
