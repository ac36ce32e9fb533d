package org.sinter.automl.tuner;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A one-dimensional Parzen (kernel density) estimator as TPE builds it (Bergstra et al. 2011,
 * with Optuna 3.1's rules): one Gaussian per observation plus one wide prior component, each
 * truncated to {@code [low, high]} (infinite bounds for the normal kinds). A component's width is the
 * larger gap to its sorted neighbours (the outermost ones take their one inner gap, Optuna's
 * {@code consider_endpoints=False}), clipped to {@code [width/min(100, n+2), width]} ("magic clip",
 * n observations plus the prior), so dense regions get sharp kernels and lone points broad ones.
 * Observations are weighted in the order given (oldest first) by the weights passed, by default
 * {@link #optunaWeights}, the prior with weight one.
 */
final class ParzenEstimator {
    private final double[] mus;
    private final double[] sigmas;
    private final double[] logNormalizers; // log of each component's mass inside [low, high]
    private final double[] weights;        // normalised, prior last
    private final double low, high;
    private final boolean optuna31Score;

    ParzenEstimator(double[] observations, double low, double high, double priorMu, double width) {
        this(observations, optunaWeights(observations.length), low, high, priorMu, width, false);
    }

    ParzenEstimator(double[] observations, double low, double high, double priorMu, double width, boolean optuna31Score) {
        this(observations, optunaWeights(observations.length), low, high, priorMu, width, optuna31Score);
    }

    /**
     * @param observations internal-space values (log values for the log kinds), oldest first
     * @param observationWeights one non-negative weight per observation
     * @param priorMu      centre of the prior component
     * @param width        the prior's sigma: {@code high - low} when bounded, the distribution's sigma otherwise
     * @param optuna31Score {@link #logDensity} leaves out each component's {@code 1/σ} factor, as Optuna 3.1's
     *                     {@code _truncnorm.logpdf} does (it standardises x but does not subtract {@code log scale});
     *                     this weights wide components (the prior, isolated observations) by their width
     */
    ParzenEstimator(double[] observations, double[] observationWeights, double low, double high, double priorMu, double width,
                    boolean optuna31Score) {
        this.optuna31Score = optuna31Score;
        this.low = low;
        this.high = high;
        int n = observations.length;
        double[] all = Arrays.copyOf(observations, n + 1);
        all[n] = priorMu;
        Integer[] order = new Integer[n + 1];
        for (int i = 0; i <= n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double minSigma = width / Math.min(100.0, n + 2.0);
        mus = all;
        sigmas = new double[n + 1];
        for (int rank = 0; rank <= n; rank++) {
            int i = order[rank];
            double sigma;
            if (n == 0) sigma = width;
            else if (rank == 0) sigma = all[order[1]] - all[i];
            else if (rank == n) sigma = all[i] - all[order[n - 1]];
            else sigma = Math.max(all[i] - all[order[rank - 1]], all[order[rank + 1]] - all[i]);
            sigmas[i] = Math.clamp(sigma, minSigma, width);
        }
        sigmas[n] = width;
        logNormalizers = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double mass = Gaussian.cdf((high - mus[i]) / sigmas[i]) - Gaussian.cdf((low - mus[i]) / sigmas[i]);
            logNormalizers[i] = Math.log(Math.max(mass, 1e-300));
        }
        weights = new double[n + 1];
        double total = 1;
        for (int i = 0; i < n; i++) total += observationWeights[i];
        for (int i = 0; i < n; i++) weights[i] = observationWeights[i] / total;
        weights[n] = 1 / total;
    }

    /**
     * Optuna's default observation weights: all one below 25 observations; beyond, the newest 25
     * weigh one and older ones ramp linearly from {@code 1/n} up, so a long search forgets its start.
     */
    static double[] optunaWeights(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        if (n >= 25) {
            int ramp = n - 25;
            for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
        }
        return w;
    }

    /** Every observation weighs one, however old: Bergstra et al.'s estimator, and {@code TpeTuner}'s default. */
    static double[] equalWeights(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    double sample(RandomGenerator rng) {
        double u = rng.nextDouble(), acc = 0;
        int i = mus.length - 1;
        for (int c = 0; c < mus.length; c++) {
            acc += weights[c];
            if (u < acc) { i = c; break; }
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            double x = rng.nextGaussian(mus[i], sigmas[i]);
            if (x >= low && x <= high) return x;
        }
        // The component has almost no mass inside the bounds: its nearest bound is the likeliest point.
        return Math.clamp(mus[i], low, high);
    }

    /** The log density at {@code x}; with {@code optuna31Score}, Optuna 3.1's score (no {@code 1/σ} per component). */
    double logDensity(double x) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[mus.length];
        for (int i = 0; i < mus.length; i++) {
            double z = (x - mus[i]) / sigmas[i];
            terms[i] = Math.log(weights[i]) - 0.5 * z * z - (optuna31Score ? 0 : Math.log(sigmas[i])) - Gaussian.LOG_SQRT_2PI - logNormalizers[i];
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double t : terms) sum += Math.exp(t - max);
        return max + Math.log(sum);
    }
}
