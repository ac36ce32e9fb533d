package org.sinter.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.sinter.cli.plot.LineChart;

/** Writes the run's loss and accuracy curves as PNG charts. */
final class Charts {
    private Charts() {}

    /** Writes the charts there is data for; returns the names of the files written. */
    static List<String> write(Path out, Metrics m, int stepsPerEpoch) throws IOException {
        List<Metrics.StepRow> steps = m.steps;
        if (steps.isEmpty()) return List.of();
        List<String> wrote = new java.util.ArrayList<>();
        // A moving average over ~2% of an epoch keeps the per-step curve readable.
        int window = Math.max(1, stepsPerEpoch / 50);
        double[] x = new double[steps.size()], y = new double[steps.size()];
        double sum = 0;
        for (int i = 0; i < steps.size(); i++) {
            sum += steps.get(i).loss();
            if (i >= window) sum -= steps.get(i - window).loss();
            x[i] = steps.get(i).step() / (double) Math.max(1, stepsPerEpoch);
            y[i] = sum / Math.min(i + 1, window);
        }
        LineChart loss = new LineChart("Loss").xLabel("epoch").yLabel("loss").add("train (moving average)", x, y);
        List<Metrics.EpochRow> ep = m.epochs;
        if (!ep.isEmpty()) {
            double[] ex = new double[ep.size() + 0], tl = new double[ep.size()], ta = new double[ep.size()], va = new double[ep.size()];
            for (int i = 0; i < ep.size(); i++) {
                ex[i] = ep.get(i).epoch();
                tl[i] = ep.get(i).testLoss();
                ta[i] = 100 * ep.get(i).trainAcc();
                va[i] = 100 * ep.get(i).testAcc();
            }
            loss.add("test", ex, tl);
            new LineChart("Accuracy").xLabel("epoch").yLabel("accuracy (%)").add("train", ex, ta).add("test", ex, va)
                    .writePng(out.resolve("accuracy.png"));
        }
        loss.writePng(out.resolve("loss.png"));
        wrote.add("loss.png");
        if (!ep.isEmpty()) wrote.add("accuracy.png");
        return wrote;
    }
}
