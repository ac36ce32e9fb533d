package org.sinter.kernels;

import java.util.Arrays;

/**
 * Reductions over the middle axis of a contiguous [outer, r, inner] block that starts at
 * {@code xOff}: element (o, k, i) is {@code x[xOff + (o*r + k)*inner + i]} and the result for
 * (o, i) goes to {@code y[yOff + o*inner + i]}.
 *
 * <p>inner == 1 reduces contiguous rows across SIMD lanes; inner &gt; 1 keeps the lanes along the
 * inner axis and accumulates row by row. Large blocks run on {@link Parallel}: over the outputs when
 * there are many, over r (partial results combined) when there are few, so a full reduction of 16M
 * floats uses every core. float32 sums carry block totals in double (see {@link FloatReduce}).
 * Max and min propagate NaN; argmax/argmin return the first extreme index and treat NaN as the
 * extreme (PyTorch). Sums and products of ints return long (PyTorch promotes them to int64).
 * r == 0 writes the identity: 0, 1, -inf for max, +inf for min (the caller rejects empty max/min).
 */
public final class ReduceKernels {
    private ReduceKernels() {}

    private static final int SUM = 0, PROD = 1, MAX = 2, MIN = 3;

    /** Reduces a contiguous float run to a double (sums carry more than float precision). */
    @FunctionalInterface
    private interface F32Row {
        double apply(float[] x, int off, int n);
    }

    /** Reduces columns [i0, i1) of a [r, inner] block at base into y[yo + i]. */
    @FunctionalInterface
    private interface F32Cols {
        void apply(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo);
    }

    @FunctionalInterface
    private interface F64Row {
        double apply(double[] x, int off, int n);
    }

    @FunctionalInterface
    private interface F64Cols {
        void apply(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo);
    }

    public static void sumF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        f32("sum", SUM, FloatReduce::sumRow, FloatReduce::sumCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void prodF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        f32("prod", PROD, FloatReduce::prodRow, FloatReduce::prodCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void maxF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        f32("max", MAX, FloatReduce::maxRow, FloatReduce::maxCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void minF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        f32("min", MIN, FloatReduce::minRow, FloatReduce::minCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void sumF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        f64("sum", SUM, DoubleReduce::sumRow, DoubleReduce::sumCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void prodF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        f64("prod", PROD, DoubleReduce::prodRow, DoubleReduce::prodCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void maxF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        f64("max", MAX, DoubleReduce::maxRow, DoubleReduce::maxCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void minF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        f64("min", MIN, DoubleReduce::minRow, DoubleReduce::minCols, x, xOff, outer, r, inner, y, yOff);
    }

    public static void sumI32(int[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        int m = ints("sumI32", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, 0L);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] += x[p + i];
            }
        }
    }

    public static void sumI64(long[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        int m = ints("sumI64", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, 0L);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] += x[p + i];
            }
        }
    }

    public static void prodI32(int[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        int m = ints("prodI32", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, 1L);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] *= x[p + i];
            }
        }
    }

