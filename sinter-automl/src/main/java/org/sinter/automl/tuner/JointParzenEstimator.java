package org.sinter.automl.tuner;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.sinter.automl.space.NestedOption;
import org.sinter.automl.space.Parameter;

/**
 * TPE's multivariate Parzen estimator (Falkner et al. 2018; Optuna's {@code multivariate=True}):
 * one mixture component per observed trial over <em>all</em> top-level parameters at once, plus a
 * prior component, so that proposals keep the correlations between parameters that good trials had.
 * A numeric coordinate of an observation's component is a Gaussian truncated to the parameter's
 * bounds, with Optuna's multivariate bandwidth {@code 0.2 · n^(-1/(d+4)) · (high - low)} (clipped as in {@link ParzenEstimator}) (the prior's
 * width for the unbounded normal kinds); a choice coordinate is a categorical that puts weight one on
 * the observed option and {@code 1/(n+1)} spread over all options. The prior component is the
 * wide Gaussian / uniform categorical that {@link ParzenEstimator} uses.
 */
final class JointParzenEstimator {
    private final List<Parameter> parameters;
    private final List<NumericScale> scales; // null for a choice
    private final int components;
    private final double[][] mus;    // [component][parameter], internal space; unused for choices
    private final double[][] sigmas; // [component][parameter]
    private final double[][] logNorm; // log mass of each truncated Gaussian inside the bounds
    private final double[][][] probabilities; // [component][parameter][option] for choices
    private final boolean optuna31Score;
    private final double[] weights; // normalised: the observations' weights (oldest first), one for the prior

    JointParzenEstimator(List<Parameter> parameters, List<NumericScale> scales, List<String> names, List<Map<String, Object>> observations) {
        this(parameters, scales, names, observations, false);
    }

    JointParzenEstimator(List<Parameter> parameters, List<NumericScale> scales, List<String> names, List<Map<String, Object>> observations,
                         boolean optuna31Score) {
        this(parameters, scales, names, observations, optuna31Score, true);
    }

    /**
     * @param optuna31Score score without each component's {@code 1/σ} factors, as Optuna 3.1 does (see {@link ParzenEstimator})
     * @param forgetOld     weigh the observations (oldest first) by {@link ParzenEstimator#optunaWeights}, Optuna's ramp;
     *                      false: every observation weighs one
     */
    JointParzenEstimator(List<Parameter> parameters, List<NumericScale> scales, List<String> names, List<Map<String, Object>> observations,
                         boolean optuna31Score, boolean forgetOld) {
        this.optuna31Score = optuna31Score;
        this.parameters = parameters;
        this.scales = scales;
        int n = observations.size(), p = parameters.size();
        components = n + 1;
        mus = new double[components][p];
        sigmas = new double[components][p];
        logNorm = new double[components][p];
        probabilities = new double[components][p][];
        weights = new double[components];
        double[] w = forgetOld ? ParzenEstimator.optunaWeights(n) : ParzenEstimator.equalWeights(n);
        double weightSum = 1;
        for (double x : w) weightSum += x;
        for (int c = 0; c < n; c++) weights[c] = w[c] / weightSum;
        weights[n] = 1 / weightSum;
        double shrink = 0.2 * Math.pow(Math.max(n, 1), -1.0 / (p + 4));
        for (int j = 0; j < p; j++) {
            NumericScale s = scales.get(j);
            if (s == null) {
                List<Object> options = ((Parameter.Choice) parameters.get(j)).options();
                int k = options.size();
                double prior = 1.0 / (n + 1);
                for (int c = 0; c < components; c++) {
                    double[] probs = new double[k];
                    java.util.Arrays.fill(probs, prior / k);
                    if (c < n) probs[indexOf(options, observations.get(c).get(names.get(j)))] += 1;
                    double total = 0;
                    for (double q : probs) total += q;
                    for (int o = 0; o < k; o++) probs[o] /= total;
                    probabilities[c][j] = probs;
                }
            } else {
                for (int c = 0; c < components; c++) {
                    if (c < n) {
                        double v = ((Number) observations.get(c).get(names.get(j))).doubleValue();
                        mus[c][j] = Math.clamp(s.log() ? Math.log(v) : v, s.low(), s.high());
                        sigmas[c][j] = Math.clamp(shrink * s.width(), s.width() / Math.min(100.0, n + 2.0), s.width());
                    } else {
                        mus[c][j] = s.priorMu();
                        sigmas[c][j] = s.width();
                    }
                    double mass = Gaussian.cdf((s.high() - mus[c][j]) / sigmas[c][j]) - Gaussian.cdf((s.low() - mus[c][j]) / sigmas[c][j]);
                    logNorm[c][j] = Math.log(Math.max(mass, 1e-300));
                }
            }
        }
    }

    static int indexOf(List<Object> options, Object value) {
        for (int i = 0; i < options.size(); i++) {
            Object option = options.get(i);
            if (option instanceof NestedOption nested
                    ? value instanceof Map<?, ?> m && nested.name().equals(m.get(NestedOption.NAME_KEY))
                    : option.equals(value)) return i;
        }
        throw new IllegalArgumentException("a trial's value " + value + " is not one of the options " + options);
    }

    /** A point in internal coordinates: numeric values, or option indices (as doubles) for choices. */
    double[] sample(RandomGenerator rng) {
        int c = components - 1;
        double pick = rng.nextDouble(), cumulative = 0;
        for (int k = 0; k < components; k++) {
            cumulative += weights[k];
            if (pick < cumulative) { c = k; break; }
        }
        double[] x = new double[parameters.size()];
        for (int j = 0; j < x.length; j++) {
            NumericScale s = scales.get(j);
            if (s == null) {
                double u = rng.nextDouble(), acc = 0;
                double[] probs = probabilities[c][j];
                int option = probs.length - 1;
                for (int o = 0; o < probs.length; o++) {
                    acc += probs[o];
                    if (u < acc) { option = o; break; }
                }
                x[j] = option;
            } else {
                x[j] = Math.clamp(mus[c][j], s.low(), s.high());
                for (int attempt = 0; attempt < 100; attempt++) {
                    double v = rng.nextGaussian(mus[c][j], sigmas[c][j]);
                    if (v >= s.low() && v <= s.high()) { x[j] = v; break; }
                }
            }
        }
        return x;
    }

    double logDensity(double[] x) {
        double[] terms = new double[components];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < components; c++) {
            double t = Math.log(weights[c]);
            for (int j = 0; j < x.length; j++) {
                if (scales.get(j) == null) {
                    t += Math.log(probabilities[c][j][(int) x[j]]);
                } else {
                    double z = (x[j] - mus[c][j]) / sigmas[c][j];
                    t += -0.5 * z * z - (optuna31Score ? 0 : Math.log(sigmas[c][j])) - Gaussian.LOG_SQRT_2PI - logNorm[c][j];
                }
            }
            terms[c] = t;
            max = Math.max(max, t);
        }
        double sum = 0;
        for (double t : terms) sum += Math.exp(t - max);
        return max + Math.log(sum);
    }
}
