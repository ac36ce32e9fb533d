package org.sinter.cluster.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.placement.Placement;
import org.sinter.cluster.policy.Policies;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.SyntheticTrace;

/**
 * The scale bar of issue 16: replaying 100,000 jobs on a 10,000-GPU cluster in under 30 s per policy.
 * For each job count and policy it replays the same seeded synthetic trace and prints the replay's
 * wall time, the CPU time of the replaying thread (what the simulator itself cost, steadier than
 * wall time on a shared machine: other processes' load inflates the wall time, not the CPU time),
 * the events processed, the CPU time per event (near-constant as the job count grows when the cost
 * is near-linear in events) and the wall time as a share of the 30 s bar.
 * <p>
 * Usage: {@code ScaleBench [--jobs 25000,50000,100000] [--cluster 1250x8] [--load 1.5]
 * [--policy fifo,sjf,srtf,tiresias,easy,gandiva] [--seed 0] [--repeat 1]} (bench/cluster_scale.sh runs it).
 */
public final class ScaleBench {
    /** The bar, seconds per policy. */
    static final double BAR_SECONDS = 30;

    private ScaleBench() {}

    public static void main(String[] args) {
        int[] jobCounts = {100_000};
        String cluster = "1250x8";
        double load = 1.5;
        List<String> policies = List.of("fifo", "sjf", "srtf", "tiresias", "easy", "gandiva");
        long seed = 0;
        int repeat = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException("ScaleBench: " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--jobs" -> jobCounts = Arrays.stream(v.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                case "--cluster" -> cluster = v;
                case "--load" -> load = Double.parseDouble(v);
                case "--policy" -> policies = Arrays.stream(v.split(",")).map(String::trim).toList();
                case "--seed" -> seed = Long.parseLong(v);
                case "--repeat" -> repeat = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("ScaleBench: unknown option " + a + " (--jobs, --cluster, --load, --policy, --seed, --repeat)");
            }
        }
        ClusterSpec spec = ClusterSpec.parse(cluster);
        for (String p : policies) Policies.checkName(p);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "cluster %s (%d GPUs), load %.2f, seed %d, %d run(s) each, median shown%n", spec, spec.totalGpus(), load, seed, repeat);
        System.out.printf(Locale.ROOT, "%-10s %8s %10s %10s %10s %12s %10s %9s %10s%n",
                "policy", "jobs", "events", "wall s", "cpu s", "cpu us/evt", "avgJCT h", "preempt", "wall/bar");
        for (int n : jobCounts) {
            List<Job> jobs = SyntheticTrace.generate(n, spec.totalGpus(), spec.totalGpus(), load, seed);
            for (String p : policies) {
                List<double[]> runs = new ArrayList<>();
                SimulationResult r = null;
                for (int k = 0; k < repeat; k++) {
                    long cpu0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                    r = Simulator.run(jobs, spec, Policies.of(p, null, spec), Placement.of("consolidate", seed), 0, null);
                    runs.add(new double[] {(System.nanoTime() - t0) / 1e9, (threads.getCurrentThreadCpuTime() - cpu0) / 1e9});
                }
                runs.sort((x, y) -> Double.compare(x[0], y[0]));
                double[] median = runs.get(runs.size() / 2);
                double avgJct = r.jobs().stream().mapToDouble(j -> j.finish() - j.job.arrival()).average().orElse(0) / 3600;
                long preemptions = r.jobs().stream().mapToLong(j -> j.preemptions()).sum();
                System.out.printf(Locale.ROOT, "%-10s %8d %10d %10.2f %10.2f %12.2f %10.2f %9d %10.2f%n",
                        p, n, r.events(), median[0], median[1], median[1] * 1e6 / r.events(), avgJct, preemptions, median[0] / BAR_SECONDS);
            }
        }
    }
}
