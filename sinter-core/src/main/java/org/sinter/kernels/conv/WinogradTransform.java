package org.sinter.kernels.conv;

/**
 * The minimal-filtering algorithm F(m x m, 3 x 3) of Lavin and Gray ("Fast Algorithms for
 * Convolutional Neural Networks", 2016): an {@code m x m} block of a 3x3 correlation is
 * {@code Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A} for the {@code (m+2) x (m+2)} input tile {@code d} and the
 * filter {@code g}, so {@code (m+2)²} multiplies replace {@code 9 m²}. The matrices come from
 * polynomial interpolation at the points 0, ±1, ±2 (and infinity); F(2x2) needs only 0 and ±1, so
 * its transforms are exact additions, while F(4x4)'s factors of 4, 5 and 8 cost some float32
 * precision (measured in {@code WinogradConvTest} and {@code docs/benchmarks.md}).
 *
 * <p>The input and output transforms run vectorized as sparse rows ({@link #btRows}, {@link #atRows}:
 * only the non-zero coefficients); the filter transform runs once per filter, in float64.
 */
record WinogradTransform(int m, double[][] bt, double[][] g, double[][] at) {

    /** F(2x2, 3x3): 16 products per 4 outputs (2.25x fewer multiplies than direct). */
    static final WinogradTransform F2 = new WinogradTransform(2,
            new double[][] {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
            new double[][] {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
            new double[][] {{1, 1, 1, 0}, {0, 1, -1, -1}});

    /** F(4x4, 3x3): 36 products per 16 outputs (4x fewer multiplies than direct). */
    static final WinogradTransform F4 = new WinogradTransform(4,
            new double[][] {
                {4, 0, -5, 0, 1, 0},
                {0, -4, -4, 1, 1, 0},
                {0, 4, -4, -1, 1, 0},
                {0, -2, -1, 2, 1, 0},
                {0, 2, -1, -2, 1, 0},
                {0, 4, 0, -5, 0, 1}},
            new double[][] {
                {1 / 4.0, 0, 0},
                {-1 / 6.0, -1 / 6.0, -1 / 6.0},
                {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                {1 / 24.0, 1 / 12.0, 1 / 6.0},
                {1 / 24.0, -1 / 12.0, 1 / 6.0},
                {0, 0, 1}},
            new double[][] {
                {1, 1, 1, 1, 1, 0},
                {0, 1, -1, 2, -2, 0},
                {0, 1, 1, 4, 4, 0},
                {0, 1, -1, 8, -8, 1}});

    static WinogradTransform of(int m) {
        return switch (m) {
            case 2 -> F2;
            case 4 -> F4;
            default -> throw new IllegalArgumentException("WinogradConv: output tile must be 2 or 4, got " + m);
        };
    }

    /** Input tile side, {@code m + 2}; a tile has {@code alpha²} transformed points. */
    int alpha() {
        return m + 2;
    }

    /** One row of a transform matrix as its non-zero columns and their coefficients. */
    record SparseRow(int[] cols, float[] coefs) {
        static SparseRow of(double[] row) {
            int nz = 0;
            for (double v : row) if (v != 0) nz++;
            int[] cols = new int[nz];
            float[] coefs = new float[nz];
            for (int j = 0, i = 0; j < row.length; j++) {
                if (row[j] == 0) continue;
                cols[i] = j;
                coefs[i++] = (float) row[j];
            }
            return new SparseRow(cols, coefs);
        }
    }

    SparseRow[] btRows() {
        return sparse(bt);
    }

    SparseRow[] atRows() {
        return sparse(at);
    }

    private static SparseRow[] sparse(double[][] rows) {
        SparseRow[] out = new SparseRow[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = SparseRow.of(rows[i]);
        return out;
    }

    /**
     * {@code u[xi·alpha + xj] = (G g Gᵀ)[xi][xj]} for the 3x3 filter {@code w[off..off+9)} (row major),
     * computed in float64 and rounded once.
     */
    void filter(float[] w, int off, double[] u) {
        int a = alpha();
        double[] gg = new double[a * 3];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < 3; j++)
                gg[i * 3 + j] = g[i][0] * w[off + j] + g[i][1] * w[off + 3 + j] + g[i][2] * w[off + 6 + j];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < a; j++) u[i * a + j] = gg[i * 3] * g[j][0] + gg[i * 3 + 1] * g[j][1] + gg[i * 3 + 2] * g[j][2];
    }
}
