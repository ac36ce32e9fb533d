package org.sinter.kernels;

/** TEMPORARY scalar softmax kernels over the r axis of [outer, r, inner] blocks. */
public final class SoftmaxKernels {
    private SoftmaxKernels() {}

    public static void softmaxF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff, boolean log) {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int base = o * r * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < r; k++) m = Math.max(m, x[xOff + base + k * inner]);
                double s = 0;
                for (int k = 0; k < r; k++) s += Math.exp(x[xOff + base + k * inner] - m);
                for (int k = 0; k < r; k++) {
                    double v = x[xOff + base + k * inner] - m;
                    y[yOff + base + k * inner] = log ? v - Math.log(s) : Math.exp(v) / s;
                }
            }
    }

    public static void softmaxF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff, boolean log) {
        int n = outer * r * inner;
        double[] xd = new double[n], yd = new double[n];
        for (int i = 0; i < n; i++) xd[i] = x[xOff + i];
        softmaxF64(xd, 0, outer, r, inner, yd, 0, log);
        for (int i = 0; i < n; i++) y[yOff + i] = (float) yd[i];
    }
}
