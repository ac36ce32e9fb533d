package org.sinter.automl.tuner;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A one-dimensional Parzen (kernel density) estimator as TPE builds it (Bergstra et al. 2011,
 * with Optuna's bandwidth rule): one Gaussian per observation plus one wide prior component,
 * each truncated to {@code [low, high]} (infinite bounds for the normal kinds). A component's
 * width is the larger gap to its sorted neighbours, clipped to {@code [width/min(100, n+1), width]},
 * so dense regions get sharp kernels and lone points broad ones.
 */
final class ParzenEstimator {
    private final double[] mus;
    private final double[] sigmas;
    private final double[] logNormalizers; // log of each component's mass inside [low, high]
    private final double low, high;

    /**
     * @param observations internal-space values (log values for the log kinds)
     * @param priorMu      centre of the prior component
     * @param width        the prior's sigma: {@code high - low} when bounded, the distribution's sigma otherwise
     */
    ParzenEstimator(double[] observations, double low, double high, double priorMu, double width) {
        this.low = low;
        this.high = high;
        int n = observations.length;
        double[] all = Arrays.copyOf(observations, n + 1);
        all[n] = priorMu;
        Integer[] order = new Integer[n + 1];
        for (int i = 0; i <= n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double minSigma = width / Math.min(100.0, n + 1.0);
        mus = all;
        sigmas = new double[n + 1];
        for (int rank = 0; rank <= n; rank++) {
            int i = order[rank];
            double left = rank > 0 ? all[i] - all[order[rank - 1]] : (Double.isFinite(low) ? all[i] - low : width);
            double right = rank < n ? all[order[rank + 1]] - all[i] : (Double.isFinite(high) ? high - all[i] : width);
            sigmas[i] = Math.clamp(Math.max(left, right), minSigma, width);
        }
        sigmas[n] = width;
        logNormalizers = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double mass = Gaussian.cdf((high - mus[i]) / sigmas[i]) - Gaussian.cdf((low - mus[i]) / sigmas[i]);
            logNormalizers[i] = Math.log(Math.max(mass, 1e-300));
        }
    }

    double sample(RandomGenerator rng) {
        int i = rng.nextInt(mus.length); // equal weights
        for (int attempt = 0; attempt < 100; attempt++) {
            double x = rng.nextGaussian(mus[i], sigmas[i]);
            if (x >= low && x <= high) return x;
        }
        // The component has almost no mass inside the bounds: its nearest bound is the likeliest point.
        return Math.clamp(mus[i], low, high);
    }

    double logDensity(double x) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[mus.length];
        for (int i = 0; i < mus.length; i++) {
            double z = (x - mus[i]) / sigmas[i];
            terms[i] = -0.5 * z * z - Math.log(sigmas[i]) - Gaussian.LOG_SQRT_2PI - logNormalizers[i];
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double t : terms) sum += Math.exp(t - max);
        return max + Math.log(sum / mus.length);
    }
}
