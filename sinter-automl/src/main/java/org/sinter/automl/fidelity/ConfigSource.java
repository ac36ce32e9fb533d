package org.sinter.automl.fidelity;

import java.util.Map;

/** Where Hyperband's new configurations come from: random search (Hyperband) or a model fitted per budget (BOHB). */
public interface ConfigSource {
    Map<String, Object> sample(int config);

    /** A finished job's loss at its budget. */
    default void observe(int config, Map<String, Object> parameters, double budget, double loss) {}
}
