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

    public boolean ok() {
        return error == null && !costs.isEmpty();
    }
}
