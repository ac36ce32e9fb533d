package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax over the r axis of a contiguous [outer, r, inner] block (same layout
 * as {@link ReduceKernels}), written to y in the same layout. Numerically stable: the maximum is
 * subtracted before exp (a NaN in a slice makes the slice NaN, an all -inf slice gives NaN, as in
 * PyTorch). Fused: a row takes three passes (max; exp, store and sum; scale) and log-softmax never
 * stores the exponentials. Slices run in parallel over outer (and over column chunks when inner
 * &gt; 1, where each task allocates one small scratch array for its column maxima and sums).
 */
public final class SoftmaxKernels {
    private SoftmaxKernels() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    /** Columns handled together when inner &gt; 1 (their maxima and sums stay in L1). */
    private static final int CHUNK = 1024;

    public static void softmaxF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        f32(false, x, xOff, outer, r, inner, y, yOff);
    }

    public static void logSoftmaxF32(float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        f32(true, x, xOff, outer, r, inner, y, yOff);
    }

    private static void f32(boolean log, float[] x, int xOff, int outer, int r, int inner, float[] y, int yOff) {
        String name = log ? "logSoftmaxF32" : "softmaxF32";
        long total = Checks.block("SoftmaxKernels", outer, r, inner);
        Checks.contiguous("SoftmaxKernels", name, "x", x.length, xOff, total);
        Checks.contiguous("SoftmaxKernels", name, "y", y.length, yOff, total);
        if (total == 0) return;
        int slice = r * inner;
        if (inner == 1) {
            if (Checks.parallel(total)) {
                Parallel.forRange(outer, Math.max(1, Checks.GRAIN / r), (s, e) -> {
                    for (int o = s; o < e; o++) rowF32(log, x, xOff + o * r, y, yOff + o * r, r);
                });
            } else {
                for (int o = 0; o < outer; o++) rowF32(log, x, xOff + o * r, y, yOff + o * r, r);
            }
        } else {
            int chunks = (inner + CHUNK - 1) / CHUNK;
            Parallel.forRange(outer * chunks, Checks.parallel(total) ? 1 : outer * chunks, (s, e) -> {
                float[] scratch = new float[2 * Math.min(CHUNK, inner)];
                for (int t = s; t < e; t++) {
                    int o = t / chunks, c0 = (t % chunks) * CHUNK;
                    colsF32(log, x, xOff + o * slice, y, yOff + o * slice, r, inner, c0, Math.min(inner, c0 + CHUNK), scratch);
                }
            });
        }
    }

    /** One contiguous row: max, then exp and sum in one pass, then a scale (or a shift for log). */
    private static void rowF32(boolean log, float[] x, int xo, float[] y, int yo, int r) {
        float m = (float) FloatReduce.maxRow(x, xo, r);
        FloatVector vm = FloatVector.broadcast(FS, m);
        int ub = FS.loopBound(r), i;
        if (log) {
            FloatVector acc = FloatVector.zero(FS);
            for (i = 0; i < ub; i += FL) acc = acc.add(VectorExp.exp(FloatVector.fromArray(FS, x, xo + i).sub(vm)));
            double s = Lanes.sum(acc);
            for (; i < r; i++) s += Math.exp(x[xo + i] - m);
            float logSum = (float) Math.log(s); // (x - max) - log(sum), as PyTorch: x - max is exact
            for (i = 0; i < ub; i += FL) FloatVector.fromArray(FS, x, xo + i).sub(vm).sub(logSum).intoArray(y, yo + i);
            for (; i < r; i++) y[yo + i] = (x[xo + i] - m) - logSum;
        } else {
            FloatVector acc = FloatVector.zero(FS);
            for (i = 0; i < ub; i += FL) {
                FloatVector e = VectorExp.exp(FloatVector.fromArray(FS, x, xo + i).sub(vm));
                e.intoArray(y, yo + i);
                acc = acc.add(e);
            }
            double s = Lanes.sum(acc);
            for (; i < r; i++) {
                y[yo + i] = (float) Math.exp(x[xo + i] - m);
                s += y[yo + i];
            }
            float inv = (float) (1 / s);
            for (i = 0; i < ub; i += FL) FloatVector.fromArray(FS, y, yo + i).mul(inv).intoArray(y, yo + i);
            for (; i < r; i++) y[yo + i] *= inv;
        }
    }

    /**
     * Columns [c0, c1) of one [r, inner] slice, streaming whole rows: the column max goes to
     * scratch[0, w), the running sum of exponentials to scratch[w, 2w)
     * (then its reciprocal, or its log for log-softmax).
     */
    private static void colsF32(boolean log, float[] x, int xb, float[] y, int yb, int r, int inner, int c0, int c1, float[] scratch) {
        int w = c1 - c0;
        FloatReduce.maxCols(x, xb, r, inner, c0, c1, scratch, -c0);
        Arrays.fill(scratch, w, 2 * w, 0f);
        int ub = FS.loopBound(w);
        for (int k = 0; k < r; k++) {
            int p = xb + k * inner + c0, q = yb + k * inner + c0, j = 0;
            for (; j < ub; j += FL) {
                FloatVector e = VectorExp.exp(FloatVector.fromArray(FS, x, p + j).sub(FloatVector.fromArray(FS, scratch, j)));
                if (!log) e.intoArray(y, q + j);
                e.add(FloatVector.fromArray(FS, scratch, w + j)).intoArray(scratch, w + j);
            }
            for (; j < w; j++) {
                float e = (float) Math.exp(x[p + j] - scratch[j]);
                if (!log) y[q + j] = e;
                scratch[w + j] += e;
            }
        }
        for (int j = 0; j < w; j++) {
            scratch[w + j] = log ? (float) Math.log(scratch[w + j]) : 1f / scratch[w + j];
        }
        for (int k = 0; k < r; k++) {
            int p = xb + k * inner + c0, q = yb + k * inner + c0, j = 0;
            if (log) {
                for (; j < ub; j += FL) {
                    FloatVector.fromArray(FS, x, p + j).sub(FloatVector.fromArray(FS, scratch, j))
                            .sub(FloatVector.fromArray(FS, scratch, w + j)).intoArray(y, q + j);
                }
                for (; j < w; j++) y[q + j] = (x[p + j] - scratch[j]) - scratch[w + j];
            } else {
                for (; j < ub; j += FL) FloatVector.fromArray(FS, y, q + j).mul(FloatVector.fromArray(FS, scratch, w + j)).intoArray(y, q + j);
                for (; j < w; j++) y[q + j] *= scratch[w + j];
            }
        }
    }

    public static void softmaxF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        f32(false, x, xOff, outer, r, inner, y, yOff);
    }

    public static void logSoftmaxF64(double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        f32(true, x, xOff, outer, r, inner, y, yOff);
    }

    private static void f32(boolean log, double[] x, int xOff, int outer, int r, int inner, double[] y, int yOff) {
        String name = log ? "logSoftmaxF64" : "softmaxF64";
        long total = Checks.block("SoftmaxKernels", outer, r, inner);
        Checks.contiguous("SoftmaxKernels", name, "x", x.length, xOff, total);
        Checks.contiguous("SoftmaxKernels", name, "y", y.length, yOff, total);
        if (total == 0) return;
        int slice = r * inner;
        if (inner == 1) {
            if (Checks.parallel(total)) {
                Parallel.forRange(outer, Math.max(1, Checks.GRAIN / r), (s, e) -> {
                    for (int o = s; o < e; o++) rowF64(log, x, xOff + o * r, y, yOff + o * r, r);
                });
            } else {
                for (int o = 0; o < outer; o++) rowF64(log, x, xOff + o * r, y, yOff + o * r, r);
            }
        } else {
            int chunks = (inner + CHUNK - 1) / CHUNK;
            Parallel.forRange(outer * chunks, Checks.parallel(total) ? 1 : outer * chunks, (s, e) -> {
                double[] scratch = new double[2 * Math.min(CHUNK, inner)];
                for (int t = s; t < e; t++) {
                    int o = t / chunks, c0 = (t % chunks) * CHUNK;
                    colsF64(log, x, xOff + o * slice, y, yOff + o * slice, r, inner, c0, Math.min(inner, c0 + CHUNK), scratch);
                }
            });
        }
    }

    /** One contiguous row: max, then exp and sum in one pass, then a scale (or a shift for log). */
    private static void rowF64(boolean log, double[] x, int xo, double[] y, int yo, int r) {
        double m = DoubleReduce.maxRow(x, xo, r);
        DoubleVector vm = DoubleVector.broadcast(DS, m);
        int ub = DS.loopBound(r), i;
        if (log) {
            DoubleVector acc = DoubleVector.zero(DS);
            for (i = 0; i < ub; i += DL) acc = acc.add(VectorExp.exp(DoubleVector.fromArray(DS, x, xo + i).sub(vm)));
            double s = Lanes.sum(acc);
            for (; i < r; i++) s += Math.exp(x[xo + i] - m);
            double logSum = Math.log(s); // (x - max) - log(sum), as PyTorch: x - max is exact
            for (i = 0; i < ub; i += DL) DoubleVector.fromArray(DS, x, xo + i).sub(vm).sub(logSum).intoArray(y, yo + i);
            for (; i < r; i++) y[yo + i] = (x[xo + i] - m) - logSum;
        } else {
            DoubleVector acc = DoubleVector.zero(DS);
            for (i = 0; i < ub; i += DL) {
                DoubleVector e = VectorExp.exp(DoubleVector.fromArray(DS, x, xo + i).sub(vm));
                e.intoArray(y, yo + i);
                acc = acc.add(e);
            }
            double s = Lanes.sum(acc);
            for (; i < r; i++) {
                y[yo + i] = Math.exp(x[xo + i] - m);
                s += y[yo + i];
            }
            double inv = 1 / s;
            for (i = 0; i < ub; i += DL) DoubleVector.fromArray(DS, y, yo + i).mul(inv).intoArray(y, yo + i);
            for (; i < r; i++) y[yo + i] *= inv;
        }
    }

    /**
     * Columns [c0, c1) of one [r, inner] slice, streaming whole rows: the column max goes to
     * scratch[0, w), the running sum of exponentials to scratch[w, 2w)
     * (then its reciprocal, or its log for log-softmax).
     */
    private static void colsF64(boolean log, double[] x, int xb, double[] y, int yb, int r, int inner, int c0, int c1, double[] scratch) {
        int w = c1 - c0;
        DoubleReduce.maxCols(x, xb, r, inner, c0, c1, scratch, -c0);
        Arrays.fill(scratch, w, 2 * w, 0.0);
        int ub = DS.loopBound(w);
        for (int k = 0; k < r; k++) {
            int p = xb + k * inner + c0, q = yb + k * inner + c0, j = 0;
            for (; j < ub; j += DL) {
                DoubleVector e = VectorExp.exp(DoubleVector.fromArray(DS, x, p + j).sub(DoubleVector.fromArray(DS, scratch, j)));
                if (!log) e.intoArray(y, q + j);
                e.add(DoubleVector.fromArray(DS, scratch, w + j)).intoArray(scratch, w + j);
            }
            for (; j < w; j++) {
                double e = Math.exp(x[p + j] - scratch[j]);
                if (!log) y[q + j] = e;
                scratch[w + j] += e;
            }
        }
        for (int j = 0; j < w; j++) {
            scratch[w + j] = log ? Math.log(scratch[w + j]) : 1.0 / scratch[w + j];
        }
        for (int k = 0; k < r; k++) {
            int p = xb + k * inner + c0, q = yb + k * inner + c0, j = 0;
            if (log) {
                for (; j < ub; j += DL) {
                    DoubleVector.fromArray(DS, x, p + j).sub(DoubleVector.fromArray(DS, scratch, j))
                            .sub(DoubleVector.fromArray(DS, scratch, w + j)).intoArray(y, q + j);
                }
                for (; j < w; j++) y[q + j] = (x[p + j] - scratch[j]) - scratch[w + j];
            } else {
                for (; j < ub; j += DL) DoubleVector.fromArray(DS, y, q + j).mul(DoubleVector.fromArray(DS, scratch, w + j)).intoArray(y, q + j);
                for (; j < w; j++) y[q + j] *= scratch[w + j];
            }
        }
    }
}
