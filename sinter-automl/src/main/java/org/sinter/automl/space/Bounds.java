package org.sinter.automl.space;

import java.util.random.RandomGenerator;

/** Argument checks and the quantisation rule shared by the distributions. */
final class Bounds {
    private Bounds() {}

    static void check(String type, double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high))
            throw new IllegalArgumentException(type + " needs finite low < high, got [" + low + ", " + high + "]");
    }

    static void checkPositive(String type, double low) {
        if (!(low > 0)) throw new IllegalArgumentException(type + " needs low > 0 (it samples in log space), got " + low);
    }

    static void checkQ(String type, double q) {
        if (!(q > 0) || !Double.isFinite(q)) throw new IllegalArgumentException(type + " needs q > 0, got " + q);
    }

    static void checkSigma(String type, double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw new IllegalArgumentException(type + " needs sigma > 0, got " + sigma);
    }

    /** NNI's {@code clip(round(x / q) * q, low, high)}. */
    static double quantize(double x, double q, double low, double high) {
        return Math.clamp(Math.round(x / q) * q, low, high);
    }

    static double logUniform(RandomGenerator rng, double low, double high) {
        double logLow = Math.log(low);
        // clamp: exp(log(high)) may round one ulp above high.
        return Math.clamp(Math.exp(logLow + (Math.log(high) - logLow) * rng.nextDouble()), low, high);
    }
}
