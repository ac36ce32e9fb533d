package org.sinter.autotune.log;

import java.util.List;
import java.util.Map;

/**
 * One trial, one line of the tuning log (AutoTVM's record: input, result, version): the workload
 * key, the template, the configuration's knob values, the per-call costs in seconds (empty for an
 * error), the error, the build seconds, the GFLOP/s, the wall-clock time of the trial (epoch
 * seconds), the explorer that proposed it and the versions that produced it.
 */
public record TuningRecord(String workload, String template, Map<String, Integer> config, List<Double> costs, String error,
                           double buildSeconds, double gflops, double timestamp, String explorer, Map<String, String> versions) {
    public TuningRecord {
        config = Map.copyOf(config);
        costs = List.copyOf(costs);
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }

    /** The template name of a built-in kernel's baseline record ({@link org.sinter.autotune.measure.BuiltinBaseline}). */
    public static final String BUILTIN = "builtin";

    public boolean ok() {
        return error == null && !costs.isEmpty();
    }

    /**
     * The explorer name of the two records a side-by-side timing appends (a tuned kernel and the
     * built-in, timed in turn: {@link org.sinter.autotune.measure.SideBySide}); neither is a trial.
     */
    public static final String SIDE_BY_SIDE = "side_by_side";

    /** Whether this is the built-in kernel's timing (a baseline or a side-by-side one) rather than a template's. */
    public boolean builtin() {
        return BUILTIN.equals(template);
    }

    /** Whether this is one half of a side-by-side timing. */
    public boolean sideBySide() {
        return SIDE_BY_SIDE.equals(explorer);
    }

    /** Whether this is a trial of a template (what tuners resume from, models train on and {@code best} picks from). */
    public boolean trial() {
        return !builtin() && !sideBySide();
    }
}
