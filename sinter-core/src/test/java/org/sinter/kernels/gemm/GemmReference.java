package org.sinter.kernels.gemm;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** A naive double-precision GEMM and the checks the GEMM tests share. */
final class GemmReference {
    private GemmReference() {}

    /** One test case: shapes, transposes, strides (extra padding per row) and offsets. */
    record Case(boolean transA, boolean transB, int m, int n, int k, double alpha, double beta, int pad, int off) {
        int aRows() { return transA ? k : m; }
        int aCols() { return transA ? m : k; }
        int bRows() { return transB ? n : k; }
        int bCols() { return transB ? k : n; }
        int lda() { return Math.max(1, aCols() + pad); }
        int ldb() { return Math.max(1, bCols() + pad); }
        int ldc() { return Math.max(1, n + pad); }
        int aLen() { return off + aRows() * lda(); }
        int bLen() { return off + bRows() * ldb(); }
        int cLen() { return off + m * ldc(); }

        @Override
        public String toString() {
            return (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " alpha=" + alpha + " beta=" + beta + " pad=" + pad + " off=" + off;
        }
    }

    static double[] random(Random r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = r.nextDouble() * 2 - 1;
        return x;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /**
     * Checks {@code got} (C after the call) against alpha*op(A)*op(B) + beta*C0 computed in double.
     * Elements outside the m x n window must be untouched. The bound scales with k and with the
     * magnitude of the summed terms (eps is the unit roundoff of the precision under test).
     */
    static void check(Case t, double[] a, double[] b, double[] c0, double[] got, double eps) {
        int lda = t.lda(), ldb = t.ldb(), ldc = t.ldc();
        boolean[] inside = new boolean[got.length];
        for (int i = 0; i < t.m; i++) {
            for (int j = 0; j < t.n; j++) {
                double sum = 0, mag = 0;
                for (int p = 0; p < t.k; p++) {
                    double x = t.transA ? a[t.off + p * lda + i] : a[t.off + i * lda + p];
                    double y = t.transB ? b[t.off + j * ldb + p] : b[t.off + p * ldb + j];
                    sum += x * y;
                    mag += Math.abs(x * y);
                }
                int ci = t.off + i * ldc + j;
                inside[ci] = true;
                double c = t.beta == 0 ? 0 : t.beta * c0[ci];
                double want = t.alpha * sum + c;
                double tol = 4 * eps * ((t.k + 2) * Math.abs(t.alpha) * mag + Math.abs(c)) + 1e-30;
                if (!(Math.abs(got[ci] - want) <= tol))
                    fail(t + ": C[" + i + "][" + j + "] = " + got[ci] + ", expected " + want + " (tolerance " + tol + ")");
            }
        }
        for (int i = 0; i < got.length; i++) {
            if (!inside[i] && Double.doubleToLongBits(got[i]) != Double.doubleToLongBits(c0[i]))
                fail(t + ": element " + i + " outside C's window changed from " + c0[i] + " to " + got[i]);
        }
    }
}
