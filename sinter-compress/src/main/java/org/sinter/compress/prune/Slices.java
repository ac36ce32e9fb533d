package org.sinter.compress.prune;

/**
 * A row-major tensor seen as {@code [outer, channels, inner]} around one dimension: the layout that
 * structured pruning's per-channel norms and masks walk.
 */
final class Slices {
    final int outer, channels, inner;

    Slices(int[] shape, int dim) {
        int o = 1, in = 1;
        for (int i = 0; i < dim; i++) o *= shape[i];
        for (int i = dim + 1; i < shape.length; i++) in *= shape[i];
        outer = o;
        channels = shape[dim];
        inner = in;
    }

    int offset(int o, int c) {
        return (o * channels + c) * inner;
    }

    static int checkDim(int dim, int[] shape, String op) {
        int d = dim < 0 ? dim + shape.length : dim;
        if (d < 0 || d >= shape.length) {
            throw new IllegalArgumentException(op + ": dim " + dim + " out of range for a tensor of shape " + java.util.Arrays.toString(shape));
        }
        return d;
    }

    /** The L{@code p} norm of each slice along {@code dim} ({@code p} may be infinite). */
    static double[] norms(double[] values, int[] shape, int dim, double p) {
        Slices s = new Slices(shape, dim);
        double[] acc = new double[s.channels];
        for (int o = 0; o < s.outer; o++) {
            for (int c = 0; c < s.channels; c++) {
                int base = s.offset(o, c);
                for (int i = 0; i < s.inner; i++) {
                    double a = Math.abs(values[base + i]);
                    if (Double.isInfinite(p)) acc[c] = Math.max(acc[c], a);
                    else if (p == 1) acc[c] += a;
                    else if (p == 2) acc[c] += a * a;
                    else acc[c] += Math.pow(a, p);
                }
            }
        }
        if (!Double.isInfinite(p) && p != 1) {
            for (int c = 0; c < acc.length; c++) acc[c] = p == 2 ? Math.sqrt(acc[c]) : Math.pow(acc[c], 1 / p);
        }
        return acc;
    }
}
