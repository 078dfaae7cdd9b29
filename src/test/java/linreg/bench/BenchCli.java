package linreg.bench;


/** What the bench tests need beyond {@link linreg.cli.Cli}. */
final class BenchCli {
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
