package org.sinter.cluster.hetero;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                jobs.add(new HeteroJob(jobs.size(), l.jobType(), l.arrival(), l.gpus(), l.steps(), rate, l.vc(), l.origin()));
            } catch (IllegalArgumentException e) {
                throw new TraceFormatException(l.file(), l.line(), e.getMessage());
            }
        }
        return new Loaded(jobs, jobs.size() + " jobs of Gavel trace " + path.getFileName() + " (" + lines.skipped()
                + " zero-GPU lines skipped), steps/s per GPU type from simulation_throughputs.json");
    }
}
