package org.sinter.automl.tuner;

/**
 * The Cholesky factor {@code L} of a symmetric positive-definite matrix ({@code A = L Lᵀ}), with the
 * triangular solves a Gaussian process needs. The matrices here are the GP's n × n kernel matrix,
 * n up to a few hundred trials, so a plain row-major double array is enough.
 */
final class Cholesky {
    private final int n;
    private final double[] l; // row-major, lower triangle

    private Cholesky(int n, double[] l) {
        this.n = n;
        this.l = l;
    }

    /** Factors {@code a} (row-major n × n); throws if it is not numerically positive definite. */
    static Cholesky of(double[] a, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(sum > 0)) throw new ArithmeticException("matrix is not positive definite (pivot " + i + " = " + sum + ")");
                    l[i * n + i] = Math.sqrt(sum);
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        return new Cholesky(n, l);
    }

    /** Solves {@code L x = b}. */
    double[] solveLower(double[] b) {
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            double s = x[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * x[k];
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    /** Solves {@code Lᵀ x = b}. */
    double[] solveUpper(double[] b) {
        double[] x = b.clone();
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    /** Solves {@code A x = b}. */
    double[] solve(double[] b) {
        return solveUpper(solveLower(b));
    }

    /** {@code log det A = 2 Σ log L_ii}. */
    double logDeterminant() {
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.log(l[i * n + i]);
        return 2 * s;
    }

    /** {@code A⁻¹}, row-major: from {@code L⁻¹} (forward substitution on the identity), then {@code L⁻ᵀ L⁻¹}. */
    double[] inverse() {
        double[] li = new double[n * n]; // L⁻¹, lower triangular
        for (int c = 0; c < n; c++) {
            li[c * n + c] = 1 / l[c * n + c];
            for (int i = c + 1; i < n; i++) {
                double s = 0;
                for (int k = c; k < i; k++) s -= l[i * n + k] * li[k * n + c];
                li[i * n + c] = s / l[i * n + i];
            }
        }
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) s += li[k * n + i] * li[k * n + j];
                inv[i * n + j] = s;
                inv[j * n + i] = s;
            }
        }
        return inv;
    }
}
