package org.sinter.cluster.trace;

import java.nio.file.Path;
import java.util.Locale;
import org.sinter.cluster.JobTraits;

/**
 * A job's traits ({@link JobTraits}) from a CSV row: first from Alibaba's {@code qos} class where the
 * format has one, then from the optional columns {@code user}, {@code priority}, {@code preemptible},
 * {@code checkpointable}, {@code migratable}, {@code min_gpus}, {@code max_gpus} and {@code scaling_efficiency}, which override it.
 *
 * <p>The qos mapping follows Kubernetes' classes as Alibaba's v2023 trace uses them: latency-sensitive
 * serving (LS) and Guaranteed pods are never evicted, Burstable and best-effort (BE) ones are.
 * Guaranteed 3, LS 2, Burstable 1, BE 0 (higher first); an empty or unknown class gets the defaults.
 * The trace says nothing of checkpoints, moves or elasticity: those keep the defaults (checkpointed,
 * movable, rigid) unless the columns say.
 */
final class TraitColumns {
    private TraitColumns() {}

    /** The traits a qos class stands for (see the class comment). */
    static JobTraits ofQos(String qos) {
        return switch (qos.trim().toUpperCase(Locale.ROOT)) {
            case "GUARANTEED" -> JobTraits.DEFAULT.withPriority(3).withPreemptible(false);
            case "LS" -> JobTraits.DEFAULT.withPriority(2).withPreemptible(false);
            case "BURSTABLE" -> JobTraits.DEFAULT.withPriority(1);
            default -> JobTraits.DEFAULT; // BE, empty, unknown
        };
    }

    /** {@code base} with whatever optional columns the file has and this row fills (an empty field keeps the base). */
    static JobTraits read(CsvColumns columns, String[] row, Path file, int line, JobTraits base) {
        JobTraits t = base;
        String v;
        if (!(v = field(columns, row, "user")).isEmpty()) t = t.withUser(v);
        if (!(v = field(columns, row, "priority")).isEmpty()) t = t.withPriority(Math.toIntExact(Parsing.parseLong(file, line, "priority", v)));
        if (!(v = field(columns, row, "preemptible")).isEmpty()) t = t.withPreemptible(bool(file, line, "preemptible", v));
        if (!(v = field(columns, row, "checkpointable")).isEmpty()) t = t.withCheckpointable(bool(file, line, "checkpointable", v));
        if (!(v = field(columns, row, "migratable")).isEmpty()) t = t.withMigratable(bool(file, line, "migratable", v));
        if (!(v = field(columns, row, "scaling_efficiency")).isEmpty()) {
            double e = Parsing.parseDouble(file, line, "scaling_efficiency", v);
            if (!(e > 0 && e <= 1)) throw new TraceFormatException(file, line, "scaling_efficiency must be in (0, 1], got " + v);
            t = t.withScalingEfficiency(e);
        }
        String min = field(columns, row, "min_gpus"), max = field(columns, row, "max_gpus");
        if (min.isEmpty() != max.isEmpty()) throw new TraceFormatException(file, line, "min_gpus and max_gpus go together: got '" + min + "' and '" + max + "'");
        if (!min.isEmpty()) {
            long lo = Parsing.parseLong(file, line, "min_gpus", min), hi = Parsing.parseLong(file, line, "max_gpus", max);
            if (lo < 1 || hi < lo || hi > Integer.MAX_VALUE) throw new TraceFormatException(file, line, "elastic range must be 1 <= min_gpus <= max_gpus, got " + lo + ".." + hi);
            t = t.withGpuRange((int) lo, (int) hi);
        }
        return t;
    }

    private static String field(CsvColumns columns, String[] row, String column) {
        return columns.has(column) ? columns.get(row, column) : "";
    }

    private static boolean bool(Path file, int line, String column, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new TraceFormatException(file, line, column + " must be true/false (or 1/0, yes/no), got '" + text + "'");
        };
    }
}
