package org.sinter.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Draws a {@link LineChart} onto an image: frame, grid, ticks, labels, curves, legend. */
final class ChartRenderer {
    static final Color BACKGROUND = Color.WHITE;
    private static final Color AXIS = new Color(60, 60, 60);
    private static final Color GRID = new Color(225, 225, 225);
    private static final int TICKS = 7;

    static {
        // Charts are drawn off-screen; never try to reach a display (servers, CI, containers).
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ChartRenderer() {}

    static BufferedImage render(LineChart c) {
        BufferedImage img = new BufferedImage(c.width(), c.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, c.width(), c.height());
            draw(g, c);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void draw(Graphics2D g, LineChart c) {
        List<LineChart.Series> all = c.series();
        boolean right = all.stream().anyMatch(s -> s.axis() == LineChart.Axis.RIGHT);
        boolean left = !right || all.stream().anyMatch(s -> s.axis() == LineChart.Axis.LEFT);
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 17);

        NiceScale xs = NiceScale.of(min(all, null, true), max(all, null, true), TICKS + 2);
        NiceScale ys = NiceScale.of(min(all, LineChart.Axis.LEFT, false), max(all, LineChart.Axis.LEFT, false), TICKS);
        NiceScale y2s = NiceScale.of(min(all, LineChart.Axis.RIGHT, false), max(all, LineChart.Axis.RIGHT, false), TICKS);

        g.setFont(tickFont);
        FontMetrics tm = g.getFontMetrics();
        int leftW = left ? widest(tm, ys) : 0, rightW = right ? widest(tm, y2s) : 0;
        int x0 = 24 + (c.yLabel().isEmpty() || !left ? 0 : 22) + leftW + 8;
        int x1 = c.width() - 24 - (right ? rightW + 8 + (c.y2Label().isEmpty() ? 0 : 22) : 0);
        int y0 = c.title().isEmpty() ? 24 : 52;
        int y1 = c.height() - 40 - tm.getHeight() - (c.xLabel().isEmpty() ? 0 : 22);
        Frame f = new Frame(x0, y0, x1, y1, xs, ys, y2s);

        // grid and ticks
        g.setStroke(new BasicStroke(1f));
        for (double t : xs.ticks()) {
            int px = f.px(t);
            g.setColor(GRID);
            g.drawLine(px, y0, px, y1);
            g.setColor(AXIS);
            g.drawLine(px, y1, px, y1 + 5);
            String s = xs.label(t);
            g.drawString(s, px - tm.stringWidth(s) / 2, y1 + 8 + tm.getAscent());
        }
        NiceScale gridScale = left ? ys : y2s;
        for (double t : gridScale.ticks()) {
            int py = left ? f.py(t) : f.py2(t);
            g.setColor(GRID);
            g.drawLine(x0, py, x1, py);
        }
        g.setColor(AXIS);
        if (left) {
            for (double t : ys.ticks()) {
                int py = f.py(t);
                g.drawLine(x0 - 5, py, x0, py);
                String s = ys.label(t);
                g.drawString(s, x0 - 8 - tm.stringWidth(s), py + tm.getAscent() / 2 - 1);
            }
        }
        if (right) {
            for (double t : y2s.ticks()) {
                int py = f.py2(t);
                g.drawLine(x1, py, x1 + 5, py);
                g.drawString(y2s.label(t), x1 + 8, py + tm.getAscent() / 2 - 1);
            }
        }
        g.drawRect(x0, y0, x1 - x0, y1 - y0);

        // labels and title
        g.setFont(labelFont);
        FontMetrics lm = g.getFontMetrics();
        if (!c.xLabel().isEmpty()) {
            g.drawString(c.xLabel(), (x0 + x1 - lm.stringWidth(c.xLabel())) / 2, c.height() - 18);
        }
        if (left && !c.yLabel().isEmpty()) vertical(g, c.yLabel(), 18 + lm.getAscent() / 2, (y0 + y1) / 2, -Math.PI / 2);
        if (right && !c.y2Label().isEmpty()) vertical(g, c.y2Label(), c.width() - 18 - lm.getAscent() / 2, (y0 + y1) / 2, Math.PI / 2);
        if (!c.title().isEmpty()) {
            g.setFont(titleFont);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(c.title(), (c.width() - fm.stringWidth(c.title())) / 2, 20 + fm.getAscent());
        }

        // curves, clipped to the plot area
        g.setClip(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        for (LineChart.Series s : all) drawSeries(g, f, s);
        g.setClip(null);
        legend(g, f, all, tickFont);
    }

    private static void drawSeries(Graphics2D g, Frame f, LineChart.Series s) {
        boolean r = s.axis() == LineChart.Axis.RIGHT;
        g.setColor(s.color());
        g.setStroke(stroke(r));
        Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        int points = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                pen = false;
                continue;
            }
            double px = f.fx(s.x()[i]), py = r ? f.fy2(s.y()[i]) : f.fy(s.y()[i]);
            if (pen) path.lineTo(px, py);
            else path.moveTo(px, py);
            pen = true;
            points++;
        }
        g.draw(path);
        if (points <= 40) { // few points: mark them so single values and steps are visible
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) continue;
                double px = f.fx(s.x()[i]), py = r ? f.fy2(s.y()[i]) : f.fy(s.y()[i]);
                g.fill(new Ellipse2D.Double(px - 3, py - 3, 6, 6));
            }
        }
    }

    private static BasicStroke stroke(boolean dashed) {
        return dashed
                ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f)
                : new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static void legend(Graphics2D g, Frame f, List<LineChart.Series> all, Font font) {
        if (all.isEmpty()) return;
        g.setFont(font);
        FontMetrics m = g.getFontMetrics();
        int textW = 0;
        for (LineChart.Series s : all) textW = Math.max(textW, m.stringWidth(legendName(s)));
        int row = m.getHeight() + 4, w = 30 + 8 + textW + 16, h = all.size() * row + 10;
        int[] corner = quietestCorner(f, all, w, h);
        int lx = corner[0], ly = corner[1];
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRoundRect(lx, ly, w, h, 8, 8);
        g.setColor(new Color(190, 190, 190));
        g.setStroke(new BasicStroke(1f));
        g.drawRoundRect(lx, ly, w, h, 8, 8);
        for (int i = 0; i < all.size(); i++) {
            LineChart.Series s = all.get(i);
            int cy = ly + 5 + i * row + row / 2;
            g.setColor(s.color());
            g.setStroke(stroke(s.axis() == LineChart.Axis.RIGHT));
            g.drawLine(lx + 8, cy, lx + 38, cy);
            g.setColor(AXIS);
            g.drawString(legendName(s), lx + 46, cy + m.getAscent() / 2 - 1);
        }
    }

    /** The place (corners first, then edge middles) where the legend box covers the fewest curve points (top right on ties). */
    private static int[] quietestCorner(Frame f, List<LineChart.Series> all, int w, int h) {
        int[][] corners = {{f.x1 - w - 10, f.y0 + 10}, {f.x0 + 10, f.y0 + 10}, {f.x1 - w - 10, f.y1 - h - 10},
                {f.x0 + 10, f.y1 - h - 10}, {f.x1 - w - 10, (f.y0 + f.y1 - h) / 2}, {f.x0 + 10, (f.y0 + f.y1 - h) / 2},
                {(f.x0 + f.x1 - w) / 2, f.y0 + 10}, {(f.x0 + f.x1 - w) / 2, f.y1 - h - 10}};
        int[] best = corners[0];
        int bestHits = Integer.MAX_VALUE;
        for (int[] c : corners) {
            int hits = 0;
            for (LineChart.Series s : all) {
                boolean r = s.axis() == LineChart.Axis.RIGHT;
                for (int i = 0; i < s.x().length; i++) {
                    int j = Math.min(i + 1, s.x().length - 1);
                    for (double t = 0; t < 1; t += 0.125) { // sample along each segment
                        double x = s.x()[i] + t * (s.x()[j] - s.x()[i]), y = s.y()[i] + t * (s.y()[j] - s.y()[i]);
                        if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
                        double px = f.fx(x), py = r ? f.fy2(y) : f.fy(y);
                        if (px >= c[0] - 4 && px <= c[0] + w + 4 && py >= c[1] - 4 && py <= c[1] + h + 4) hits++;
                    }
                }
            }
            if (hits < bestHits) {
                bestHits = hits;
                best = c;
            }
        }
        return best;
    }

    private static String legendName(LineChart.Series s) {
        return s.axis() == LineChart.Axis.RIGHT ? s.name() + " (right)" : s.name();
    }

    private static void vertical(Graphics2D g, String text, int x, int y, double angle) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(angle);
        g.drawString(text, -g.getFontMetrics().stringWidth(text) / 2, 0);
        g.setTransform(saved);
    }

    private static int widest(FontMetrics m, NiceScale s) {
        int w = 0;
        for (double t : s.ticks()) w = Math.max(w, m.stringWidth(s.label(t)));
        return w;
    }

    /** Data extremes over the series of one axis (null: all), of x or of y; NaN when there is none. */
    private static double min(List<LineChart.Series> all, LineChart.Axis axis, boolean x) {
        double v = Double.POSITIVE_INFINITY;
        for (LineChart.Series s : all) {
            if (axis != null && s.axis() != axis) continue;
            for (double d : x ? s.x() : s.y()) if (Double.isFinite(d)) v = Math.min(v, d);
        }
        return v == Double.POSITIVE_INFINITY ? Double.NaN : v;
    }

    private static double max(List<LineChart.Series> all, LineChart.Axis axis, boolean x) {
        double v = Double.NEGATIVE_INFINITY;
        for (LineChart.Series s : all) {
            if (axis != null && s.axis() != axis) continue;
            for (double d : x ? s.x() : s.y()) if (Double.isFinite(d)) v = Math.max(v, d);
        }
        return v == Double.NEGATIVE_INFINITY ? Double.NaN : v;
    }

    /** The plot area in pixels and the scales that map data into it. */
    private record Frame(int x0, int y0, int x1, int y1, NiceScale xs, NiceScale ys, NiceScale y2s) {
        double fx(double v) { return x0 + (v - xs.min()) / (xs.max() - xs.min()) * (x1 - x0); }

        double fy(double v) { return y1 - (v - ys.min()) / (ys.max() - ys.min()) * (y1 - y0); }

        double fy2(double v) { return y1 - (v - y2s.min()) / (y2s.max() - y2s.min()) * (y1 - y0); }

        int px(double v) { return (int) Math.round(fx(v)); }

        int py(double v) { return (int) Math.round(fy(v)); }

        int py2(double v) { return (int) Math.round(fy2(v)); }
    }
}
