package org.sinter.automl.space;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A choice option with its own parameters (NNI's nested search space:
 * {@code {"_name": "conv", "kernel": {"_type": "choice", ...}}}). It samples to a map holding
 * {@code "_name"} and the sub-space's values, as NNI hands nested choices to trials.
 */
public record NestedOption(String name, SearchSpace space) {
    public static final String NAME_KEY = "_name";

    public NestedOption {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("nested option needs a non-empty _name");
    }

    public Map<String, Object> sample(RandomGenerator rng) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put(NAME_KEY, name);
        value.putAll(space.sample(rng));
        return value;
    }
}
