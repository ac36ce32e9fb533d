package org.sinter.automl.tuner;

import java.util.List;
import org.sinter.automl.space.Parameter;

/**
 * Where TPE models a numeric parameter: the log kinds in log space, randint as a real interval
 * {@code [lower - 0.5, upper - 0.5]} rounded back (so each integer owns an equal width), the
 * quantized kinds as their continuous parent, quantized back; the normal kinds
 * unbounded, with the distribution itself as the prior component.
 */
record NumericScale(Parameter parameter, double low, double high, double priorMu, double width, boolean log) {

    static NumericScale of(Parameter p) {
        double inf = Double.POSITIVE_INFINITY;
        return switch (p) {
            case Parameter.Uniform u -> bounded(p, u.low(), u.high(), false);
            // The quantized kinds over their parent's own range: quantizing afterwards then reaches
            // exactly the values NNI's sampling reaches, no more.
            case Parameter.QUniform u -> bounded(p, u.low(), u.high(), false);
            case Parameter.LogUniform u -> bounded(p, Math.log(u.low()), Math.log(u.high()), true);
            case Parameter.QLogUniform u -> bounded(p, Math.log(u.low()), Math.log(u.high()), true);
            case Parameter.RandInt r -> bounded(p, r.lower() - 0.5, r.upper() - 0.5, false);
            case Parameter.Normal n -> new NumericScale(p, -inf, inf, n.mu(), n.sigma(), false);
            case Parameter.QNormal n -> new NumericScale(p, -inf, inf, n.mu(), n.sigma(), false);
            case Parameter.LogNormal n -> new NumericScale(p, -inf, inf, n.mu(), n.sigma(), true);
            case Parameter.Choice c -> throw new IllegalArgumentException("choice is categorical, not numeric");
        };
    }

    private static NumericScale bounded(Parameter p, double low, double high, boolean log) {
        return new NumericScale(p, low, high, (low + high) / 2, high - low, log);
    }

    ParzenEstimator estimator(List<Object> values) {
        return estimator(values, false);
    }

    ParzenEstimator estimator(List<Object> values, boolean optuna31Score) {
        return estimator(values, optuna31Score, true);
    }

    /** @param forgetOld weight old observations down as Optuna's {@code default_weights} does; false: all weigh one */
    ParzenEstimator estimator(List<Object> values, boolean optuna31Score, boolean forgetOld) {
        double[] xs = new double[values.size()];
        for (int i = 0; i < xs.length; i++) {
            double v = ((Number) values.get(i)).doubleValue();
            xs[i] = Math.clamp(log ? Math.log(v) : v, low, high);
        }
        double[] weights = forgetOld ? ParzenEstimator.optunaWeights(xs.length) : ParzenEstimator.equalWeights(xs.length);
        return new ParzenEstimator(xs, weights, low, high, priorMu, width, optuna31Score);
    }

    Object fromInternal(double x) {
        double v = log ? Math.exp(x) : x;
        return switch (parameter) {
            case Parameter.RandInt r -> (int) Math.clamp(Math.round(v), r.lower(), r.upper() - 1L);
            case Parameter.QUniform u -> Math.clamp(Math.round(v / u.q()) * u.q(), u.low(), u.high());
            case Parameter.QLogUniform u -> Math.clamp(Math.round(v / u.q()) * u.q(), u.low(), u.high());
            case Parameter.QNormal n -> Math.round(v / n.q()) * n.q();
            case Parameter.Uniform u -> Math.clamp(v, u.low(), u.high());
            case Parameter.LogUniform u -> Math.clamp(v, u.low(), u.high());
            default -> v;
        };
    }
}
