package org.sinter.automl.tuner;

import java.util.Arrays;

/**
 * A Gaussian-process regression model with a Matérn 5/2 kernel with one length scale per input
 * coordinate (automatic relevance determination), a signal variance and a noise variance:
 * {@code k(x, x') = s² (1 + √5 r + 5/3 r²) exp(-√5 r)}, {@code r² = Σ_d ((x_d - x'_d) / ℓ_d)²}.
 * Targets are standardised before fitting. The hyper-parameters maximise the log marginal likelihood
 * plus weak priors (the Gamma priors BoTorch used by default: ℓ ~ Γ(3, 6), s² ~ Γ(2, 0.15), noise
 * ~ Γ(1.1, 0.05)), which keep a fit on a handful of points from collapsing to tiny length scales;
 * the optimiser is Adam on the log hyper-parameters with the analytic gradient
 * {@code ∂L/∂θ = ½ tr((ααᵀ - K⁻¹) ∂K/∂θ)}, warm-started from the previous fit.
 */
final class Matern52Process {
    private static final double SQRT5 = Math.sqrt(5);
    private static final double MIN_NOISE = 1e-6, MAX_LOG_SCALE = Math.log(20), MIN_LOG_SCALE = Math.log(1e-2);

    private final int d;
    /** log ℓ_1..ℓ_d, log s², log noise. */
    private final double[] theta;
    private double[] xs;
    private int n;
    private double yMean, yStd;
    private double[] standardisedTargets;
    private Cholesky chol;
    private double[] alpha;

    Matern52Process(int dimension) {
        this.d = dimension;
        theta = new double[d + 2];
        Arrays.fill(theta, 0, d, Math.log(0.5));
        theta[d] = 0;
        theta[d + 1] = Math.log(1e-3);
    }

    double lengthScale(int dim) { return Math.exp(theta[dim]); }

    double signalVariance() { return Math.exp(theta[d]); }

    double noiseVariance() { return MIN_NOISE + Math.exp(theta[d + 1]); }

    /** The log hyper-parameters: log ℓ_1..ℓ_d, log s², log(noise - floor). */
    double[] theta() { return theta; }

    /** The maximised objective (log evidence + log priors, up to a constant) at {@code at}, on the data of the last fit. */
    double objectiveAt(double[] at) {
        double[] saved = theta.clone();
        System.arraycopy(at, 0, theta, 0, theta.length);
        try {
            double[] k = kernelMatrix();
            Cholesky c = Cholesky.of(k, n);
            double[] a = c.solve(standardisedTargets);
            double fit = 0;
            for (int i = 0; i < n; i++) fit += standardisedTargets[i] * a[i];
            double value = -0.5 * fit - 0.5 * c.logDeterminant();
            double s2 = signalVariance(), noise = noiseVariance() - MIN_NOISE;
            for (int t = 0; t < d; t++) value += 3 * theta[t] - 6 * Math.exp(theta[t]);
            value += 2 * theta[d] - 0.15 * s2;
            value += 1.1 * theta[d + 1] - 0.05 * noise;
            return value;
        } finally {
            System.arraycopy(saved, 0, theta, 0, theta.length);
        }
    }

    /** The objective's gradient at {@code at}, on the data of the last fit. */
    double[] objectiveGradientAt(double[] at) {
        double[] saved = theta.clone();
        System.arraycopy(at, 0, theta, 0, theta.length);
        try {
            double[] grad = new double[theta.length];
            if (!objectiveGradient(standardisedTargets, grad)) throw new ArithmeticException("kernel matrix is singular");
            return grad;
        } finally {
            System.arraycopy(saved, 0, theta, 0, theta.length);
        }
    }

