package org.sinter.automl.manager;

import java.util.Map;

/**
 * How a trial ended, as the manager journals it and tells its listener: status SUCCEEDED, EARLY_STOPPED or FAILED;
 * {@code budget} is the multi-fidelity job's configuration, rung and budget (null for a plain trial).
 */
public record TrialOutcome(int id, Map<String, Object> parameters, String status, double value, String error, TrialBudget budget) {
    public TrialOutcome(int id, Map<String, Object> parameters, String status, double value, String error) {
        this(id, parameters, status, value, error, null);
    }

    TrialOutcome withBudget(TrialBudget b) {
        return new TrialOutcome(id, parameters, status, value, error, b);
    }
}
