package org.sinter.learned.index.rmi;

/**
 * A polynomial root model fitted by least squares: degree 1 is the RMI's linear stage, degree 3 its
 * cubic stage (both in Kraska et al. and SOSD's RMI). Fitted on the normal equations in the
 * monomial basis, which is well conditioned enough on {@code [0, 1]} for degrees up to 3.
 */
public final class PolynomialModel implements RootModel {
    private final double[] coefficients; // c0 + c1 x + c2 x^2 + ...

    public PolynomialModel(double[] coefficients) {
        this.coefficients = coefficients.clone();
    }

    /** Least-squares fit of {@code y ~ poly(x)} of the given degree. */
    public static PolynomialModel fit(double[] x, double[] y, int degree) {
        if (x.length != y.length) throw new IllegalArgumentException("PolynomialModel.fit: " + x.length + " x values but " + y.length + " y values");
        if (degree < 0 || degree > 5) throw new IllegalArgumentException("PolynomialModel.fit: degree must be in [0, 5], got " + degree);
        int m = degree + 1;
        double[] powerSums = new double[2 * degree + 1];
        double[] rhs = new double[m];
        for (int i = 0; i < x.length; i++) {
            double p = 1;
            for (int k = 0; k < powerSums.length; k++) {
                powerSums[k] += p;
                if (k < m) rhs[k] += p * y[i];
                p *= x[i];
            }
        }
        double[][] a = new double[m][m + 1];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < m; c++) a[r][c] = powerSums[r + c];
            a[r][m] = rhs[r];
        }
        return new PolynomialModel(solve(a, m));
    }

    /**
     * Gaussian elimination with partial pivoting on the augmented matrix; a singular system (too
     * few distinct x for the degree) leaves the missing higher coefficients at zero.
     */
    static double[] solve(double[][] a, int m) {
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] t = a[col]; a[col] = a[pivot]; a[pivot] = t;
            if (Math.abs(a[col][col]) < 1e-300) continue;
            for (int r = 0; r < m; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= m; c++) a[r][c] -= f * a[col][c];
            }
        }
        double[] out = new double[m];
        for (int r = 0; r < m; r++) out[r] = Math.abs(a[r][r]) < 1e-300 ? 0 : a[r][m] / a[r][r];
        return out;
    }

    @Override
    public double predict(double x) {
        double y = 0;
        for (int k = coefficients.length - 1; k >= 0; k--) y = y * x + coefficients[k];
        return y;
    }

    public double[] coefficients() { return coefficients.clone(); }

    @Override public long bytes() { return 8L * coefficients.length; }

    @Override public String describe() { return coefficients.length == 2 ? "linear" : coefficients.length == 4 ? "cubic" : "poly" + (coefficients.length - 1); }
}
