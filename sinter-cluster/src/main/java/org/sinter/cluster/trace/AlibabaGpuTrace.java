package org.sinter.cluster.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sinter.cluster.Job;
import org.sinter.cluster.JobTraits;

/**
 * Alibaba's GPU cluster trace v2023 ({@code cluster-trace-gpu-v2023}, the {@code openb_pod_list_*.csv}
 * files): one pod per line with the header {@code name, cpu_milli, memory_mib, num_gpu, gpu_milli,
 * gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time} (columns found by name, in
 * any order). A pod becomes a job that arrives at {@code creation_time}, runs from
 * {@code scheduled_time} to {@code deletion_time} (its duration), and holds {@code cpu_milli / 1000}
 * cores and {@code memory_mib / 1024} GiB (what DRF shares). Its queue is its {@code qos} class
 * (LS, BE, Burstable, Guaranteed), which also sets its priority and whether it may be preempted
 * ({@link TraitColumns}: Guaranteed 3 and LS 2 never preempted, Burstable 1 and BE 0 preemptible);
 * the optional columns {@code priority, preemptible, checkpointable, migratable, min_gpus, max_gpus}
 * override that. Skipped and counted: pods without GPUs, pods never scheduled (empty
 * {@code scheduled_time}, e.g. Pending) and pods that ran zero seconds. {@code gpu_milli} below 1000 is
 * a fraction of one GPU (GPU sharing, only with {@code num_gpu} 1): the job shares one GPU with other
 * such pods ({@link Job#gpuMilli()}). {@code gpu_spec}, when the file has it, lists the GPU models a
 * pod may run on ({@code V100M16|V100M32}; empty: any), kept per job for a cluster of a node list's
 * models ({@link #constraints}). The cluster's machines are {@link AlibabaNodeList}'s.
 */
