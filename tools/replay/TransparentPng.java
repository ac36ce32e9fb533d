// Writes the same hand-drawn "1" twice: dark strokes on a transparent background (ARGB) and dark
// strokes on opaque white paper. Usage: java --source 25 TransparentPng.java OUT_DIR
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

public class TransparentPng {
    static void draw(BufferedImage img, boolean paper, String file) throws Exception {
        Graphics2D g = img.createGraphics();
        if (paper) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
        }
        g.setColor(new Color(20, 20, 20));
        g.setStroke(new BasicStroke(12, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(60, 18, 60, 96);
        g.drawLine(60, 18, 44, 34);
        g.dispose();
        ImageIO.write(img, "png", new File(file));
    }

    public static void main(String[] args) throws Exception {
        draw(new BufferedImage(112, 112, BufferedImage.TYPE_INT_ARGB), false, args[0] + "/transparent.png");
        draw(new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB), true, args[0] + "/paper.png");
    }
}
