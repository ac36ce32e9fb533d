package org.sinter.cli.progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Training progress: samples done, loss, accuracy, throughput and time left. On a terminal it is
 * one live line redrawn in place with {@code \r}; elsewhere (files, pipes, CI logs) it prints a
 * plain line every few seconds or every few percent, so logs stay readable. The percentage shown is
 * rounded down (100% means done), and no two plain lines show the same one: a line that is due by
 * time waits until the percentage has moved.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.builder(60_000).label("epoch 1/10").build()) {
 *     for (Batch b : loader) {
 *         ...
 *         bar.step(b.size(), loss.item(), accuracy);
 *     }
 * }
 * }</pre>
 *
 * Output and clock are injectable for tests. Not thread-safe: update it from the training loop.
 */
public final class ProgressBar implements AutoCloseable {
    private final String label;
    private final long total;
    private final String unit;
    private final Appendable out;
    private final LongSupplier clock;
    private final boolean interactive;
    private final int width;
    private final long redrawNs;
    private final long plainEveryNs;
    private final double plainEveryPercent;

    private final long startNs;
    private long done;
    private final Map<String, double[]> metrics = new LinkedHashMap<>();
    private long lastDrawNs;
    private int lastLength;
    private double nextPercent;
    private boolean closed;
    private long lastPrinted = -1;
    private int lastPrintedPercent = -1;

    private ProgressBar(Builder b) {
        label = b.label;
        total = b.total;
        unit = b.unit;
        out = b.out;
        clock = b.clock;
        interactive = b.interactive != null ? b.interactive : Terminal.isInteractive();
        width = b.width;
        redrawNs = (long) (b.redrawSeconds * 1e9);
        plainEveryNs = (long) (b.plainEverySeconds * 1e9);
        plainEveryPercent = b.plainEveryPercent;
        startNs = clock.getAsLong();
        lastDrawNs = startNs;
        nextPercent = plainEveryPercent;
    }

    /** A builder for a bar over {@code total} samples (0 or less: total unknown, no bar and no ETA). */
    public static Builder builder(long total) {
        return new Builder(total);
    }

    /** Adds {@code samples} done and sets loss and accuracy (accuracy as a fraction in [0, 1]). */
    public void step(long samples, double loss, double accuracy) {
        metric("loss", loss);
        percentMetric("acc", accuracy);
        advance(samples);
    }

    /** Sets a metric shown with 4 decimals (e.g. {@code loss 0.3127}). */
    public void metric(String name, double value) {
        metrics.put(name, new double[] {value, 0});
    }

    /** Sets a metric given as a fraction, shown as a percentage (e.g. {@code acc 91.25%}). */
    public void percentMetric(String name, double fraction) {
        metrics.put(name, new double[] {fraction, 1});
    }

    /** Removes all metrics (e.g. at the start of an evaluation phase). */
    public void clearMetrics() {
        metrics.clear();
    }

    /** Adds {@code samples} done and redraws if it is time to. */
    public void advance(long samples) {
        update(done + samples);
    }

    /** Sets the number of samples done and redraws if it is time to. */
    public void update(long samplesDone) {
        done = samplesDone;
        long now = clock.getAsLong();
        if (interactive) {
            if (now - lastDrawNs >= redrawNs || (total > 0 && done >= total)) redraw(now);
        } else {
            boolean byTime = now - lastDrawNs >= plainEveryNs;
            boolean byPercent = total > 0 && percent() >= nextPercent;
            if ((byTime || byPercent) && showsNewPercent()) printLine(now);
            while (total > 0 && nextPercent <= percent()) nextPercent += plainEveryPercent;
        }
    }

    /** Samples done so far. */
    public long done() {
        return done;
    }

    /** The current line, as it would be drawn now. */
    public String line() {
        return render(clock.getAsLong());
    }

    /** Draws the final state and ends the line. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        long now = clock.getAsLong();
        if (interactive) {
            redraw(now);
            write("\n");
        } else if (lastPrinted != done && showsNewPercent()) {
            printLine(now); // the final state, unless the last plain line already showed it (or its percentage)
        }
    }

    private double percent() {
        return total > 0 ? 100.0 * done / total : 0;
    }

    /** The whole percentage shown, rounded down: a line just short of 10% must not say 10%. */
    private int shownPercent() {
        return Math.clamp(done * 100 / total, 0, 100);
    }

