package org.sinter.cluster.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.sinter.cluster.Job;

/**
 * Gavel's Philly-derived job traces ({@code .trace}): one job per line, 7 tab-separated fields,
 * {@code job_type, command, num_steps_arg, needs_data_dir, total_steps, arrival_time, scale_factor}
 * (Gavel's 2019 {@code parse_trace}). Steps become seconds through Gavel's measured throughputs on
 * one GPU type; {@code scale_factor} is the GPU count, and 0 means the job is skipped (Gavel's rule).
 * A directory is read as one trace per virtual cluster (the {@code msr} set's layout): the file's
 * name is the jobs' VC, and the throughputs are its {@code simulation_throughputs.json}.
 */
public final class GavelTrace {
    static final int FIELDS = 7;

    private GavelTrace() {}

    /** What was read: the jobs, sorted by arrival, and how many lines asked for zero GPUs. */
    public record Loaded(List<Job> jobs, int skipped) {}

    public static Loaded readDirectory(Path dir, String gpuType) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted().toList();
        }
        if (files.isEmpty()) throw new TraceFormatException(dir, "no .trace files in this directory");
        return read(files, throughputsBeside(dir), gpuType);
    }

    public static Loaded readFile(Path file, String gpuType) throws IOException {
        return read(List.of(file), throughputsBeside(file.toAbsolutePath().getParent()), gpuType);
    }

    private static GavelThroughputs throughputsBeside(Path dir) throws IOException {
        Path t = dir.resolve("simulation_throughputs.json");
        if (!Files.isRegularFile(t)) throw new TraceFormatException(dir, "Gavel traces need simulation_throughputs.json beside them (steps to seconds)");
        return GavelThroughputs.read(t);
    }

    /** One job line as written: steps, not yet seconds (the GPU type decides those). */
    public record Line(String jobType, long steps, double arrival, int gpus, String vc, Path file, int line) {
        public String origin() {
            return file.getFileName() + ":" + line;
        }
    }

    /** The lines of several traces, sorted by arrival, then file, then line, and how many asked for zero GPUs. */
    public record Lines(List<Line> lines, int skipped) {}

    /** The trace files of a directory (or the one file) and the throughputs beside them. */
    public record Source(List<Path> files, GavelThroughputs throughputs) {}

    public static Source source(Path path) throws IOException {
        if (!Files.isDirectory(path)) return new Source(List.of(path), throughputsBeside(path.toAbsolutePath().getParent()));
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted().toList();
        }
        if (files.isEmpty()) throw new TraceFormatException(path, "no .trace files in this directory");
        return new Source(files, throughputsBeside(path));
    }

    public static Lines readLines(List<Path> files) throws IOException {
        List<Line> rows = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            String vc = file.getFileName().toString().replaceFirst("\\.trace$", "");
            try (BufferedReader in = Files.newBufferedReader(file)) {
                String text;
                for (int line = 1; (text = in.readLine()) != null; line++) {
                    if (text.isBlank()) continue;
                    String[] fs = text.split("\t", -1);
                    if (fs.length != FIELDS) {
                        throw new TraceFormatException(file, line, "expected " + FIELDS + " tab-separated fields (job_type, command, num_steps_arg, needs_data_dir, total_steps, arrival_time, scale_factor), got " + fs.length);
                    }
                    long steps = Parsing.parseLong(file, line, "total_steps", fs[4]);
                    double arrival = Parsing.parseDouble(file, line, "arrival_time", fs[5]);
                    int gpus = (int) Parsing.parseLong(file, line, "scale_factor", fs[6]);
                    if (steps <= 0) throw new TraceFormatException(file, line, "total_steps must be positive, got " + steps);
                    if (arrival < 0) throw new TraceFormatException(file, line, "arrival_time must be >= 0, got " + fs[5]);
                    if (gpus < 0) throw new TraceFormatException(file, line, "scale_factor (GPU count) must be >= 0, got " + gpus);
                    if (gpus == 0) { skipped++; continue; }
                    rows.add(new Line(fs[0], steps, arrival, gpus, vc, file, line));
                }
            }
        }
        java.util.Map<Path, Integer> fileIndex = new java.util.HashMap<>();
        for (int f = 0; f < files.size(); f++) fileIndex.put(files.get(f), f);
        rows.sort(Comparator.comparingDouble(Line::arrival).thenComparingInt(l -> fileIndex.get(l.file())).thenComparingInt(Line::line));
        return new Lines(rows, skipped);
    }

    /**
     * Each job's duration on each of {@code gpuTypes} (row: job id of {@link #read}, column: type),
     * from the same lines and throughputs: what a heterogeneous cluster's {@code GpuSpeeds} reads.
     * A type Gavel measured no throughput on (a model that does not fit a K80's memory) gets
     * {@code +Infinity}: the job cannot run there. A job that runs on none of them is an error naming its line.
     */
    public static double[][] durationsByType(List<Path> files, GavelThroughputs throughputs, List<String> gpuTypes) throws IOException {
        Lines lines = readLines(files);
        double[][] d = new double[lines.lines().size()][gpuTypes.size()];
        for (int i = 0; i < d.length; i++) {
            Line l = lines.lines().get(i);
            for (int t = 0; t < gpuTypes.size(); t++) {
                double rate;
                try {
                    rate = throughputs.stepsPerSecond(gpuTypes.get(t), l.jobType(), l.gpus());
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(l.file(), l.line(), e.getMessage());
                }
                d[i][t] = rate > 0 ? l.steps() / rate : Double.POSITIVE_INFINITY;
            }
            if (java.util.Arrays.stream(d[i]).allMatch(Double::isInfinite)) {
                throw new TraceFormatException(l.file(), l.line(), "no positive throughput for '" + l.jobType() + "' on " + l.gpus() + " GPUs of any type in " + gpuTypes);
            }
        }
        return d;
    }

    /** Reads several traces as one workload; job ids follow arrival, then file, then line. */
    public static Loaded read(List<Path> files, GavelThroughputs throughputs, String gpuType) throws IOException {
        Lines lines = readLines(files);
        List<Job> jobs = new ArrayList<>(lines.lines().size());
        for (Line l : lines.lines()) {
            double rate;
            try {
                rate = throughputs.stepsPerSecond(gpuType, l.jobType(), l.gpus());
            } catch (IllegalArgumentException e) {
                throw new TraceFormatException(l.file(), l.line(), e.getMessage());
            }
            if (!(rate > 0)) throw new TraceFormatException(l.file(), l.line(), "no positive throughput for '" + l.jobType() + "' on " + l.gpus() + " " + gpuType + " GPUs");
            jobs.add(new Job(jobs.size(), l.jobType(), l.arrival(), l.gpus(), l.steps() / rate, l.vc(), l.origin()));
        }
        return new Loaded(jobs, lines.skipped());
    }
}