    public static void prodI64(long[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        int m = ints("prodI64", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, 1L);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] *= x[p + i];
            }
        }
    }

    /** Max of ints; r == 0 writes Integer.MIN_VALUE (the caller rejects empty max). */
    public static void maxI32(int[] x, int xOff, int outer, int r, int inner, int[] y, int yOff) {
        int m = ints("maxI32", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, Integer.MIN_VALUE);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] = Math.max(y[yo + i], x[p + i]);
            }
        }
    }

    public static void maxI64(long[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        int m = ints("maxI64", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, Long.MIN_VALUE);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] = Math.max(y[yo + i], x[p + i]);
            }
        }
    }

    /** Min of ints; r == 0 writes Integer.MAX_VALUE. */
    public static void minI32(int[] x, int xOff, int outer, int r, int inner, int[] y, int yOff) {
        int m = ints("minI32", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, Integer.MAX_VALUE);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] = Math.min(y[yo + i], x[p + i]);
            }
        }
    }

    public static void minI64(long[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        int m = ints("minI64", x.length, xOff, outer, r, inner, y.length, yOff);
        Arrays.fill(y, yOff, yOff + m, Long.MAX_VALUE);
        for (int o = 0; o < outer; o++) {
            int yo = yOff + o * inner;
            for (int k = 0, p = xOff + o * r * inner; k < r; k++, p += inner) {
                for (int i = 0; i < inner; i++) y[yo + i] = Math.min(y[yo + i], x[p + i]);
            }
        }
    }

    /** First index of the maximum over r; NaN counts as the maximum. r must be positive when outer*inner is. */
    public static void argmaxF32(float[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        ArgReduce.f32(true, x, xOff, outer, r, inner, y, yOff);
    }

    /** First index of the minimum over r; NaN counts as the minimum (PyTorch). */
    public static void argminF32(float[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        ArgReduce.f32(false, x, xOff, outer, r, inner, y, yOff);
    }

    public static void argmaxF64(double[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        ArgReduce.f64(true, x, xOff, outer, r, inner, y, yOff);
    }

    public static void argminF64(double[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        ArgReduce.f64(false, x, xOff, outer, r, inner, y, yOff);
    }

    // ---------------------------------------------------------------- drivers

    static int checkBlock(String name, int xLen, int xOff, int outer, int r, int inner, int yLen, int yOff) {
        long total = Checks.block("ReduceKernels", outer, r, inner);
        Checks.contiguous("ReduceKernels", name, "x", xLen, xOff, total);
        Checks.contiguous("ReduceKernels", name, "y", yLen, yOff, (long) outer * inner);
        return outer * inner;
    }

    private static int ints(String name, int xLen, int xOff, int outer, int r, int inner, int yLen, int yOff) {
        return checkBlock(name, xLen, xOff, outer, r, inner, yLen, yOff);
    }

    private static double identity(int op) {
        return switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    private static double combine(int op, double a, double b) {
        return switch (op) {
            case SUM -> a + b;
            case PROD -> a * b;
            case MAX -> Math.max(a, b);
            default -> Math.min(a, b);
        };
    }

    /** Splits [0, n) into {@code parts} near-equal pieces; piece c starts at split(n, parts, c). */
    static int split(int n, int parts, int c) {
        return (int) ((long) n * c / parts);
    }

    private static void f32(String name, int op, F32Row row, F32Cols cols,
                            float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        int m = checkBlock(name, x.length, xOff, outer, r, inner, y.length, yOff);
        if (m == 0) return;
        if (r == 0) {
            Arrays.fill(y, yOff, yOff + m, (float) identity(op));
            return;
        }
        long total = (long) m * r;
        int threads = Parallel.numThreads();
        boolean parallel = Checks.parallel(total);
        if (!parallel) { // inline, without a lambda: nothing allocated on the small-call path
            if (inner == 1) {
                for (int o = 0; o < outer; o++) y[yOff + o] = (float) row.apply(x, xOff + o * r, r);
            } else {
                for (int o = 0; o < outer; o++) cols.apply(x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
            }
        } else if (inner == 1) {
            if (outer >= 4 * threads) {
                Parallel.forRange(outer, Math.max(1, Checks.GRAIN / r), (s, e) -> {
                    for (int o = s; o < e; o++) y[yOff + o] = (float) row.apply(x, xOff + o * r, r);
                });
            } else { // few long rows: every thread takes a slice of each row
                double[] partial = new double[threads];
                for (int o = 0; o < outer; o++) {
                    int base = xOff + o * r;
                    Parallel.forRange(threads, 1, (s, e) -> {
                        for (int c = s; c < e; c++) {
                            int k0 = split(r, threads, c), k1 = split(r, threads, c + 1);
                            partial[c] = row.apply(x, base + k0, k1 - k0);
                        }
                    });
                    double acc = partial[0];
                    for (int c = 1; c < threads; c++) acc = combine(op, acc, partial[c]);
                    y[yOff + o] = (float) acc;
                }
            }
        } else if (outer >= threads) {
            Parallel.forRange(outer, Math.max(1, (int) (Checks.GRAIN / ((long) r * inner))), (s, e) -> {
                for (int o = s; o < e; o++) cols.apply(x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
            });
        } else if (inner >= 64 * threads) { // few outer slices, wide rows: split the inner axis
            int tiles = inner / 64;
            Parallel.forRange(tiles, 1, (s, e) -> {
                int i0 = s * 64, i1 = e == tiles ? inner : e * 64;
                for (int o = 0; o < outer; o++) cols.apply(x, xOff + o * r * inner, r, inner, i0, i1, y, yOff + o * inner);
            });
        } else { // few narrow outputs, long r: reduce slices of r into partials, then combine
            float[] partial = new float[threads * m];
            Parallel.forRange(threads, 1, (s, e) -> {
                for (int c = s; c < e; c++) {
                    int k0 = split(r, threads, c), k1 = split(r, threads, c + 1);
                    for (int o = 0; o < outer; o++) {
                        if (k1 > k0) cols.apply(x, xOff + (o * r + k0) * inner, k1 - k0, inner, 0, inner, partial, c * m + o * inner);
                        else Arrays.fill(partial, c * m + o * inner, c * m + (o + 1) * inner, (float) identity(op));
                    }
                }
            });
            for (int j = 0; j < m; j++) {
                double acc = partial[j];
                for (int c = 1; c < threads; c++) acc = combine(op, acc, partial[c * m + j]);
                y[yOff + j] = (float) acc;
            }
        }
    }

    private static void f64(String name, int op, F64Row row, F64Cols cols,
                            double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        int m = checkBlock(name, x.length, xOff, outer, r, inner, y.length, yOff);
        if (m == 0) return;
        if (r == 0) {
            Arrays.fill(y, yOff, yOff + m, identity(op));
            return;
        }
        long total = (long) m * r;
        int threads = Parallel.numThreads();
        boolean parallel = Checks.parallel(total);
        if (!parallel) { // inline, without a lambda: nothing allocated on the small-call path
            if (inner == 1) {
                for (int o = 0; o < outer; o++) y[yOff + o] = row.apply(x, xOff + o * r, r);
            } else {
                for (int o = 0; o < outer; o++) cols.apply(x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
            }
        } else if (inner == 1) {
            if (outer >= 4 * threads) {
                Parallel.forRange(outer, Math.max(1, Checks.GRAIN / r), (s, e) -> {
                    for (int o = s; o < e; o++) y[yOff + o] = row.apply(x, xOff + o * r, r);
                });
            } else {
                double[] partial = new double[threads];
                for (int o = 0; o < outer; o++) {
                    int base = xOff + o * r;
                    Parallel.forRange(threads, 1, (s, e) -> {
                        for (int c = s; c < e; c++) {
                            int k0 = split(r, threads, c), k1 = split(r, threads, c + 1);
                            partial[c] = row.apply(x, base + k0, k1 - k0);
                        }
                    });
                    double acc = partial[0];
                    for (int c = 1; c < threads; c++) acc = combine(op, acc, partial[c]);
                    y[yOff + o] = acc;
                }
            }
        } else if (outer >= threads) {
            Parallel.forRange(outer, Math.max(1, (int) (Checks.GRAIN / ((long) r * inner))), (s, e) -> {
                for (int o = s; o < e; o++) cols.apply(x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
            });
        } else if (inner >= 64 * threads) {
            int tiles = inner / 64;
            Parallel.forRange(tiles, 1, (s, e) -> {
                int i0 = s * 64, i1 = e == tiles ? inner : e * 64;
                for (int o = 0; o < outer; o++) cols.apply(x, xOff + o * r * inner, r, inner, i0, i1, y, yOff + o * inner);
            });
        } else {
            double[] partial = new double[threads * m];
            Parallel.forRange(threads, 1, (s, e) -> {
                for (int c = s; c < e; c++) {
                    int k0 = split(r, threads, c), k1 = split(r, threads, c + 1);
                    for (int o = 0; o < outer; o++) {
                        if (k1 > k0) cols.apply(x, xOff + (o * r + k0) * inner, k1 - k0, inner, 0, inner, partial, c * m + o * inner);
                        else Arrays.fill(partial, c * m + o * inner, c * m + (o + 1) * inner, identity(op));
                    }
                }
            });
            for (int j = 0; j < m; j++) {
                double acc = partial[j];
                for (int c = 1; c < threads; c++) acc = combine(op, acc, partial[c * m + j]);
                y[yOff + j] = acc;
            }
        }
    }
}