    /** Plain mode: a line now would show a higher percentage than the last one (always, when the total is unknown). */
    private boolean showsNewPercent() {
        return total <= 0 || shownPercent() > lastPrintedPercent;
    }

    private void redraw(long now) {
        String line = render(now);
        int pad = Math.max(0, lastLength - line.length()); // blank out what a longer line left behind
        write("\r" + line + " ".repeat(pad));
        lastLength = line.length();
        lastDrawNs = now;
    }

    private void printLine(long now) {
        write(render(now) + "\n");
        lastDrawNs = now;
        lastPrinted = done;
        if (total > 0) lastPrintedPercent = shownPercent();
    }

    private String render(long now) {
        double elapsed = (now - startNs) / 1e9;
        double rate = elapsed > 0 ? done / elapsed : Double.NaN;
        StringBuilder sb = new StringBuilder();
        if (!label.isEmpty()) sb.append(label).append(' ');
        if (total > 0) {
            double f = (double) done / total;
            if (interactive) sb.append(ProgressFormat.bar(f, width)).append(' ');
            sb.append(String.format(Locale.ROOT, "%3d%% ", shownPercent()));
            sb.append(done).append('/').append(total);
        } else {
            sb.append(done);
        }
        for (Map.Entry<String, double[]> m : metrics.entrySet()) {
            sb.append("  ").append(ProgressFormat.metric(m.getKey(), m.getValue()[0], m.getValue()[1] != 0));
        }
        sb.append("  ").append(ProgressFormat.rate(rate, unit));
        if (total > 0) {
            double eta = done >= total ? 0 : rate > 0 ? (total - done) / rate : Double.NaN;
            sb.append(done >= total ? "  took " + ProgressFormat.duration(elapsed) : "  ETA " + ProgressFormat.duration(eta));
        } else {
            sb.append("  elapsed ").append(ProgressFormat.duration(elapsed));
        }
        return sb.toString();
    }

    private void write(String s) {
        try {
            out.append(s);
            if (out instanceof java.io.Flushable f) f.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options of a {@link ProgressBar}; every one has a sensible default. */
    public static final class Builder {
        private final long total;
        private String label = "";
        private String unit = "samples";
        private Appendable out = System.out;
        private LongSupplier clock = System::nanoTime;
        private Boolean interactive;
        private int width = 30;
        private double redrawSeconds = 0.1;
        private double plainEverySeconds = 10;
        private double plainEveryPercent = 10;

        private Builder(long total) {
            this.total = total;
        }

        /** Text in front of the bar, e.g. {@code "epoch 3/10"}. */
        public Builder label(String s) { label = s; return this; }

        /** What is counted, for the rate: {@code samples/s} by default. */
        public Builder unit(String s) { unit = s; return this; }

        /** Where to draw (default {@code System.out}). */
        public Builder out(Appendable a) { out = a; return this; }

        /** The time source in nanoseconds (default {@code System::nanoTime}). */
        public Builder clock(LongSupplier nanos) { clock = nanos; return this; }

        /** Forces live (true) or plain (false) output instead of detecting a terminal. */
        public Builder interactive(boolean b) { interactive = b; return this; }

        /** Cells of the bar. */
        public Builder width(int cells) { width = cells; return this; }

        /** Live mode: the shortest time between redraws. */
        public Builder redrawEvery(double seconds) { redrawSeconds = seconds; return this; }

        /** Plain mode: print a line this often (once the shown percentage has moved)... */
        public Builder plainEverySeconds(double seconds) { plainEverySeconds = seconds; return this; }

        /** ...and each time this many more percent are done. */
        public Builder plainEveryPercent(double percent) {
            if (percent <= 0) throw new IllegalArgumentException("plainEveryPercent must be positive, got " + percent);
            plainEveryPercent = percent;
            return this;
        }

        public ProgressBar build() {
            return new ProgressBar(this);
        }
    }
}
