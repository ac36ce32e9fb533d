package org.sinter.kernels.pool;

import static org.sinter.kernels.ExactVectors.FLOAT;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * Max pooling of a plane that holds no -0.0 and no NaN (a ReLU's output, a stem convolution's):
 * there equal floats are the same bits, so any maximum is the first-wins rule's maximum and the
 * window reduces with plain vector maxima in two passes per output row, both vectorized: the
 * window's rows column by column ({@link MaxPoolValues#columnMaxima}, which checks the values as it loads them), then the window's columns
 * at every input column (unit stride, shifted loads), of which the output keeps every
 * {@code sw}-th. Padding is -∞ around the column maxima (every window holds at least one input,
 * so it never wins over one). A ResNet stem's 3x3 stride-2 pool over 64 planes of 112x112 took
 * 1.4 ms window by window (a scalar inner loop per output); see docs/benchmarks.md.
 */
final class SeparableMaxPool {
    private SeparableMaxPool() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * One thread's buffers for one geometry: every output row's padded column maxima (a row of
     * {@code rowLength}, -∞ outside the input's columns) and one row's window maxima at unit stride
     * (whole vectors: no scalar tail).
     */
    static final class Scratch {
        final MaxGeometry geometry;
        final float[] columns, windows;
        /** Offsets of a vector of outputs' windows in {@code windows}: {@code q * sw}. */
        final int[] picks;
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
            picks = new int[S.length()];
            for (int q = 0; q < picks.length; q++) picks[q] = q * g.sw();
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
        int w = g.w(), kw = g.kw(), dw = g.dw(), sw = g.sw(), len = s.rowLength;
        float[] cols = s.columns, win = s.windows;
        boolean plain = true;
        for (int oy = 0; oy < g.oh(); oy++) {
            int y0 = oy * g.sh() - g.ph(), y1 = Math.min(y0 + (g.kh() - 1) * g.dh() + 1, g.h());
            while (y0 < 0) y0 += g.dh();
            plain &= MaxPoolValues.columnMaxima(x, in + y0 * w, w, (y1 - 1 - y0) / g.dh() + 1, g.dh() * w, cols, oy * len + g.pw());
        }
        if (!plain) return false;
        for (int oy = 0; oy < g.oh(); oy++) {
            int row = oy * len;
            for (int i = 0; i < win.length; i += S.length()) {
                FloatVector m = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, cols, row + i));
                for (int j = 1; j < kw; j++) m = m.max((FloatVector) FLOAT.cast(FloatVector.fromArray(S, cols, row + i + j * dw)));
                ((FloatVector) FLOAT.cast(m)).intoArray(win, i);
            }
            int ox = 0, ow = g.ow(), lanes = S.length();
            if (sw == 1) {
                System.arraycopy(win, 0, y, o, ow);
                o += ow;
                continue;
            }
            // Every sw-th window: a vector of outputs by one gather (a scalar loop was 28% of the stem pool's time).
            for (; ox + lanes <= ow; ox += lanes)
                ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, win, ox * sw, s.picks, 0))).intoArray(y, o + ox);
            for (; ox < ow; ox++) y[o + ox] = win[ox * sw];
            o += ow;
        }
        return true;
    }
}
