package org.sinter.automl.space;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Named hyper-parameters in declaration order. Read one from NNI's JSON with
 * {@link SearchSpaceJson#parse}, or build one in Java:
 * <pre>{@code
 * SearchSpace space = SearchSpace.builder()
 *     .logUniform("lr", 1e-4, 1e-1)
 *     .choice("optimizer", "adam", "sgd")
 *     .build();
 * }</pre>
 */
public record SearchSpace(Map<String, Parameter> parameters) {

    public SearchSpace {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** One random configuration: each parameter sampled from its distribution (NNI's random tuner). */
    public Map<String, Object> sample(RandomGenerator rng) {
        Map<String, Object> values = new LinkedHashMap<>();
        parameters.forEach((name, p) -> values.put(name, p.sample(rng)));
        return values;
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private final Map<String, Parameter> parameters = new LinkedHashMap<>();

        public Builder add(String name, Parameter parameter) {
            if (parameters.containsKey(name)) throw new IllegalArgumentException("parameter '" + name + "' is declared twice");
            parameters.put(name, parameter);
            return this;
        }

        public Builder choice(String name, Object... options) {
            return add(name, named(name, () -> new Parameter.Choice(Arrays.stream(options).map(SearchSpaceJson::canonical).toList())));
        }
        public Builder nestedChoice(String name, NestedOption... options) {
            return add(name, named(name, () -> new Parameter.Choice(List.of((Object[]) options))));
        }
        public Builder randInt(String name, int lower, int upper) { return add(name, named(name, () -> new Parameter.RandInt(lower, upper))); }
        public Builder uniform(String name, double low, double high) { return add(name, named(name, () -> new Parameter.Uniform(low, high))); }
        public Builder quniform(String name, double low, double high, double q) { return add(name, named(name, () -> new Parameter.QUniform(low, high, q))); }
        public Builder logUniform(String name, double low, double high) { return add(name, named(name, () -> new Parameter.LogUniform(low, high))); }
        public Builder qlogUniform(String name, double low, double high, double q) { return add(name, named(name, () -> new Parameter.QLogUniform(low, high, q))); }
        public Builder normal(String name, double mu, double sigma) { return add(name, named(name, () -> new Parameter.Normal(mu, sigma))); }
        public Builder qnormal(String name, double mu, double sigma, double q) { return add(name, named(name, () -> new Parameter.QNormal(mu, sigma, q))); }
        public Builder logNormal(String name, double mu, double sigma) { return add(name, named(name, () -> new Parameter.LogNormal(mu, sigma))); }

        public SearchSpace build() {
            if (parameters.isEmpty()) throw new IllegalArgumentException("a search space needs at least one parameter");
            return new SearchSpace(parameters);
        }

        /** Runs a distribution's constructor so that its argument error names the parameter. */
        private static Parameter named(String name, java.util.function.Supplier<Parameter> make) {
            try {
                return make.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter '" + name + "': " + e.getMessage(), e);
            }
        }
    }
}
