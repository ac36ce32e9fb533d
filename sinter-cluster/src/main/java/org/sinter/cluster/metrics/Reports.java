package org.sinter.cluster.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Timeline;
import org.sinter.io.AtomicFiles;

/** The comparison table for the terminal and the CSV files a replay leaves (written atomically, through sinter-core's {@link AtomicFiles}). */
public final class Reports {
    private static final String[] COLUMNS = {"policy", "placement", "jobs", "avg_jct_s", "median_jct_s", "p95_jct_s",
            "avg_queue_s", "median_queue_s", "p95_queue_s", "makespan_s", "utilization", "fragmentation", "jain",
            "preemptions", "events", "wall_s", "vc_denied_hours", "vc_denied_passes",
            "ftf_max", "ftf_above_1", "utilization_queued", "fragmentation_queued"};

    private Reports() {}

    /** One row per policy, JCTs in hours (what traces of hour-long jobs read best in). */
    public static String table(List<Summary> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s %-11s %7s %9s %9s %9s %9s %9s %8s %6s %6s %6s %6s %6s %7s %6s %8s %7s%n", "policy", "placement", "jobs",
                "avgJCT h", "medJCT h", "p95JCT h", "avgQ h", "p95Q h", "mkspan h", "util", "frag", "utilQ", "fragQ", "jain", "ftfMax", "ftf>1", "preempt", "wall s"));
        boolean vcs = rows.stream().anyMatch(s -> s.vcViolationPasses() > 0 || s.policy().equals("capacity") || s.policy().equals("hived"));
        for (Summary s : rows) {
            b.append(String.format(Locale.ROOT, "%-10s %-11s %7d %9.2f %9.2f %9.2f %9.2f %9.2f %8.1f %6.3f %6.3f %6.3f %6.3f %6.3f %7.2f %6.3f %8d %7.2f%n",
                    s.policy(), s.placement(), s.jobs(), s.avgJct() / 3600, s.medianJct() / 3600, s.p95Jct() / 3600,
                    s.avgQueueing() / 3600, s.p95Queueing() / 3600, s.makespan() / 3600, s.utilization(), s.fragmentation(),
                    s.queuedUtilization(), s.queuedFragmentation(),
                    s.jainFairness(), s.maxFinishTimeFairness(), s.unfairFraction(), s.preemptions(), s.wallSeconds()));
        }
        if (vcs) {
            b.append("virtual-cluster guarantees denied (VC-hours; passes ending with a VC denied):\n");
            for (Summary s : rows) {
                b.append(String.format(Locale.ROOT, "  %-10s %-11s %10.2f VC-h %8d passes%n", s.policy(), s.placement(), s.vcViolationHours(), s.vcViolationPasses()));
            }
        }
        return b.toString();
    }

    public static void writeSummaries(Path file, List<Summary> rows) throws IOException {
        writeAtomically(file, w -> {
            w.append(String.join(",", COLUMNS) + "\n");
            for (Summary s : rows) {
                w.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.6f,%.6f,%.6f,%d,%d,%.3f,%.4f,%d,%.6f,%.6f,%.6f,%.6f%n",
                        s.policy(), s.placement(), s.jobs(), s.avgJct(), s.medianJct(), s.p95Jct(), s.avgQueueing(),
                        s.medianQueueing(), s.p95Queueing(), s.makespan(), s.utilization(), s.fragmentation(),
                        s.jainFairness(), s.preemptions(), s.events(), s.wallSeconds(), s.vcViolationHours(), s.vcViolationPasses(),
                        s.maxFinishTimeFairness(), s.unfairFraction(), s.queuedUtilization(), s.queuedFragmentation()));
            }
        });
    }

    /** Every job: arrival, first start, finish, JCT, GPUs, duration, preemptions, finish-time fairness ρ (for CDFs). */
    public static void writeJobs(Path file, SimulationResult r) throws IOException {
        double[] rho = FinishTimeFairness.of(r).rho();
        writeAtomically(file, w -> {
            w.append("id,type,vc,gpus,arrival_s,duration_s,first_start_s,finish_s,jct_s,preemptions,ftf_rho\n");
            for (int i = 0; i < r.jobs().size(); i++) {
                JobState j = r.jobs().get(i);
                w.append(String.format(Locale.ROOT, "%d,%s,%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%.6f%n", j.job.id(), csv(j.job.type()), csv(j.job.vc()),
                        j.job.gpus(), j.job.arrival(), j.job.duration(), j.firstStart(), j.finish(), j.finish() - j.job.arrival(), j.preemptions(), rho[i]));
            }
        });
    }

    /** Busy GPUs and queue length after each scheduling pass (utilization and queue curves). */
    public static void writeTimeline(Path file, SimulationResult r) throws IOException {
        Timeline t = r.timeline();
        writeAtomically(file, w -> {
            w.append("time_s,busy_gpus,utilization,queued_jobs\n");
            for (int i = 0; i < t.size(); i++) {
                w.append(String.format(Locale.ROOT, "%.3f,%.3f,%.6f,%d%n", t.time(i), t.busyGpus(i), t.busyGpus(i) / r.totalGpus(), t.queued(i)));
            }
        });
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private interface Body {
        void write(StringBuilder w);
    }

    private static void writeAtomically(Path file, Body body) throws IOException {
        StringBuilder b = new StringBuilder();
        body.write(b);
        AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
