package org.sinter.kernels.pool;

import org.sinter.kernels.Parallel;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * Max pooling that computes the maxima only, for inference where nothing reads the argmax indices
 * (a compiled graph whose indices output is dead): no 8-byte index per output to write. Each
 * window keeps the first of equal maxima and propagates NaN, exactly as {@link PoolKernels#maxPool}
 * does, so the values are the same bits.
 */
public final class MaxPoolValues {
    private MaxPoolValues() {}

    /** {@code y[plane][oy][ox]} = the window maximum, over {@code planes} planes of {@code x} from {@code xOff}. */
    public static void maxPool(MaxGeometry g, int planes, float[] x, int xOff, float[] y, int yOff) {
        int hw = g.h() * g.w(), ohw = g.oh() * g.ow();
        boolean twoByTwo = g.kh() == 2 && g.kw() == 2 && g.dh() == 1 && g.dw() == 1 && g.ph() == 0 && g.pw() == 0
                && (g.oh() - 1) * g.sh() + 2 <= g.h() && (g.ow() - 1) * g.sw() + 2 <= g.w();
        Parallel.forRange(planes, Math.max(1, 16384 / Math.max(1, ohw * g.kh() * g.kw())), (s, e) -> {
            for (int p = s; p < e; p++) {
                if (twoByTwo) twoByTwo(g, x, xOff + p * hw, y, yOff + p * ohw);
                else plane(g, x, xOff + p * hw, y, yOff + p * ohw);
            }
        });
    }

    /** The running maximum's rule: a later value wins only when strictly greater, or NaN. */
    private static float pick(float max, float v) {
        return v > max || v != v ? v : max;
    }

    private static void twoByTwo(MaxGeometry g, float[] x, int in, float[] y, int o) {
        int w = g.w(), sh = g.sh(), sw = g.sw();
        for (int oy = 0; oy < g.oh(); oy++) {
            int top = in + oy * sh * w;
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int r = top + ox * sw;
                y[o] = pick(pick(pick(x[r], x[r + 1]), x[r + w]), x[r + w + 1]);
            }
        }
    }

    private static void plane(MaxGeometry g, float[] x, int in, float[] y, int o) {
        for (int oy = 0; oy < g.oh(); oy++) {
            int y0 = oy * g.sh() - g.ph(), y1 = Math.min(y0 + (g.kh() - 1) * g.dh() + 1, g.h());
            while (y0 < 0) y0 += g.dh();
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int x0 = ox * g.sw() - g.pw(), x1 = Math.min(x0 + (g.kw() - 1) * g.dw() + 1, g.w());
                while (x0 < 0) x0 += g.dw();
                float max = Float.NEGATIVE_INFINITY;
                for (int yy = y0; yy < y1; yy += g.dh()) {
                    int row = in + yy * g.w();
                    for (int xx = x0; xx < x1; xx += g.dw()) max = pick(max, x[row + xx]);
                }
                y[o] = max;
            }
        }
    }
}
