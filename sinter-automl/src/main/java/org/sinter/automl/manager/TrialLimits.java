package org.sinter.automl.manager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resource limits of one trial process, with everything it starts: resident memory (the sum of the
 * tree's RSS) and CPU time (user and system, of the live tree plus the children it has reaped). The
 * manager samples the tree every {@link #SAMPLE_MILLIS} ms from {@code /proc} and kills a trial that
 * goes over, which then fails naming the limit, as Ray's memory monitor ends a task. Sampling, not
 * a kernel limit, so it needs no privileges and works for any command (a JVM's virtual reservations
 * would trip {@code RLIMIT_AS}); a spike shorter than a sample can slip by.
 *
 * @param maxResidentBytes 0: no memory limit
 * @param maxCpuSeconds 0: no CPU-time limit
 */
public record TrialLimits(long maxResidentBytes, double maxCpuSeconds) {
    public static final long SAMPLE_MILLIS = 100;
    public static final TrialLimits NONE = new TrialLimits(0, 0);
    /** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux architecture Sinter runs on). */
    private static final double TICKS = 100.0;
    private static final long PAGE = 4096;

    public TrialLimits {
        if (maxResidentBytes < 0) throw new IllegalArgumentException("the trial memory limit must be >= 0 bytes, got " + maxResidentBytes);
        if (!(maxCpuSeconds >= 0) || Double.isInfinite(maxCpuSeconds)) throw new IllegalArgumentException("the trial CPU limit must be >= 0 s, got " + maxCpuSeconds);
    }

    public boolean any() {
        return maxResidentBytes > 0 || maxCpuSeconds > 0;
    }

    /** What a process tree uses now. */
    public record Usage(long residentBytes, double cpuSeconds) {}

    /** The tree's usage from /proc; processes that end while it is read are skipped. */
    public static Usage sample(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        long rss = 0;
        double cpu = 0;
        for (ProcessHandle p : tree) {
            try {
                String[] statm = Files.readString(Path.of("/proc", Long.toString(p.pid()), "statm")).trim().split("\\s+");
                rss += Long.parseLong(statm[1]) * PAGE;
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15, cutime 16, cstime 17.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                cpu += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS;
            } catch (IOException | RuntimeException e) {
                // ended between listing and reading
            }
        }
        return new Usage(rss, cpu);
    }

    /** Why {@code usage} breaks these limits, or null. */
    public String exceeded(Usage usage) {
        if (maxResidentBytes > 0 && usage.residentBytes() > maxResidentBytes) {
            return String.format(java.util.Locale.ROOT, "exceeded the memory limit of %.0f MiB (resident %.0f MiB)", maxResidentBytes / 1048576.0,
                    usage.residentBytes() / 1048576.0);
        }
        if (maxCpuSeconds > 0 && usage.cpuSeconds() > maxCpuSeconds) {
            return String.format(java.util.Locale.ROOT, "exceeded the CPU limit of %.1f s (used %.1f s)", maxCpuSeconds, usage.cpuSeconds());
        }
        return null;
    }
}
