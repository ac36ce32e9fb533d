package org.sinter.cli.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    static LineChart trainingCurves() {
        int n = 20;
        double[] epoch = new double[n], train = new double[n], test = new double[n], acc = new double[n];
        for (int i = 0; i < n; i++) {
            epoch[i] = i + 1;
            train[i] = 2.3 * Math.exp(-i / 4.0) + 0.05;
            test[i] = 2.3 * Math.exp(-i / 5.0) + 0.12 + 0.002 * i;
            acc[i] = 0.98 - 0.88 * Math.exp(-i / 3.0);
        }
        return new LineChart("MNIST MLP training").xLabel("epoch").yLabel("loss").y2Label("accuracy")
                .add("train loss", epoch, train)
                .add("test loss", epoch, test)
                .add("test accuracy", epoch, acc, LineChart.Axis.RIGHT);
    }

    @Test
    void writesAPngWithTheCurvesOnIt(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        trainingCurves().size(800, 500).writePng(png);
        assertTrue(Files.size(png) > 1000);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "PNG readable");
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
        int background = ChartRenderer.BACKGROUND.getRGB() & 0xffffff;
        int ink = 0;
        int[] seriesPixels = new int[3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb != background) ink++;
                for (int s = 0; s < 3; s++) if (rgb == (LineChart.PALETTE[s].getRGB() & 0xffffff)) seriesPixels[s]++;
            }
        }
        assertTrue(ink > 5000, "drawn pixels: " + ink);
        for (int s = 0; s < 3; s++) assertTrue(seriesPixels[s] > 50, "series " + s + " drawn in its colour: " + seriesPixels[s]);
        if (System.getProperty("sinter.plot.out") != null) trainingCurves().writePng(Path.of(System.getProperty("sinter.plot.out")));
    }

    @Test
    void niceTicks() {
        NiceScale s = NiceScale.of(0.013, 2.35, 7);
        assertEquals(0, s.min());
        assertEquals(2.5, s.max(), 1e-12);
        assertEquals(0.5, s.step(), 1e-12);
        assertEquals("1.5", s.label(1.5));
        NiceScale acc = NiceScale.of(0.1, 0.98, 7);
        assertEquals("0.2", acc.label(0.2 + 1e-17));
        assertArrayEquals(new double[] {4.5, 5, 5.5}, NiceScale.of(5, 5, 3).ticks(), 1e-9);
        assertEquals(0.25, NiceScale.of(0, 1.0, 5).step(), 1e-12);
    }

    @Test
    void emptyAndDegenerateChartsStillRender() {
        BufferedImage img = new LineChart("").render();
        assertEquals(900, img.getWidth());
        new LineChart("one point").add("x", new double[] {1}, new double[] {Double.NaN}).render();
        new LineChart("flat").add("x", new double[] {1, 2}, new double[] {3, 3}).render();
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t").add("x", new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t").size(10, 10));
    }
}
