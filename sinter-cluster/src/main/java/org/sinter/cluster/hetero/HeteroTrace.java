package org.sinter.cluster.hetero;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.cluster.trace.GavelThroughputs;
import org.sinter.cluster.trace.GavelTrace;
import org.sinter.cluster.trace.TraceFormatException;

/**
 * Gavel's {@code .trace} files (a file or a directory, one VC per file) as heterogeneous jobs: each
 * line's steps and, from {@code simulation_throughputs.json} beside them, its gang's steps/s on every
 * GPU type of the cluster. A job whose gang is larger than every type's GPU count cannot run and is
 * an error naming its line.
 */
public final class HeteroTrace {
    private HeteroTrace() {}

    /** The jobs by arrival, and what was read. */
    public record Loaded(List<HeteroJob> jobs, String description) {}

    public static Loaded read(Path path, GpuMix mix, int maxJobs) throws IOException {
        GavelTrace.Source source = GavelTrace.source(path);
        GavelTrace.Lines lines = GavelTrace.readLines(source.files());
        GavelThroughputs throughputs = source.throughputs();
        int largestPool = 0;
        for (int c : mix.counts()) largestPool = Math.max(largestPool, c);
        List<HeteroJob> jobs = new ArrayList<>();
        // Every job type that appears, for the co-location table: one read-only map per (job type, GPU count), shared by its jobs.
        java.util.Set<String> jobTypes = new java.util.TreeSet<>();
        for (GavelTrace.Line l : lines.lines()) jobTypes.add(l.jobType());
        Map<String, Map<String, double[]>> colocatedByKind = new HashMap<>();
        for (GavelTrace.Line l : lines.lines()) {
            if (jobs.size() >= maxJobs) break;
            if (l.gpus() > largestPool) {
                throw new TraceFormatException(l.file(), l.line(), "the job needs " + l.gpus() + " GPUs of one type but the cluster's largest pool has " + largestPool + " (" + mix + ")");
            }
            double[] rate = new double[mix.typeCount()];
            for (int m = 0; m < rate.length; m++) {
                try {
                    rate[m] = throughputs.stepsPerSecond(mix.types().get(m), l.jobType(), l.gpus());
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(l.file(), l.line(), e.getMessage());
                }
            }
            try {
                Map<String, double[]> colocated = colocatedByKind.computeIfAbsent(l.jobType() + "\u0000" + l.gpus(),
                        k -> colocatedRates(throughputs, mix, l.jobType(), l.gpus(), jobTypes));
                jobs.add(new HeteroJob(jobs.size(), l.jobType(), l.arrival(), l.gpus(), l.steps(), rate, l.vc(), l.origin(), colocated));
            } catch (IllegalArgumentException e) {
                throw new TraceFormatException(l.file(), l.line(), e.getMessage());
            }
        }
        return new Loaded(jobs, jobs.size() + " jobs of Gavel trace " + path.getFileName() + " (" + lines.skipped()
                + " zero-GPU lines skipped), steps/s per GPU type from simulation_throughputs.json");
    }

    /** A job kind's steps/s beside each other job type on every GPU type of the mix (partners never measured are left out). */
    private static Map<String, double[]> colocatedRates(GavelThroughputs throughputs, GpuMix mix, String jobType, int gpus, java.util.Set<String> jobTypes) {
        Map<String, double[]> out = new HashMap<>();
        for (String other : jobTypes) {
            double[] r = new double[mix.typeCount()];
            boolean any = false;
            for (int m = 0; m < r.length; m++) {
                r[m] = throughputs.colocatedStepsPerSecond(mix.types().get(m), jobType, other, gpus);
                any |= r[m] > 0;
            }
            if (any) out.put(other, r);
        }
        return out;
    }
}