    /** Fits the hyper-parameters with {@code steps} Adam steps from where the last fit ended, then conditions on the data. */
    void fit(double[][] inputs, double[] targets, int steps) {
        n = targets.length;
        xs = new double[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(inputs[i], 0, xs, i * d, d);
        yMean = Arrays.stream(targets).average().orElse(0);
        double var = Arrays.stream(targets).map(t -> (t - yMean) * (t - yMean)).sum() / Math.max(1, n);
        yStd = var > 0 ? Math.sqrt(var) : 1;
        double[] y = Arrays.stream(targets).map(t -> (t - yMean) / yStd).toArray();
        standardisedTargets = y;

        double[] m = new double[theta.length], v = new double[theta.length];
        double[] grad = new double[theta.length];
        double lr = 0.05, b1 = 0.9, b2 = 0.999;
        for (int step = 1; step <= steps; step++) {
            if (!objectiveGradient(y, grad)) break;
            for (int j = 0; j < theta.length; j++) {
                m[j] = b1 * m[j] + (1 - b1) * grad[j];
                v[j] = b2 * v[j] + (1 - b2) * grad[j] * grad[j];
                double mh = m[j] / (1 - Math.pow(b1, step)), vh = v[j] / (1 - Math.pow(b2, step));
                theta[j] += lr * mh / (Math.sqrt(vh) + 1e-8); // ascent: maximising the evidence
            }
            for (int j = 0; j < d; j++) theta[j] = Math.clamp(theta[j], MIN_LOG_SCALE, MAX_LOG_SCALE);
            theta[d] = Math.clamp(theta[d], Math.log(1e-2), Math.log(1e2));
            theta[d + 1] = Math.clamp(theta[d + 1], Math.log(1e-9), Math.log(1));
        }
        condition(y);
    }

    private void condition(double[] y) {
        double[] k = kernelMatrix();
        // Jitter grows only if the kernel matrix is numerically singular (duplicate points).
        for (double jitter = 0; ; jitter = jitter == 0 ? 1e-8 : jitter * 10) {
            try {
                if (jitter > 0) for (int i = 0; i < n; i++) k[i * n + i] += jitter;
                chol = Cholesky.of(k, n);
                break;
            } catch (ArithmeticException e) {
                if (jitter > 1) throw e;
            }
        }
        alpha = chol.solve(y);
    }

    private double[] kernelMatrix() {
        double s2 = signalVariance(), noise = noiseVariance();
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            k[i * n + i] = s2 + noise;
            for (int j = 0; j < i; j++) {
                double value = s2 * matern(scaledDistance(xs, i * d, xs, j * d));
                k[i * n + j] = value;
                k[j * n + i] = value;
            }
        }
        return k;
    }

    private double scaledDistance(double[] a, int ao, double[] b, int bo) {
        double r2 = 0;
        for (int t = 0; t < d; t++) {
            double diff = (a[ao + t] - b[bo + t]) / Math.exp(theta[t]);
            r2 += diff * diff;
        }
        return Math.sqrt(r2);
    }

    private static double matern(double r) {
        return (1 + SQRT5 * r + 5.0 / 3 * r * r) * Math.exp(-SQRT5 * r);
    }

    /** The gradient of log evidence + log prior with respect to theta, into {@code grad}; false if K is singular. */
    private boolean objectiveGradient(double[] y, double[] grad) {
        double[] k = kernelMatrix();
        Cholesky c;
        try {
            c = Cholesky.of(k, n);
        } catch (ArithmeticException e) {
            return false;
        }
        double[] a = c.solve(y);
        double[] kInv = c.inverse();
        Arrays.fill(grad, 0);
        double s2 = signalVariance(), noise = noiseVariance() - MIN_NOISE;
        double[] scales = new double[d];
        for (int t = 0; t < d; t++) scales[t] = Math.exp(theta[t]);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double w = a[i] * a[j] - kInv[i * n + j];
                double r2 = 0;
                for (int t = 0; t < d; t++) {
                    double z = (xs[i * d + t] - xs[j * d + t]) / scales[t];
                    r2 += z * z;
                }
                double r = Math.sqrt(r2), e = Math.exp(-SQRT5 * r);
                // Off-diagonal pairs count twice in the trace (W and dK are symmetric); ½ · 2 = 1.
                grad[d] += w * s2 * (1 + SQRT5 * r + 5.0 / 3 * r2) * e;
                double common = w * s2 * 5.0 / 3 * (1 + SQRT5 * r) * e;
                for (int t = 0; t < d; t++) {
                    double z = (xs[i * d + t] - xs[j * d + t]) / scales[t];
                    grad[t] += common * z * z;
                }
            }
            double wii = a[i] * a[i] - kInv[i * n + i];
            grad[d] += 0.5 * wii * s2;
            grad[d + 1] += 0.5 * wii * noise;
        }
        // Priors, in log-parameter coordinates: d/dlogθ log Γ(θ; α, β) = (α - 1) - β θ (the Jacobian's +1 folded in as α).
        for (int t = 0; t < d; t++) grad[t] += 3 - 6 * scales[t];
        grad[d] += 2 - 0.15 * s2;
        grad[d + 1] += 1.1 - 0.05 * noise;
        return true;
    }

    /** Posterior mean and standard deviation of the latent function at {@code x}, in the original target units. */
    double[] predict(double[] x) {
        double s2 = signalVariance();
        double[] ks = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            ks[i] = s2 * matern(scaledDistance(x, 0, xs, i * d));
            mean += ks[i] * alpha[i];
        }
        double[] v = chol.solveLower(ks);
        double var = s2;
        for (double t : v) var -= t * t;
        return new double[] {yMean + yStd * mean, yStd * Math.sqrt(Math.max(var, 1e-12))};
    }
}
