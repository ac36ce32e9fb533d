package org.sinter.kernels.pool;

import static org.sinter.kernels.ExactVectors.FLOAT;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * Max pooling of a plane that holds no -0.0 and no NaN (a ReLU's output, a stem convolution's):
 * there equal floats are the same bits, so any maximum is the first-wins rule's maximum and the
 * window reduces with plain vector maxima in two passes per output row, both vectorized: the
 * window's rows column by column (checking the values as it loads them), then the window's columns
 * at every input column (unit stride, shifted loads), of which the output keeps every
 * {@code sw}-th. Padding is -∞ around the column maxima (every window holds at least one input,
 * so it never wins over one). A ResNet stem's 3x3 stride-2 pool over 64 planes of 112x112 took
 * 1.4 ms window by window (a scalar inner loop per output); see docs/benchmarks.md.
 */
final class SeparableMaxPool {
    private SeparableMaxPool() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
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

    /**
     * One thread's buffers for one geometry: every output row's padded column maxima (a row of
     * {@code rowLength}, -∞ outside the input's columns) and one row's window maxima at unit stride
     * (whole vectors: no scalar tail).
     */
    static final class Scratch {
        final MaxGeometry geometry;
        final float[] columns, windows;
        final int rowLength;

        /** This thread's buffers for {@code g}, kept from its last call when that was for the same geometry (rows only overwrite the input's columns). */
        static Scratch of(MaxGeometry g) {
            Scratch s = LAST.get();
            if (s == null || !s.geometry.equals(g)) LAST.set(s = new Scratch(g));
            return s;
        }

        private static final ThreadLocal<Scratch> LAST = new ThreadLocal<>();

        Scratch(MaxGeometry g) {
            geometry = g;
            int span = (g.ow() - 1) * g.sw() + 1, vectors = S.loopBound(span + S.length() - 1);
            rowLength = Math.max(g.pw() + g.w(), vectors + (g.kw() - 1) * g.dw());
            columns = new float[g.oh() * rowLength];
            Arrays.fill(columns, Float.NEGATIVE_INFINITY); // the padding; rows overwrite [pw, pw + w)
            windows = new float[vectors];
        }
    }

    /**
     * {@code y[o + oy * ow + ox]} = the maximum of window (oy, ox) of the plane at {@code x[in]}, or false (y then
     * unwritten) if a value a window holds is -0.0 or NaN. The column maxima of every output row come first, checking
     * the values as they load them (one pass over the input; a separate check read a stem's 51 MB output twice at batch
     * 16), then the windows row by row: a window's loads straddle the column pass's vector stores, and reading them back
     * at once (row by row) stalled each load on the store buffer (930 µs for the stem's 64 planes on one thread; apart, 420).
     */
    static boolean plane(MaxGeometry g, float[] x, int in, float[] y, int o, Scratch s) {
        int w = g.w(), kw = g.kw(), dw = g.dw(), sw = g.sw(), len = s.rowLength, bound = S.loopBound(w);
        float[] cols = s.columns, win = s.windows;
        VectorMask<Integer> seen = VectorMask.fromLong(I, 0);
        boolean seenTail = false;
        for (int oy = 0; oy < g.oh(); oy++) {
            int y0 = oy * g.sh() - g.ph(), y1 = Math.min(y0 + (g.kh() - 1) * g.dh() + 1, g.h());
            while (y0 < 0) y0 += g.dh();
            int first = in + y0 * w, rows = (y1 - 1 - y0) / g.dh() + 1, step = g.dh() * w, at = oy * len + g.pw();
            int c = 0;
            for (; c < bound; c += S.length()) {
                FloatVector m = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, x, first + c));
                seen = seen.or(special(m));
                for (int r = 1; r < rows; r++) {
                    FloatVector v = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, x, first + r * step + c));
                    seen = seen.or(special(v));
                    m = m.max(v);
                }
                m.intoArray(cols, at + c);
            }
            for (; c < w; c++) {
                float m = x[first + c];
                seenTail |= special(m);
                for (int r = 1; r < rows; r++) {
                    float v = x[first + r * step + c];
                    seenTail |= special(v);
                    m = Math.max(m, v);
                }
                cols[at + c] = m;
            }
        }
        if (seenTail || seen.anyTrue()) return false;
        for (int oy = 0; oy < g.oh(); oy++) {
            int row = oy * len;
            for (int i = 0; i < win.length; i += S.length()) {
                FloatVector m = FloatVector.fromArray(S, cols, row + i);
                for (int j = 1; j < kw; j++) m = m.max(FloatVector.fromArray(S, cols, row + i + j * dw));
                m.intoArray(win, i);
            }
            for (int ox = 0, c = 0; ox < g.ow(); ox++, c += sw) y[o++] = win[c];
        }
        return true;
    }
}
