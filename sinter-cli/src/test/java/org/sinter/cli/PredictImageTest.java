package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, item 10: a dark digit on a transparent background reaches the model as MNIST's white on black. */
class PredictImageTest {
    private static Path digit(Path dir, String name, int type, Color background, Color ink) throws Exception {
        BufferedImage img = new BufferedImage(112, 112, type);
        Graphics2D g = img.createGraphics();
        if (background != null) {
            g.setColor(background);
            g.fillRect(0, 0, 112, 112);
        }
        g.setColor(ink);
        g.setStroke(new BasicStroke(12));
        g.drawLine(56, 16, 56, 96); // a "1"
        g.dispose();
        Path f = dir.resolve(name);
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    private static void assertMnistLike(float[] px, String what) {
        float center = px[14 * 28 + 14], corner = px[2 * 28 + 2];
        assertTrue(center > 0.5f, what + ": the stroke is bright, got " + center);
        assertTrue(corner < 0.1f, what + ": the background is dark, got " + corner);
    }

    @Test
    void darkStrokesOnTransparentBackground(@TempDir Path dir) throws Exception {
        assertMnistLike(PredictCommand.readImage(digit(dir, "t.png", BufferedImage.TYPE_INT_ARGB, null, Color.BLACK)), "dark on transparent");
    }

    @Test
    void lightStrokesOnTransparentBackground(@TempDir Path dir) throws Exception {
        assertMnistLike(PredictCommand.readImage(digit(dir, "w.png", BufferedImage.TYPE_INT_ARGB, null, Color.WHITE)), "light on transparent");
    }

    @Test
    void opaqueImagesAsBefore(@TempDir Path dir) throws Exception {
        assertMnistLike(PredictCommand.readImage(digit(dir, "p.png", BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK)), "dark on paper");
        assertMnistLike(PredictCommand.readImage(digit(dir, "b.png", BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE)), "white on black");
    }
}
