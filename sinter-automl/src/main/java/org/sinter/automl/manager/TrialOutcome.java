package org.sinter.automl.manager;

import java.util.Map;

/** How a trial ended, as the manager journals it and tells its listener: status SUCCEEDED, EARLY_STOPPED or FAILED. */
public record TrialOutcome(int id, Map<String, Object> parameters, String status, double value, String error) {}