public final class AlibabaGpuTrace {
    static final List<String> COLUMNS = List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "qos", "creation_time", "deletion_time", "scheduled_time");

    private AlibabaGpuTrace() {}

    /**
     * The jobs by arrival, the counts of pods skipped, and of pods that share a GPU ({@code fractional});
     * {@code gpuModels.get(id)}: the GPU models job {@code id} may run on (empty: any).
     */
    public record Loaded(List<Job> jobs, int cpuOnly, int neverScheduled, int zeroLength, int fractional, List<List<String>> gpuModels) {
        /** Jobs that name the GPU models they may run on. */
        public long constrained() {
            return gpuModels.stream().filter(m -> !m.isEmpty()).count();
        }

        /**
         * Each job's duration on each GPU type of {@code spec} (types named by GPU model, as a node list's):
         * its own where its {@code gpu_spec} allows the model, +Infinity where not; null when no job names models.
         */
        public org.sinter.cluster.sim.GpuSpeeds constraints(org.sinter.cluster.ClusterSpec spec) {
            if (constrained() == 0) return null;
            List<String> types = spec.typeNames();
            return (job, type) -> gpuModels.get(job.id()).isEmpty() || gpuModels.get(job.id()).contains(types.get(type)) ? job.duration() : Double.POSITIVE_INFINITY;
        }
    }

    /** Whether a CSV header line is this format's (it names every needed column). */
    public static boolean recognises(String header) {
        if (header == null) return false;
        List<String> names = List.of(header.trim().split(",", -1));
        return names.containsAll(COLUMNS);
    }

    public static Loaded read(Path file, int maxJobs) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            CsvColumns columns = new CsvColumns(in, file, COLUMNS, "the v2023 pod list");
            record Row(double arrival, int line, Job job, List<String> models) {}
            List<Row> rows = new ArrayList<>();
            int cpuOnly = 0, neverScheduled = 0, zeroLength = 0, fractional = 0;
            String text;
            for (int line = 2; (text = in.readLine()) != null; line++) {
                if (text.isBlank()) continue;
                String[] f = columns.split(line, text);
                long gpus = Parsing.parseLong(file, line, "num_gpu", columns.get(f, "num_gpu"));
                double gpuMilli = Parsing.parseDouble(file, line, "gpu_milli", columns.get(f, "gpu_milli"));
                double cpuMilli = Parsing.parseDouble(file, line, "cpu_milli", columns.get(f, "cpu_milli"));
                double memoryMib = Parsing.parseDouble(file, line, "memory_mib", columns.get(f, "memory_mib"));
                double created = Parsing.parseDouble(file, line, "creation_time", columns.get(f, "creation_time"));
                double deleted = Parsing.parseDouble(file, line, "deletion_time", columns.get(f, "deletion_time"));
                if (gpus < 0 || gpuMilli < 0 || cpuMilli < 0 || memoryMib < 0) throw new TraceFormatException(file, line, "num_gpu, gpu_milli, cpu_milli and memory_mib must be >= 0");
                if (created < 0) throw new TraceFormatException(file, line, "creation_time must be >= 0, got " + created);
                if (gpus == 0) { cpuOnly++; continue; }
                String scheduledText = columns.get(f, "scheduled_time");
                if (scheduledText.isEmpty()) { neverScheduled++; continue; }
                double scheduled = Parsing.parseDouble(file, line, "scheduled_time", scheduledText);
                if (scheduled < created) throw new TraceFormatException(file, line, "scheduled_time " + scheduled + " is before creation_time " + created);
                if (deleted < scheduled) throw new TraceFormatException(file, line, "deletion_time " + deleted + " is before scheduled_time " + scheduled);
                if (deleted == scheduled) { zeroLength++; continue; }
                if (gpuMilli < 1 || gpuMilli > Job.WHOLE_GPU || gpuMilli != Math.rint(gpuMilli)) {
                    throw new TraceFormatException(file, line, "gpu_milli must be a whole number in 1.." + Job.WHOLE_GPU + " for a pod with GPUs, got " + columns.get(f, "gpu_milli"));
                }
                if (gpuMilli < Job.WHOLE_GPU && gpus != 1) throw new TraceFormatException(file, line, "gpu_milli " + (int) gpuMilli + " (a share of one GPU) needs num_gpu 1, got " + gpus);
                if (gpuMilli < Job.WHOLE_GPU) fractional++;
                String origin = file.getFileName() + ":" + line;
                String qos = columns.get(f, "qos");
                JobTraits traits = TraitColumns.read(columns, f, file, line, TraitColumns.ofQos(qos));
                if (traits.elastic() && (gpus < traits.minGpus() || gpus > traits.maxGpus() || gpuMilli < Job.WHOLE_GPU)) {
                    throw new TraceFormatException(file, line, "num_gpu " + gpus + " (gpu_milli " + (int) gpuMilli + ") must be whole GPUs within min_gpus..max_gpus = " + traits.minGpus() + ".." + traits.maxGpus());
                }
                Job job = new Job(0, columns.get(f, "name"), created, (int) gpus, deleted - scheduled, qos, origin, cpuMilli / 1000, memoryMib / 1024, (int) gpuMilli, traits);
                String spec = columns.has("gpu_spec") ? columns.get(f, "gpu_spec") : "";
                List<String> models = spec.isEmpty() || spec.equalsIgnoreCase("nan") ? List.of() : List.of(spec.split("\\|"));
                rows.add(new Row(created, line, job, models));
            }
            rows.sort(Comparator.comparingDouble(Row::arrival).thenComparingInt(Row::line));
            List<Job> jobs = new ArrayList<>();
            List<List<String>> gpuModels = new ArrayList<>();
            for (Row r : rows) {
                if (jobs.size() >= maxJobs) break;
                jobs.add(r.job().withId(jobs.size()));
                gpuModels.add(r.models());
            }
            return new Loaded(jobs, cpuOnly, neverScheduled, zeroLength, fractional, gpuModels);
        }
    }
}
