package org.sinter.automl.experiment;

import java.util.List;
import java.util.Map;

/**
 * A finished trial. {@code value} is the final metric when it succeeded, its last intermediate
 * result when stopped early (what the tuner was told), NaN when it failed.
 */
public record TrialRecord(int id, Map<String, Object> parameters, TrialStatus status, double value,
                          List<Double> intermediates, String error) {
    public TrialRecord {
        intermediates = List.copyOf(intermediates);
    }
}
