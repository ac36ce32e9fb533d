package org.sinter.cluster.hetero;

import java.util.Arrays;

/**
 * A small dense simplex solver for the linear programs Gavel's policies pose: maximize {@code c·x}
 * subject to {@code A x <= b}, {@code x >= 0}, with {@code b >= 0}, so the origin is feasible and
 * the slack variables are the first basis (no phase one). Those are exactly the allocation LPs here
 * (every constraint is a capacity). Dantzig's rule (largest reduced cost), switching to Bland's rule
 * (lowest index) after a run of degenerate pivots, so it cannot cycle on the very degenerate max-min
 * programs (many jobs at zero). Returns the dual prices too, so a caller or test can check optimality
 * by strong duality instead of trusting the solver.
 */
public final class LinearProgram {
    private static final double EPS = 1e-9;
    private static final int DEGENERATE_RUN_BEFORE_BLAND = 50;

    /** An optimal vertex: primal values, dual prices (one per constraint), the objective, and the pivots it took. */
    public record Solution(double[] x, double[] dual, double objective, int pivots) {}

    private final int rows;
    private final int vars;
    private final double[][] a;
    private final double[] b;
    private final double[] c;

    /** @param a constraint rows (each of length {@code c.length}); {@code b[i] >= 0} the right-hand sides */
    public LinearProgram(double[][] a, double[] b, double[] c) {
        if (a.length != b.length) throw new IllegalArgumentException("linear program: " + a.length + " constraint rows but " + b.length + " right-hand sides");
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != c.length) throw new IllegalArgumentException("linear program: row " + i + " has " + a[i].length + " coefficients, the objective " + c.length);
            if (!(b[i] >= 0) || Double.isInfinite(b[i])) throw new IllegalArgumentException("linear program: right-hand side " + i + " must be finite and >= 0 (origin feasible), got " + b[i]);
        }
        this.rows = a.length;
        this.vars = c.length;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /** Solves to optimality; throws if the program is unbounded (a capacity is missing). */
    public Solution maximize() {
        int cols = vars + rows; // decision variables, then one slack per row
        double[][] t = new double[rows][];
        double[] rhs = b.clone();
        int[] basis = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = Arrays.copyOf(a[i], cols);
            t[i][vars + i] = 1;
            basis[i] = vars + i;
        }
        // reduced costs of the objective row: z - c·x, kept as "how much a unit of column j gains"
        double[] gain = Arrays.copyOf(c, cols);
        double objective = 0;
        int pivots = 0, degenerateRun = 0;
        int[] nonzero = new int[cols];
        while (true) {
            boolean bland = degenerateRun >= DEGENERATE_RUN_BEFORE_BLAND;
            int enter = -1;
            double best = EPS;
            for (int j = 0; j < cols; j++) {
                if (gain[j] > best) {
                    enter = j;
                    if (bland) break;
                    best = gain[j];
                }
            }
            if (enter < 0) break;
            int leave = -1;
            double ratio = Double.POSITIVE_INFINITY;
            for (int i = 0; i < rows; i++) {
                double v = t[i][enter];
                if (v > EPS) {
                    double r = rhs[i] / v;
                    if (r < ratio - EPS || (r <= ratio + EPS && leave >= 0 && basis[i] < basis[leave])) {
                        ratio = r;
                        leave = i;
                    }
                }
            }
            if (leave < 0) throw new IllegalStateException("linear program is unbounded along variable " + enter);
            degenerateRun = ratio <= EPS ? degenerateRun + 1 : 0;
            // pivot: scale the leaving row, then eliminate the entering column elsewhere, touching
            // only the pivot row's nonzero columns (the allocation programs are very sparse)
            double[] p = t[leave];
            double inv = 1.0 / p[enter];
            int nz = 0;
            for (int j = 0; j < cols; j++) {
                if (p[j] != 0) {
                    p[j] *= inv;
                    nonzero[nz++] = j;
                }
            }
            rhs[leave] *= inv;
            p[enter] = 1;
            for (int i = 0; i < rows; i++) {
                if (i == leave) continue;
                double f = t[i][enter];
                if (f == 0) continue;
                double[] row = t[i];
                for (int k = 0; k < nz; k++) row[nonzero[k]] -= f * p[nonzero[k]];
                row[enter] = 0;
                rhs[i] -= f * rhs[leave];
                if (rhs[i] < 0 && rhs[i] > -EPS) rhs[i] = 0;
            }
            double g = gain[enter];
            for (int k = 0; k < nz; k++) gain[nonzero[k]] -= g * p[nonzero[k]];
            gain[enter] = 0;
            objective += g * rhs[leave];
            basis[leave] = enter;
            pivots++;
        }
        double[] x = new double[vars];
        for (int i = 0; i < rows; i++) if (basis[i] < vars) x[basis[i]] = rhs[i];
        double[] dual = new double[rows];
        for (int i = 0; i < rows; i++) dual[i] = -gain[vars + i];
        return new Solution(x, dual, objective, pivots);
    }
}
