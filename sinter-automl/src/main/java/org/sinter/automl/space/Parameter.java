package org.sinter.automl.space;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One hyper-parameter's distribution, with NNI's search-space semantics
 * (https://nni.readthedocs.io/en/stable/hpo/search_space.html). Sampled values are JSON-shaped
 * ({@code Integer} for randint, {@code Double} for the continuous kinds, the option itself for
 * choice) so a value read back from the experiment journal equals the value that was sampled.
 */
public sealed interface Parameter {

    /** NNI's {@code _type} name. */
    String type();

    Object sample(RandomGenerator rng);

    /** One of {@code options}; an option may be a {@link NestedOption} that carries its own sub-space. */
    record Choice(List<Object> options) implements Parameter {
        public Choice {
            if (options.isEmpty()) throw new IllegalArgumentException("choice needs at least one option");
            options = List.copyOf(options);
        }
        public String type() { return "choice"; }
        public Object sample(RandomGenerator rng) {
            Object option = options.get(rng.nextInt(options.size()));
            return option instanceof NestedOption nested ? nested.sample(rng) : option;
        }
    }

    /** An integer in {@code [lower, upper)}: NNI's upper bound is exclusive. */
    record RandInt(int lower, int upper) implements Parameter {
        public RandInt {
            if (upper <= lower) throw new IllegalArgumentException("randint needs lower < upper, got [" + lower + ", " + upper + ")");
        }
        public String type() { return "randint"; }
        public Object sample(RandomGenerator rng) { return rng.nextInt(lower, upper); }
    }

    record Uniform(double low, double high) implements Parameter {
        public Uniform { Bounds.check("uniform", low, high); }
        public String type() { return "uniform"; }
        public Object sample(RandomGenerator rng) { return low + (high - low) * rng.nextDouble(); }
    }

    /** {@code clip(round(uniform(low, high) / q) * q, low, high)}. */
    record QUniform(double low, double high, double q) implements Parameter {
        public QUniform { Bounds.check("quniform", low, high); Bounds.checkQ("quniform", q); }
        public String type() { return "quniform"; }
        public Object sample(RandomGenerator rng) {
            return Bounds.quantize(low + (high - low) * rng.nextDouble(), q, low, high);
        }
    }

    /** {@code exp(uniform(log(low), log(high)))}: every decade equally likely. */
    record LogUniform(double low, double high) implements Parameter {
        public LogUniform { Bounds.check("loguniform", low, high); Bounds.checkPositive("loguniform", low); }
        public String type() { return "loguniform"; }
        public Object sample(RandomGenerator rng) { return Bounds.logUniform(rng, low, high); }
    }

    /** {@code clip(round(loguniform(low, high) / q) * q, low, high)}. */
    record QLogUniform(double low, double high, double q) implements Parameter {
        public QLogUniform {
            Bounds.check("qloguniform", low, high); Bounds.checkPositive("qloguniform", low); Bounds.checkQ("qloguniform", q);
        }
        public String type() { return "qloguniform"; }
        public Object sample(RandomGenerator rng) { return Bounds.quantize(Bounds.logUniform(rng, low, high), q, low, high); }
    }

    record Normal(double mu, double sigma) implements Parameter {
        public Normal { Bounds.checkSigma("normal", sigma); }
        public String type() { return "normal"; }
        public Object sample(RandomGenerator rng) { return rng.nextGaussian(mu, sigma); }
    }

    /** {@code round(normal(mu, sigma) / q) * q}: unbounded, so not clipped. */
    record QNormal(double mu, double sigma, double q) implements Parameter {
        public QNormal { Bounds.checkSigma("qnormal", sigma); Bounds.checkQ("qnormal", q); }
        public String type() { return "qnormal"; }
        public Object sample(RandomGenerator rng) { return Math.round(rng.nextGaussian(mu, sigma) / q) * q; }
    }

    /** {@code exp(normal(mu, sigma))}: mu and sigma are in log space. */
    record LogNormal(double mu, double sigma) implements Parameter {
        public LogNormal { Bounds.checkSigma("lognormal", sigma); }
        public String type() { return "lognormal"; }
        public Object sample(RandomGenerator rng) { return Math.exp(rng.nextGaussian(mu, sigma)); }
    }
}
