package org.sinter.cluster.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;

/**
 * The {@code --trace} argument to a list of jobs: {@code synthetic:N}, a Gavel {@code .trace} file
 * or a directory of them, or a run-time list ({@code philly_runtime.csv}, recognised by its header).
 */
public final class Workloads {
    private Workloads() {}

    /**
     * @param load     offered load for traces without arrivals (run-time lists, synthetic)
     * @param maxJobs  keep the first so many jobs (by arrival)
     * @param gpuType  the GPU type whose Gavel throughputs turn steps into seconds
     */
    public record Options(double load, long seed, int maxJobs, String gpuType, double diurnalAmplitude) {
        public Options {
            if (maxJobs < 1) throw new IllegalArgumentException("the job limit must be at least 1, got " + maxJobs);
            if (!(diurnalAmplitude >= 0 && diurnalAmplitude <= 1)) throw new IllegalArgumentException("--diurnal: amplitude must be in [0, 1], got " + diurnalAmplitude);
        }

        /** Plain Poisson arrivals for traces without arrival times. */
        public Options(double load, long seed, int maxJobs, String gpuType) {
            this(load, seed, maxJobs, gpuType, 0);
        }

        String arrivals() {
            return diurnalAmplitude == 0 ? "Poisson arrivals at load " + load
                    : "diurnal Poisson arrivals (amplitude " + diurnalAmplitude + ", peak at 14:00) at mean load " + load;
        }
    }

    /**
     * Jobs, a line saying what was read (skipped rows included), and on a cluster of several GPU
     * types each job's duration per type (null on one type).
     */
    public record Workload(List<Job> jobs, String description, org.sinter.cluster.sim.GpuSpeeds speeds) {
        public Workload(List<Job> jobs, String description) {
            this(jobs, description, null);
        }
    }

    public static Workload load(String trace, ClusterSpec cluster, Options o) throws IOException {
        if (cluster.types() > 1 && cluster.nodeList() == null) return typed(trace, cluster, o); // a node list's GPU models run jobs at one speed
        int gpus = cluster.totalGpus();
        if (trace.startsWith("synthetic:")) {
            int n;
            try {
                n = Integer.parseInt(trace.substring("synthetic:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--trace synthetic:N needs a job count, got '" + trace + "'");
            }
            if (n < 1) throw new IllegalArgumentException("--trace synthetic:N needs at least one job, got " + n);
            List<Job> jobs = SyntheticTrace.generate(Math.min(n, o.maxJobs()), gpus, gpus, o.load(), o.seed(), o.diurnalAmplitude());
            return new Workload(jobs, jobs.size() + " synthetic jobs (log-normal durations, Philly GPU mix, " + o.arrivals() + ")");
        }
        Path path = Path.of(trace);
        if (Files.isDirectory(path)) return gavel(GavelTrace.readDirectory(path, o.gpuType()), path, o);
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException("--trace: no such file or directory: " + path);
        if (path.getFileName().toString().endsWith(".trace")) return gavel(GavelTrace.readFile(path, o.gpuType()), path, o);
        String header;
        try (BufferedReader in = Files.newBufferedReader(path)) {
            header = in.readLine();
        }
        if (header != null && header.trim().equals("runtime")) {
            PhillyRuntimes.Loaded r = PhillyRuntimes.read(path, Integer.MAX_VALUE).shuffledSample(o.maxJobs(), o.seed());
            List<Job> jobs = PoissonWorkload.build(r.durations(), r.origins(), "philly", gpus, gpus, o.load(), o.seed(), o.diurnalAmplitude());
            return new Workload(jobs, jobs.size() + " Philly run times from " + path.getFileName() + " (" + r.skipped()
                    + " zero rows skipped; shuffled), Philly GPU mix, " + o.arrivals());
        }
        if (AlibabaGpuTrace.recognises(header)) {
            noDiurnal(path, o);
            AlibabaGpuTrace.Loaded a = AlibabaGpuTrace.read(path, o.maxJobs());
            String models = a.constrained() == 0 ? "" : cluster.nodeList() != null ? "; " + a.constrained() + " limited to the GPU models of their gpu_spec"
                    : "; the gpu_spec of " + a.constrained() + " pods ignored (a cluster of one GPU model: give --nodes)";
            return new Workload(a.jobs(), a.jobs().size() + " GPU pods of Alibaba trace " + path.getFileName() + " (skipped: " + a.cpuOnly() + " without GPUs, "
                    + a.neverScheduled() + " never scheduled, " + a.zeroLength() + " of zero length; " + a.fractional() + " share a GPU (gpu_milli < 1000)" + models + ")",
                    cluster.nodeList() != null ? a.constraints(cluster) : null);
        }
        throw new TraceFormatException(path, 1, "not a known trace: expected a Gavel .trace file (or a directory of them), "
                + "a run-time list with the header 'runtime', an Alibaba v2023 pod list (name,cpu_milli,memory_mib,num_gpu,...), or synthetic:N");
    }

    /** A trace with its own arrival times keeps them: a daily cycle is for traces without (run-time lists, synthetic). */
    private static void noDiurnal(Path path, Options o) {
        if (o.diurnalAmplitude() != 0) throw new IllegalArgumentException("--diurnal: " + path + " has its own arrival times; a daily cycle applies to run-time lists and synthetic:N");
    }

    /**
     * A cluster of several GPU types needs each job's speed on each: Gavel's traces (steps, and
     * measured throughputs per type beside them). Durations on the reference type are {@code --gpu-type}'s.
     */
    private static Workload typed(String trace, ClusterSpec cluster, Options o) throws IOException {
        Path path = Path.of(trace);
        if (!(Files.isDirectory(path) || path.getFileName().toString().endsWith(".trace")) || !Files.exists(path)) {
            throw new IllegalArgumentException("--cluster " + cluster + " has several GPU types: --trace must be a Gavel .trace file or directory "
                    + "(steps and measured throughputs per type), got " + trace);
        }
        GavelTrace.Source source = GavelTrace.source(path);
        Workload w = gavel(GavelTrace.read(source.files(), source.throughputs(), o.gpuType()), path, o);
        double[][] byType = GavelTrace.durationsByType(source.files(), source.throughputs(), cluster.typeNames());
        return new Workload(w.jobs(), w.description() + "; per-type durations for " + cluster.typeNames(), (job, t) -> byType[job.id()][t]);
    }

    private static Workload gavel(GavelTrace.Loaded l, Path path, Options o) {
        noDiurnal(path, o);
        List<Job> jobs = l.jobs().size() > o.maxJobs() ? l.jobs().subList(0, o.maxJobs()) : l.jobs();
        return new Workload(jobs, jobs.size() + " jobs of Gavel trace " + path.getFileName() + " (" + l.skipped()
                + " zero-GPU lines skipped), durations from " + o.gpuType() + " throughputs");
    }
}
