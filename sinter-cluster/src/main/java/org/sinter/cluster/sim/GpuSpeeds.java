package org.sinter.cluster.sim;

import org.sinter.cluster.Job;

/**
 * How long a job runs on each GPU type of a heterogeneous cluster (Gavel's measured throughputs turn
 * a job's steps into seconds per type). {@link Job#duration()} is its length on the reference type
 * (the one its trace was read for); a job that moves between types keeps its share of work done.
 */
@FunctionalInterface
public interface GpuSpeeds {
    /**
     * Seconds {@code job} runs, start to end, on GPUs of type {@code type} (an index of the cluster's
     * types); {@code +Infinity} where it cannot run (a hard type constraint every policy honours).
     */
    double duration(Job job, int type);
}
