package org.sinter.cli.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A line chart of training curves written as PNG with the JDK's own imaging (java.awt in headless
 * mode, no display needed): axes with round-number ticks, grid, title, axis labels, a legend, and
 * several series, each on the left axis or on a second axis at the right (loss on the left,
 * accuracy on the right).
 *
 * <pre>{@code
 * new LineChart("MNIST MLP").xLabel("epoch").yLabel("loss").y2Label("accuracy")
 *         .add("train loss", epochs, trainLoss)
 *         .add("test loss", epochs, testLoss)
 *         .add("test accuracy", epochs, testAcc, LineChart.Axis.RIGHT)
 *         .writePng(Path.of("curves.png"));
 * }</pre>
 */
public final class LineChart {
    /** Which y axis a series is measured on. */
    public enum Axis { LEFT, RIGHT }

    /** One curve: y over x (same length; NaN y values leave a gap). */
    public record Series(String name, double[] x, double[] y, Axis axis, Color color) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
            }
            x = x.clone();
            y = y.clone();
        }
    }

    /** Distinct, colour-blind-friendly line colours (the Tableau 10 hues), assigned in order. */
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private final String title;
    private String xLabel = "", yLabel = "", y2Label = "";
    private int width = 900, height = 560;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title) {
        this.title = title == null ? "" : title;
    }

    public LineChart xLabel(String s) { xLabel = s; return this; }

    public LineChart yLabel(String s) { yLabel = s; return this; }

    /** Label of the right-hand axis (shown when a series uses it). */
    public LineChart y2Label(String s) { y2Label = s; return this; }

    /** Image size in pixels. */
    public LineChart size(int width, int height) {
        if (width < 200 || height < 150) throw new IllegalArgumentException("chart size " + width + "x" + height + " is too small (min 200x150)");
        this.width = width;
        this.height = height;
        return this;
    }

    /** Adds a series on the left axis. */
    public LineChart add(String name, double[] x, double[] y) {
        return add(name, x, y, Axis.LEFT);
    }

    public LineChart add(String name, double[] x, double[] y, Axis axis) {
        return add(new Series(name, x, y, axis, PALETTE[series.size() % PALETTE.length]));
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    public String title() { return title; }

    public String xLabel() { return xLabel; }

    public String yLabel() { return yLabel; }

    public String y2Label() { return y2Label; }

    public int width() { return width; }

    public int height() { return height; }

    public List<Series> series() { return Collections.unmodifiableList(series); }

    /** Draws the chart. */
    public BufferedImage render() {
        return ChartRenderer.render(this);
    }

    /** Writes the chart as a PNG file (atomically: a reader never sees half an image). */
    public void writePng(Path file) throws IOException {
        BufferedImage img = render();
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer in this JDK");
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
