package org.sinter.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final long[] now = {0};

    private void tick(double seconds) {
        now[0] += (long) (seconds * 1e9);
    }

    @Test
    void liveModeRedrawsInPlace() {
        StringBuilder out = new StringBuilder();
        try (ProgressBar bar = ProgressBar.builder(1000).label("epoch 1/3").out(out).clock(() -> now[0])
                .interactive(true).width(10).build()) {
            tick(1);
            bar.step(250, 0.61234, 0.8);
            tick(0.01);
            bar.step(10, 0.6, 0.8); // too soon: no redraw
            tick(1);
            bar.step(240, 0.5, 0.85);
        }
        String s = out.toString();
        assertFalse(s.substring(0, s.length() - 1).contains("\n"), "one line, redrawn:\n" + s);
        assertTrue(s.endsWith("\n"));
        String[] frames = s.substring(1, s.length() - 1).split("\r");
        assertEquals(3, frames.length, s);
        assertEquals("epoch 1/3 [==>       ]  25% 250/1000  loss 0.6123  acc 80.00%  250 samples/s  ETA 0:03", frames[0]);
        assertTrue(frames[1].startsWith("epoch 1/3 [=====>    ]  50% 500/1000  loss 0.5000  acc 85.00%"), frames[1]);
        assertTrue(frames[1].contains("ETA 0:02"), frames[1]);
    }

    @Test
    void shorterLinesBlankOutTheRest() {
        StringBuilder out = new StringBuilder();
        ProgressBar bar = ProgressBar.builder(0).out(out).clock(() -> now[0]).interactive(true).redrawEvery(0).build();
        tick(1);
        bar.metric("loss", 123456.0);
        bar.advance(5);
        int first = out.length() - 1;
        bar.clearMetrics();
        tick(1);
        bar.advance(5);
        String second = out.substring(first + 1);
        assertEquals(first, second.length() - 1, "padded to the previous line's length: '" + second + "'");
    }

    @Test
    void plainModePrintsEveryFewPercentOrSeconds() {
        StringBuilder out = new StringBuilder();
        ProgressBar bar = ProgressBar.builder(100).label("train").out(out).clock(() -> now[0]).interactive(false)
                .plainEveryPercent(25).plainEverySeconds(30).build();
        for (int i = 0; i < 100; i++) {
            tick(0.1);
            bar.step(1, 1.0 / (i + 1), i / 100.0);
        }
        bar.close();
        List<String> lines = out.toString().lines().toList();
        assertEquals(4, lines.size(), out.toString()); // 25, 50, 75, 100 %: closing adds no repeat of the last line
        assertTrue(lines.get(0).startsWith("train  25% 25/100  loss 0.0400  acc 24.00%  10.0 samples/s  ETA 0:08"), lines.get(0));
        assertTrue(lines.get(3).contains("100% 100/100") && lines.get(3).contains("took 0:10"), lines.get(3));
        assertFalse(out.toString().contains("\r"));

        StringBuilder slow = new StringBuilder();
        now[0] = 0;
        ProgressBar timed = ProgressBar.builder(1_000_000).out(slow).clock(() -> now[0]).interactive(false)
                .plainEverySeconds(10).build();
        for (int i = 0; i < 35; i++) {
            tick(1);
            timed.advance(10);
        }
        assertEquals(3, slow.toString().lines().count(), "a line every 10 s: " + slow);
    }

    @Test
    void unknownTotalShowsCountRateAndElapsed() {
        ProgressBar bar = ProgressBar.builder(-1).out(new StringBuilder()).clock(() -> now[0]).interactive(true).build();
        tick(2);
        bar.advance(50_000);
        assertEquals("50000  25.0k samples/s  elapsed 0:02", bar.line());
    }

    @Test
    void formats() {
        assertEquals("[==========]", ProgressFormat.bar(1, 10));
        assertEquals("[>         ]", ProgressFormat.bar(0, 10));
        assertEquals("1:02:03", ProgressFormat.duration(3723));
        assertEquals("--:--", ProgressFormat.duration(Double.NaN));
        assertEquals("1.20M samples/s", ProgressFormat.rate(1.2e6, "samples"));
    }
}
