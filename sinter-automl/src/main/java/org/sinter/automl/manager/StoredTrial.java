package org.sinter.automl.manager;

import java.util.List;
import java.util.Map;

/**
 * A trial as the store holds it. {@code status} is {@code RUNNING} until it ends (a trial still
 * RUNNING when a manager starts was cut off by a crash and is rerun), then SUCCEEDED,
 * EARLY_STOPPED or FAILED; {@code value} is the final metric (the last intermediate one when stopped
 * early, NaN when failed); {@code attempts} counts process launches (retries and reruns after a crash).
 * {@code budget} is null for a plain trial and the job's configuration, rung and budget for a
 * multi-fidelity one; {@code endSequence} numbers the experiment's trial ends 1, 2, ... in the order
 * the manager journaled them (0 while running).
 */
public record StoredTrial(int id, Map<String, Object> parameters, String status, double value, int attempts,
                          String error, List<Double> intermediates, long startedMillis, long endedMillis,
                          TrialBudget budget, int endSequence) {
    public StoredTrial {
        intermediates = List.copyOf(intermediates);
    }

    public boolean finished() { return !"RUNNING".equals(status); }
}
