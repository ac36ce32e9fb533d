package org.sinter.kernels;

/**
 * Cumulative sums and products over the r axis of a contiguous [outer, r, inner] block (the
 * {@link ReduceKernels} layout), written to y in the same layout; x == y with the same offset is
 * allowed. Like PyTorch on CPU, float32 scans accumulate in double. inner == 1 runs a scalar scan
 * per row; inner &gt; 1 scans whole rows at a time, which C2 vectorizes. Slices run in parallel
 * over outer. Integer scans wrap like Java's (and PyTorch's) int64 arithmetic.
 */
public final class CumsumKernels {
    private CumsumKernels() {}

    /** Columns scanned together when inner &gt; 1; their float32 carries live in a double array this long. */
    private static final int CHUNK = 1024;

    @FunctionalInterface
    private interface Slice {
        void run(int xBase, int yBase);
    }

    private static void drive(String name, int xLen, int xOff, int outer, int r, int inner, int yLen, int yOff, Slice slice) {
        long total = Checks.block("CumsumKernels", outer, r, inner);
        Checks.contiguous("CumsumKernels", name, "x", xLen, xOff, total);
        Checks.contiguous("CumsumKernels", name, "y", yLen, yOff, total);
        if (total == 0) return;
        int size = r * inner;
        if (Checks.parallel(total)) {
            Parallel.forRange(outer, Math.max(1, Checks.GRAIN / size), (s, e) -> {
                for (int o = s; o < e; o++) slice.run(xOff + o * size, yOff + o * size);
            });
        } else {
            for (int o = 0; o < outer; o++) slice.run(xOff + o * size, yOff + o * size);
        }
    }

    public static void cumsumF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        drive("cumsumF32", x.length, xOff, outer, r, inner, y.length, yOff, (xb, yb) -> {
            if (inner == 1) {
                double acc = 0;
                for (int k = 0; k < r; k++) y[yb + k] = (float) (acc += x[xb + k]);
                return;
            }
            double[] carry = new double[Math.min(CHUNK, inner)];
            for (int c0 = 0; c0 < inner; c0 += CHUNK) {
                int w = Math.min(CHUNK, inner - c0);
                java.util.Arrays.fill(carry, 0.0);
                for (int k = 0; k < r; k++) {
                    int p = xb + k * inner + c0, q = yb + k * inner + c0;
                    for (int j = 0; j < w; j++) y[q + j] = (float) (carry[j] += x[p + j]);
                }
            }
        });
    }

    public static void cumprodF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        drive("cumprodF32", x.length, xOff, outer, r, inner, y.length, yOff, (xb, yb) -> {
            if (inner == 1) {
                double acc = 1;
                for (int k = 0; k < r; k++) y[yb + k] = (float) (acc *= x[xb + k]);
                return;
            }
            double[] carry = new double[Math.min(CHUNK, inner)];
            for (int c0 = 0; c0 < inner; c0 += CHUNK) {
                int w = Math.min(CHUNK, inner - c0);
                java.util.Arrays.fill(carry, 1.0);
                for (int k = 0; k < r; k++) {
                    int p = xb + k * inner + c0, q = yb + k * inner + c0;
                    for (int j = 0; j < w; j++) y[q + j] = (float) (carry[j] *= x[p + j]);
                }
            }
        });
    }

    public static void cumsumF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        drive("cumsumF64", x.length, xOff, outer, r, inner, y.length, yOff, (xb, yb) -> {
            if (r == 0) return;
            System.arraycopy(x, xb, y, yb, inner);
            for (int k = 1; k < r; k++) {
                int p = xb + k * inner, q = yb + k * inner;
                for (int j = 0; j < inner; j++) y[q + j] = y[q - inner + j] + x[p + j];
            }
        });
    }

    public static void cumprodF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        drive("cumprodF64", x.length, xOff, outer, r, inner, y.length, yOff, (xb, yb) -> {
            if (r == 0) return;
            System.arraycopy(x, xb, y, yb, inner);
            for (int k = 1; k < r; k++) {
                int p = xb + k * inner, q = yb + k * inner;
                for (int j = 0; j < inner; j++) y[q + j] = y[q - inner + j] * x[p + j];
            }
        });
    }

    public static void cumsumI64(long[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        drive("cumsumI64", x.length, xOff, outer, r, inner, y.length, yOff, (xb, yb) -> {
            if (r == 0) return;
            System.arraycopy(x, xb, y, yb, inner);
            for (int k = 1; k < r; k++) {
                int p = xb + k * inner, q = yb + k * inner;
                for (int j = 0; j < inner; j++) y[q + j] = y[q - inner + j] + x[p + j];
            }
        });
    }

    public static void cumprodI64(long[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        drive("cumprodI64", x.length, xOff, outer, r, inner, y.length, yOff, (xb, yb) -> {
            if (r == 0) return;
            System.arraycopy(x, xb, y, yb, inner);
            for (int k = 1; k < r; k++) {
                int p = xb + k * inner, q = yb + k * inner;
                for (int j = 0; j < inner; j++) y[q + j] = y[q - inner + j] * x[p + j];
            }
        });
    }
}
