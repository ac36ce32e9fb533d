package org.sinter.cli.simulate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.sinter.cli.plot.LineChart;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Timeline;

/** The PNG plots of a policy comparison: JCT CDFs, and utilization and queue length over time. */
public final class SimulationPlots {
    /** Curves are thinned to this many points: a 100,000-job replay has hundreds of thousands of samples. */
    static final int MAX_POINTS = 2000;

    private SimulationPlots() {}

    public static void write(Path dir, List<SimulationResult> results) throws IOException {
        LineChart cdf = new LineChart("Job completion time CDF").xLabel("JCT (hours, log10)").yLabel("fraction of jobs");
        LineChart util = new LineChart("GPU utilization").xLabel("time (hours)").yLabel("busy GPUs / all GPUs");
        LineChart queue = new LineChart("Queue length").xLabel("time (hours)").yLabel("waiting jobs");
        for (SimulationResult r : results) {
            String name = r.policy() + "/" + r.placement();
            double[] jct = r.jobs().stream().mapToDouble(j -> Math.log10(Math.max(1e-3, (j.finish() - j.job.arrival()) / 3600))).sorted().toArray();
            int n = Math.min(jct.length, MAX_POINTS);
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                int k = n == 1 ? jct.length - 1 : (int) ((long) i * (jct.length - 1) / (n - 1));
                x[i] = jct[k];
                y[i] = (k + 1.0) / jct.length;
            }
            cdf.add(name, x, y);
            Timeline t = r.timeline();
            int m = Math.min(t.size(), MAX_POINTS);
            double[] tx = new double[m], uy = new double[m], qy = new double[m];
            for (int i = 0; i < m; i++) {
                int k = m == 1 ? 0 : (int) ((long) i * (t.size() - 1) / (m - 1));
                tx[i] = t.time(k) / 3600;
                uy[i] = t.busyGpus(k) / r.totalGpus();
                qy[i] = t.queued(k);
            }
            util.add(name, tx, uy);
            queue.add(name, Arrays.copyOf(tx, m), qy);
        }
        cdf.writePng(dir.resolve("jct-cdf.png"));
        util.writePng(dir.resolve("utilization.png"));
        queue.writePng(dir.resolve("queue-length.png"));
    }
}
