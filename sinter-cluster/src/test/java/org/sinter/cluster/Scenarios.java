package org.sinter.cluster;

import java.util.ArrayList;
import java.util.List;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.placement.Placement;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;

/** Small hand-built workloads and a way to read back each job's completion time. */
final class Scenarios {
    private Scenarios() {}

    /** Jobs from rows of {arrival, gpus, duration}, ids in row order. */
    static List<Job> jobs(double[]... rows) {
        List<Job> jobs = new ArrayList<>();
        for (double[] r : rows) jobs.add(new Job(jobs.size(), "test", r[0], (int) r[1], r[2], "vc", "row " + jobs.size()));
        return jobs;
    }

    static SimulationResult run(List<Job> jobs, String cluster, Policy policy) {
        return run(jobs, cluster, policy, new ConsolidatePlacement());
    }

    static SimulationResult run(List<Job> jobs, String cluster, Policy policy, Placement placement) {
        return Simulator.run(jobs, ClusterSpec.parse(cluster), policy, placement, 0, null);
    }

    /** Completion time (finish minus arrival) of each job, by id. */
    static double[] jcts(SimulationResult r) {
        double[] out = new double[r.jobs().size()];
        for (JobState j : r.jobs()) out[j.job.id()] = j.finish() - j.job.arrival();
        return out;
    }

    static int preemptions(SimulationResult r) {
        return r.jobs().stream().mapToInt(JobState::preemptions).sum();
    }
}
