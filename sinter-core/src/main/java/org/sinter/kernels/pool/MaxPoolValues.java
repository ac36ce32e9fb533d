package org.sinter.kernels.pool;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * Max pooling that computes the maxima only, for inference where nothing reads the argmax indices
 * (a compiled graph whose indices output is dead): no 8-byte index per output to write. Each
 * window keeps the first of equal maxima (so -0.0 beats a later 0.0) and propagates its last NaN,
 * exactly as {@link PoolKernels#maxPool} does, so the values are the same bits.
 */
public final class MaxPoolValues {
    private MaxPoolValues() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    /** {@code y[plane][oy][ox]} = the window maximum, over {@code planes} planes of {@code x} from {@code xOff}. */
    public static void maxPool(MaxGeometry g, int planes, float[] x, int xOff, float[] y, int yOff) {
        if (MaxPool2x2.applies(g)) {
            MaxPool2x2.maxPool(g, planes, x, xOff, y, yOff, null);
            return;
        }
        int hw = g.h() * g.w(), ohw = g.oh() * g.ow();
        boolean twoByTwo = g.kh() == 2 && g.kw() == 2 && g.dh() == 1 && g.dw() == 1 && g.ph() == 0 && g.pw() == 0
                && (g.oh() - 1) * g.sh() + 2 <= g.h() && (g.ow() - 1) * g.sw() + 2 <= g.w();
        Parallel.forRange(planes, Math.max(1, 16384 / Math.max(1, ohw * g.kh() * g.kw())), (s, e) -> {
            float[] columns = twoByTwo ? null : new float[g.w()];
            SeparableMaxPool.Scratch plain = twoByTwo ? null : SeparableMaxPool.Scratch.of(g);
            for (int p = s; p < e; p++) {
                int in = xOff + p * hw, o = yOff + p * ohw;
                if (twoByTwo) twoByTwo(g, x, in, y, o);
                else if (!SeparableMaxPool.plane(g, x, in, y, o, plain)) plane(g, x, in, y, o, columns);
            }
        });
    }

    /** The running maximum's rule: a later value wins only when strictly greater, or NaN. */
    private static float pick(float max, float v) {
        return v > max || v != v ? v : max;
    }

    /**
     * Branch-free maxima (which element wins is random, and a mispredicted branch per window cost
     * 4x the work), then the two cases where {@code Math.max} and the first-wins rule can differ in
     * bits, both rare and so well predicted: a zero maximum (0.0 against -0.0) and NaN (which NaN).
     */
    private static void twoByTwo(MaxGeometry g, float[] x, int in, float[] y, int o) {
        int w = g.w(), sh = g.sh(), sw = g.sw();
        for (int oy = 0; oy < g.oh(); oy++) {
            int top = in + oy * sh * w;
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int r = top + ox * sw;
                float a = x[r], b = x[r + 1], c = x[r + w], d = x[r + w + 1];
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                if (m == 0f || m != m) m = pick(pick(pick(a, b), c), d);
                y[o] = m;
            }
        }
    }

    /**
     * Separable: each output row's window rows are first reduced column by column (vectorized over
     * the whole input row, which is contiguous), then each output takes the maximum of its window's
     * columns of that row, about kh times fewer scalar steps than visiting the window. A window
     * whose maximum is zero or NaN is recomputed in order with the first-wins rule.
     */
    private static void plane(MaxGeometry g, float[] x, int in, float[] y, int o, float[] columns) {
        int w = g.w();
        for (int oy = 0; oy < g.oh(); oy++) {
            int y0 = oy * g.sh() - g.ph(), y1 = Math.min(y0 + (g.kh() - 1) * g.dh() + 1, g.h());
            while (y0 < 0) y0 += g.dh();
            columnMaxima(x, in + y0 * w, w, (y1 - 1 - y0) / g.dh() + 1, g.dh() * w, columns, 0);
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int x0 = ox * g.sw() - g.pw(), x1 = Math.min(x0 + (g.kw() - 1) * g.dw() + 1, w);
                while (x0 < 0) x0 += g.dw();
                float max = columns[x0];
                for (int xx = x0 + g.dw(); xx < x1; xx += g.dw()) max = Math.max(max, columns[xx]);
                if (max == 0f || max != max) {
                    max = Float.NEGATIVE_INFINITY;
                    for (int yy = y0; yy < y1; yy += g.dh()) {
                        int row = in + yy * w;
                        for (int xx = x0; xx < x1; xx += g.dw()) max = pick(max, x[row + xx]);
                    }
                }
                y[o] = max;
            }
        }
    }

    /**
     * {@code columns[at + c]} = the maximum of {@code x[first + r * rowStep + c]} over {@code rows} rows, for {@code c < w};
     * true if none of the values read is -0.0 or NaN (so {@link SeparableMaxPool} may take the windows from these maxima).
     */
    static boolean columnMaxima(float[] x, int first, int w, int rows, int rowStep, float[] columns, int at) {
        VectorMask<Integer> special = VectorMask.fromLong(I, 0);
        boolean specialTail = false;
        int c = 0;
        for (int bound = S.loopBound(w); c < bound; c += S.length()) {
            FloatVector m = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, x, first + c));
            special = special.or(special(m));
            for (int r = 1; r < rows; r++) {
                FloatVector v = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, x, first + r * rowStep + c));
                special = special.or(special(v));
                m = m.max(v);
            }
            m.intoArray(columns, at + c);
        }
        for (; c < w; c++) {
            float m = x[first + c];
            specialTail |= special(m);
            for (int r = 1; r < rows; r++) {
                float v = x[first + r * rowStep + c];
                specialTail |= special(v);
                m = Math.max(m, v);
            }
            columns[at + c] = m;
        }
        return !specialTail && !special.anyTrue();
    }

    private static final int NEGATIVE_ZERO = 0x80000000, INFINITY = 0x7f800000;

    /** The lanes of {@code v} that are -0.0 or NaN. */
    private static VectorMask<Integer> special(FloatVector v) {
        IntVector bits = v.reinterpretAsInts();
        return bits.compare(VectorOperators.EQ, NEGATIVE_ZERO).or(bits.and(0x7fffffff).compare(VectorOperators.GT, INFINITY));
    }

    private static boolean special(float v) {
        int b = Float.floatToRawIntBits(v);
        return b == NEGATIVE_ZERO || (b & 0x7fffffff) > INFINITY;
    }
}
