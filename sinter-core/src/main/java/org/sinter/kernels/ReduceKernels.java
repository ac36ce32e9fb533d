package org.sinter.kernels;

/** TEMPORARY scalar reduction kernels over [outer, r, inner] blocks (replaced by the SIMD kernels). */
public final class ReduceKernels {
    private ReduceKernels() {}

    private interface Acc { double apply(double acc, double v); }

    private static void reduceD(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff, double init, int kind) {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                double acc = init;
                for (int k = 0; k < r; k++) {
                    double v = x[xOff + (o * r + k) * inner + i];
                    acc = switch (kind) {
                        case 0 -> acc + v;
                        case 1 -> acc * v;
                        case 2 -> (v != v || acc != acc) ? Double.NaN : Math.max(acc, v);
                        default -> (v != v || acc != acc) ? Double.NaN : Math.min(acc, v);
                    };
                }
                y[yOff + o * inner + i] = acc;
            }
    }

    private static void reduceF(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff, double init, int kind) {
        double[] xd = new double[outer * r * inner];
        for (int i = 0; i < xd.length; i++) xd[i] = x[xOff + i];
        double[] yd = new double[outer * inner];
        reduceD(xd, 0, outer, r, inner, yd, 0, init, kind);
        for (int i = 0; i < yd.length; i++) y[yOff + i] = (float) yd[i];
    }

    public static void sumF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) { reduceF(x, xOff, outer, r, inner, y, yOff, 0, 0); }
    public static void prodF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) { reduceF(x, xOff, outer, r, inner, y, yOff, 1, 1); }
    public static void maxF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) { reduceF(x, xOff, outer, r, inner, y, yOff, Double.NEGATIVE_INFINITY, 2); }
    public static void minF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) { reduceF(x, xOff, outer, r, inner, y, yOff, Double.POSITIVE_INFINITY, 3); }
    public static void sumF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) { reduceD(x, xOff, outer, r, inner, y, yOff, 0, 0); }
    public static void prodF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) { reduceD(x, xOff, outer, r, inner, y, yOff, 1, 1); }
    public static void maxF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) { reduceD(x, xOff, outer, r, inner, y, yOff, Double.NEGATIVE_INFINITY, 2); }
    public static void minF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) { reduceD(x, xOff, outer, r, inner, y, yOff, Double.POSITIVE_INFINITY, 3); }

    private static void argD(double[] x, int xOff, int outer, int r, int inner, long[] y, int yOff, boolean max) {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bv = x[xOff + o * r * inner + i];
                for (int k = 1; k < r && bv == bv; k++) {
                    double v = x[xOff + (o * r + k) * inner + i];
                    if (v != v || (max ? v > bv : v < bv)) { bv = v; best = k; }
                }
                y[yOff + o * inner + i] = best;
            }
    }

    public static void argmaxF64(double[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) { argD(x, xOff, outer, r, inner, y, yOff, true); }
    public static void argminF64(double[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) { argD(x, xOff, outer, r, inner, y, yOff, false); }

    public static void argmaxF32(float[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        double[] xd = new double[outer * r * inner];
        for (int i = 0; i < xd.length; i++) xd[i] = x[xOff + i];
        argD(xd, 0, outer, r, inner, y, yOff, true);
    }

    public static void argminF32(float[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        double[] xd = new double[outer * r * inner];
        for (int i = 0; i < xd.length; i++) xd[i] = x[xOff + i];
        argD(xd, 0, outer, r, inner, y, yOff, false);
    }
}
