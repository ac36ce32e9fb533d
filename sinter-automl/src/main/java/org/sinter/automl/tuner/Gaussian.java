package org.sinter.automl.tuner;

/** The standard normal's cumulative distribution, which truncated Parzen components need. */
final class Gaussian {
    private Gaussian() {}

    static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    static double cdf(double z) {
        if (z == Double.POSITIVE_INFINITY) return 1;
        if (z == Double.NEGATIVE_INFINITY) return 0;
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** Numerical Recipes' erfc (Chebyshev fit, relative error below 1.2e-7 everywhere). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
