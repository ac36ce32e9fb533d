package org.sinter.kernels;

/**
 * The drivers for argmax/argmin over the r axis of an [outer, r, inner] block (see
 * {@link ReduceKernels}): the SIMD loops are in {@link FloatReduce} and {@link DoubleReduce};
 * this file splits the work across threads. When few long rows are reduced, each thread finds the
 * best of its slice and the slices are combined in order, so ties still go to the first index.
 */
final class ArgReduce {
    private ArgReduce() {}

    private static int check(String name, int xLen, int xOff, int outer, int r, int inner, int yLen, int yOff) {
        int m = ReduceKernels.checkBlock(name, xLen, xOff, outer, r, inner, yLen, yOff);
        if (r == 0 && m > 0) {
            throw new IllegalArgumentException("ReduceKernels " + name + ": cannot reduce an empty dimension (r == 0)");
        }
        return m;
    }

    static void f32(boolean max, float[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        String name = max ? "argmaxF32" : "argminF32";
        int m = check(name, x.length, xOff, outer, r, inner, y.length, yOff);
        if (m == 0) return;
        int threads = Parallel.numThreads();
        boolean parallel = Checks.parallel((long) m * r);
        if (inner == 1) {
            if (!parallel) {
                for (int o = 0; o < outer; o++) y[yOff + o] = row(max, x, xOff + o * r, r);
            } else if (outer >= 4 * threads) {
                Parallel.forRange(outer, Math.max(1, Checks.GRAIN / r), (s, e) -> {
                    for (int o = s; o < e; o++) y[yOff + o] = row(max, x, xOff + o * r, r);
                });
            } else {
                int[] best = new int[threads];
                for (int o = 0; o < outer; o++) {
                    int base = xOff + o * r;
                    Parallel.forRange(threads, 1, (s, e) -> {
                        for (int c = s; c < e; c++) {
                            int k0 = ReduceKernels.split(r, threads, c), k1 = ReduceKernels.split(r, threads, c + 1);
                            best[c] = k1 > k0 ? k0 + row(max, x, base + k0, k1 - k0) : -1;
                        }
                    });
                    int b = best[0];
                    for (int c = 1; c < threads; c++) {
                        int k = best[c];
                        if (k >= 0 && (max ? FloatReduce.beatsMax(x[base + k], x[base + b]) : FloatReduce.beatsMin(x[base + k], x[base + b]))) b = k;
                    }
                    y[yOff + o] = b;
                }
            }
        } else if (!parallel) {
            for (int o = 0; o < outer; o++) cols(max, x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
        } else if (outer >= threads) {
            Parallel.forRange(outer, 1, (s, e) -> {
                for (int o = s; o < e; o++) cols(max, x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
            });
        } else {
            int tiles = Math.max(1, inner / 64);
            Parallel.forRange(tiles, 1, (s, e) -> {
                int i0 = s * 64, i1 = e == tiles ? inner : e * 64;
                for (int o = 0; o < outer; o++) cols(max, x, xOff + o * r * inner, r, inner, i0, i1, y, yOff + o * inner);
            });
        }
    }

    private static int row(boolean max, float[] x, int off, int n) {
        return max ? FloatReduce.argmaxRow(x, off, n) : FloatReduce.argminRow(x, off, n);
    }

    private static void cols(boolean max, float[] x, int base, int r, int inner, int i0, int i1, long[] y, int yo) {
        if (max) FloatReduce.argmaxCols(x, base, r, inner, i0, i1, y, yo);
        else FloatReduce.argminCols(x, base, r, inner, i0, i1, y, yo);
    }

    static void f64(boolean max, double[] x, int xOff, int outer, int r, int inner, long[] y, int yOff) {
        String name = max ? "argmaxF64" : "argminF64";
        int m = check(name, x.length, xOff, outer, r, inner, y.length, yOff);
        if (m == 0) return;
        int threads = Parallel.numThreads();
        boolean parallel = Checks.parallel((long) m * r);
        if (inner == 1) {
            if (!parallel) {
                for (int o = 0; o < outer; o++) y[yOff + o] = row(max, x, xOff + o * r, r);
            } else if (outer >= 4 * threads) {
                Parallel.forRange(outer, Math.max(1, Checks.GRAIN / r), (s, e) -> {
                    for (int o = s; o < e; o++) y[yOff + o] = row(max, x, xOff + o * r, r);
                });
            } else {
                int[] best = new int[threads];
                for (int o = 0; o < outer; o++) {
                    int base = xOff + o * r;
                    Parallel.forRange(threads, 1, (s, e) -> {
                        for (int c = s; c < e; c++) {
                            int k0 = ReduceKernels.split(r, threads, c), k1 = ReduceKernels.split(r, threads, c + 1);
                            best[c] = k1 > k0 ? k0 + row(max, x, base + k0, k1 - k0) : -1;
                        }
                    });
                    int b = best[0];
                    for (int c = 1; c < threads; c++) {
                        int k = best[c];
                        if (k >= 0 && (max ? DoubleReduce.beatsMax(x[base + k], x[base + b]) : DoubleReduce.beatsMin(x[base + k], x[base + b]))) b = k;
                    }
                    y[yOff + o] = b;
                }
            }
        } else if (!parallel) {
            for (int o = 0; o < outer; o++) cols(max, x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
        } else if (outer >= threads) {
            Parallel.forRange(outer, 1, (s, e) -> {
                for (int o = s; o < e; o++) cols(max, x, xOff + o * r * inner, r, inner, 0, inner, y, yOff + o * inner);
            });
        } else {
            int tiles = Math.max(1, inner / 64);
            Parallel.forRange(tiles, 1, (s, e) -> {
                int i0 = s * 64, i1 = e == tiles ? inner : e * 64;
                for (int o = 0; o < outer; o++) cols(max, x, xOff + o * r * inner, r, inner, i0, i1, y, yOff + o * inner);
            });
        }
    }

    private static int row(boolean max, double[] x, int off, int n) {
        return max ? DoubleReduce.argmaxRow(x, off, n) : DoubleReduce.argminRow(x, off, n);
    }

    private static void cols(boolean max, double[] x, int base, int r, int inner, int i0, int i1, long[] y, int yo) {
        if (max) DoubleReduce.argmaxCols(x, base, r, inner, i0, i1, y, yo);
        else DoubleReduce.argminCols(x, base, r, inner, i0, i1, y, yo);
    }
}
