package org.sinter.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

        StringBuilder timedOut = new StringBuilder();
        now[0] = 0;
        ProgressBar timed = ProgressBar.builder(10_000).out(timedOut).clock(() -> now[0]).interactive(false)
                .plainEverySeconds(10).build();
        for (int i = 0; i < 35; i++) {
            tick(1);
            timed.advance(10);
        }
        assertEquals(List.of("  1% 100/10000", "  2% 200/10000", "  3% 300/10000"),
                timedOut.toString().lines().map(l -> l.substring(0, l.indexOf("  10.0"))).toList(), "a line every 10 s: " + timedOut);

        // Slower than 1% in 10 s: a line is due every 10 s, but each waits until the percentage moves.
        StringBuilder slowOut = new StringBuilder();
        now[0] = 0;
        ProgressBar slow = ProgressBar.builder(1_000_000).out(slowOut).clock(() -> now[0]).interactive(false)
                .plainEverySeconds(10).build();
        for (int i = 0; i < 35; i++) {
            tick(1);
            slow.advance(10);
        }
        assertEquals(1, slowOut.toString().lines().count(), "one 0% line, then none until 1%: " + slowOut);
        assertTrue(slowOut.toString().startsWith("  0% 100/1000000 "), slowOut.toString());
    }

    /**
     * Plain mode under a clock that a percent threshold and the time heartbeat both drive: every
     * line distinct, the shown percentage strictly increasing, and the last line the finished epoch.
     * (A heartbeat line just below a threshold used to show the threshold's percentage, rounded up,
     * and the threshold's own line then showed it again; likewise "100%" before the end.)
     */
    @ParameterizedTest(name = "total {0}, steps of {1} every {2} s, a line each {3}% or {4} s")
    @CsvSource({
        "60032, 128, 0.15, 10, 10",   // MNIST, batch 128, the defaults: 10% takes ~8 s
        "60032, 128, 0.19, 10, 10",   // ... 10% takes just over 10 s: the heartbeat fires just below each threshold
        "60000, 128, 0.3, 10, 10",    // 10% takes ~14 s: a heartbeat line within every threshold
        "1000, 7, 0.33, 10, 1",       // heartbeat far more often than 10%
        "1000, 3, 1.1, 25, 10",       // several heartbeats within one percent
        "10000, 64, 0.2, 2.5, 3",     // fractional percent steps
        "1000, 1, 0.05, 0.5, 10",     // percent steps finer than the shown precision
        "500, 200, 20, 10, 10",       // steps larger than the percent steps, heartbeat every step
    })
    void plainLinesAreDistinctAndPercentagesStrictlyIncrease(long total, int stepSize, double stepSeconds,
                                                             double everyPercent, double everySeconds) {
        StringBuilder out = new StringBuilder();
        try (ProgressBar bar = ProgressBar.builder(total).label("epoch 1/1").out(out).clock(() -> now[0]).interactive(false)
                .plainEveryPercent(everyPercent).plainEverySeconds(everySeconds).build()) {
            int step = 0;
            for (long done = 0; done < total; done += stepSize, step++) {
                // Uneven step times (every 7th step twice as slow), as training loops have.
                tick(step % 7 == 6 ? 2 * stepSeconds : stepSeconds);
                bar.step(Math.min(stepSize, total - done), 1.0 / (step + 1), 0.5);
            }
        }
        List<String> lines = out.toString().lines().toList();
        assertEquals(lines.size(), lines.stream().distinct().count(), "a line printed twice:\n" + out);
        Pattern percentOf = Pattern.compile("^epoch 1/1 +(\\d+)% (\\d+)/" + total + " ");
        List<Integer> percents = new ArrayList<>();
        List<Long> dones = new ArrayList<>();
        for (String line : lines) {
            Matcher m = percentOf.matcher(line);
            assertTrue(m.find(), "not a progress line: " + line);
            percents.add(Integer.parseInt(m.group(1)));
            dones.add(Long.parseLong(m.group(2)));
        }
        for (int i = 1; i < percents.size(); i++) {
            assertTrue(percents.get(i) > percents.get(i - 1), "percentages " + percents + " do not strictly increase:\n" + out);
        }
        for (int i = 0; i < percents.size(); i++) {
            assertTrue(percents.get(i) <= 100 * dones.get(i) / total, "shows more than is done: " + lines.get(i));
        }
        String last = lines.getLast();
        assertTrue(last.contains(" 100% " + total + "/" + total + " ") && last.contains("took"), "last line: " + last);
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
