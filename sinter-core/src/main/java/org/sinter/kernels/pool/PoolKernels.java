package org.sinter.kernels.pool;

import java.util.Arrays;
import org.sinter.kernels.Parallel;

/**
 * Direct pooling kernels over {@code planes} independent {@code h x w} planes (batch times
 * channels), parallel over planes. Max pooling records the flat in-plane index of each maximum
 * (PyTorch's convention: NaN wins, ties keep the first); its gradient scatters back through those
 * indices. Average pooling reads {@link PoolWindows}; its gradient spreads {@code g / divisor}
 * over each window.
 */
public final class PoolKernels {
    private PoolKernels() {}

    /** Max-pool geometry: kernel, stride, padding, dilation per dimension and output size. */
    public record MaxGeometry(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {}

    private static int grain(int work) {
        return Math.max(1, 16384 / Math.max(1, work));
    }

    public static void maxPool(MaxGeometry g, int planes, float[] x, int xOff, float[] y, long[] idx) {
        int hw = g.h() * g.w(), ohw = g.oh() * g.ow();
        boolean twoByTwo = g.kh() == 2 && g.kw() == 2 && g.dh() == 1 && g.dw() == 1 && g.ph() == 0 && g.pw() == 0
                && (g.oh() - 1) * g.sh() + 2 <= g.h() && (g.ow() - 1) * g.sw() + 2 <= g.w();
        Parallel.forRange(planes, grain(ohw * g.kh() * g.kw()), (s, e) -> {
            for (int p = s; p < e; p++) {
                if (twoByTwo) maxPool2x2(g, x, xOff + p * hw, y, idx, p * ohw);
                else maxPoolPlane(g, x, xOff + p * hw, y, idx, p * ohw);
            }
        });
    }

    /**
     * The common 2x2 window with every window inside the plane, without data-dependent branches
     * (which element wins is random, and a mispredicted branch per element cost 4x the work): the
     * maximum by {@code Math.max} (NaN-propagating), then its index by selects scanned from the
     * last element back, so the first of equal maxima wins. A NaN window (rare) takes the last NaN,
     * as the general kernel and PyTorch do.
     */
    private static void maxPool2x2(MaxGeometry g, float[] x, int in, float[] y, long[] idx, int o) {
        int w = g.w(), sh = g.sh(), sw = g.sw();
        for (int oy = 0; oy < g.oh(); oy++) {
            int top = oy * sh * w;
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int i = top + ox * sw, r = in + i;
                float a = x[r], b = x[r + 1], c = x[r + w], d = x[r + w + 1];
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                int k = d == m ? w + 1 : 0;
                k = c == m ? w : k;
                k = b == m ? 1 : k;
                k = a == m ? 0 : k;
                if (m != m) k = d != d ? w + 1 : c != c ? w : b != b ? 1 : 0;
                y[o] = x[r + k]; // not m: the winning element itself, so -0.0 vs 0.0 ties keep the first
                idx[o] = i + k;
            }
        }
    }

    /** Any window geometry (padding, dilation, stride, partial ceil-mode windows) over one plane. */
    static void maxPoolPlane(MaxGeometry g, float[] x, int in, float[] y, long[] idx, int o) {
        for (int oy = 0; oy < g.oh(); oy++) {
            int y0 = oy * g.sh() - g.ph(), y1 = Math.min(y0 + (g.kh() - 1) * g.dh() + 1, g.h());
            while (y0 < 0) y0 += g.dh();
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int x0 = ox * g.sw() - g.pw(), x1 = Math.min(x0 + (g.kw() - 1) * g.dw() + 1, g.w());
                while (x0 < 0) x0 += g.dw();
                int best = y0 * g.w() + x0;
                float max = Float.NEGATIVE_INFINITY;
                for (int yy = y0; yy < y1; yy += g.dh()) {
                    for (int xx = x0; xx < x1; xx += g.dw()) {
                        int i = yy * g.w() + xx;
                        float v = x[in + i];
                        if (v > max || Float.isNaN(v)) {
                            max = v;
                            best = i;
                        }
                    }
                }
                y[o] = max;
                idx[o] = best;
            }
        }
    }

    public static void maxPool(MaxGeometry g, int planes, double[] x, int xOff, double[] y, long[] idx) {
        int hw = g.h() * g.w(), ohw = g.oh() * g.ow();
        Parallel.forRange(planes, grain(ohw * g.kh() * g.kw()), (s, e) -> {
            for (int p = s; p < e; p++) {
                int in = xOff + p * hw, o = p * ohw;
                for (int oy = 0; oy < g.oh(); oy++) {
                    int y0 = oy * g.sh() - g.ph(), y1 = Math.min(y0 + (g.kh() - 1) * g.dh() + 1, g.h());
                    while (y0 < 0) y0 += g.dh();
                    for (int ox = 0; ox < g.ow(); ox++, o++) {
                        int x0 = ox * g.sw() - g.pw(), x1 = Math.min(x0 + (g.kw() - 1) * g.dw() + 1, g.w());
                        while (x0 < 0) x0 += g.dw();
                        int best = y0 * g.w() + x0;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int yy = y0; yy < y1; yy += g.dh()) {
                            for (int xx = x0; xx < x1; xx += g.dw()) {
                                int i = yy * g.w() + xx;
                                double v = x[in + i];
                                if (v > max || Double.isNaN(v)) {
                                    max = v;
                                    best = i;
                                }
                            }
                        }
                        y[o] = max;
                        idx[o] = best;
                    }
                }
            }
        });
    }

    /** {@code gx[plane][idx] += gy} for every output; gx is overwritten. */
    public static void maxPoolBackward(int planes, int hw, int ohw, float[] gy, int gyOff, long[] idx, int idxOff, float[] gx) {
        Parallel.forRange(planes, grain(ohw), (s, e) -> {
            Arrays.fill(gx, s * hw, e * hw, 0f);
            for (int p = s; p < e; p++) {
                int base = p * hw;
                for (int o = p * ohw; o < (p + 1) * ohw; o++) gx[base + (int) idx[idxOff + o]] += gy[gyOff + o];
            }
        });
    }

    public static void maxPoolBackward(int planes, int hw, int ohw, double[] gy, int gyOff, long[] idx, int idxOff, double[] gx) {
        Parallel.forRange(planes, grain(ohw), (s, e) -> {
            Arrays.fill(gx, s * hw, e * hw, 0.0);
            for (int p = s; p < e; p++) {
                int base = p * hw;
                for (int o = p * ohw; o < (p + 1) * ohw; o++) gx[base + (int) idx[idxOff + o]] += gy[gyOff + o];
            }
        });
    }

    public static void avgPool(PoolWindows wd, int planes, float[] x, int xOff, float[] y) {
        int hw = wd.h() * wd.w(), oh = wd.oh(), ow = wd.ow(), ohw = oh * ow, w = wd.w();
        Parallel.forRange(planes, grain(hw), (s, e) -> {
            for (int p = s; p < e; p++) {
                int in = xOff + p * hw, o = p * ohw;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int div = wd.divisor(oy, ox);
                        if (div == 0) {
                            y[o] = 0f;
                            continue;
                        }
                        float sum = 0f;
                        for (int yy = wd.hs()[oy]; yy < wd.he()[oy]; yy++) {
                            int row = in + yy * w;
                            for (int xx = wd.ws()[ox]; xx < wd.we()[ox]; xx++) sum += x[row + xx];
                        }
                        y[o] = sum / div;
                    }
                }
            }
        });
    }

    public static void avgPool(PoolWindows wd, int planes, double[] x, int xOff, double[] y) {
        int hw = wd.h() * wd.w(), oh = wd.oh(), ow = wd.ow(), ohw = oh * ow, w = wd.w();
        Parallel.forRange(planes, grain(hw), (s, e) -> {
            for (int p = s; p < e; p++) {
                int in = xOff + p * hw, o = p * ohw;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int div = wd.divisor(oy, ox);
                        if (div == 0) {
                            y[o] = 0.0;
                            continue;
                        }
                        double sum = 0.0;
                        for (int yy = wd.hs()[oy]; yy < wd.he()[oy]; yy++) {
                            int row = in + yy * w;
                            for (int xx = wd.ws()[ox]; xx < wd.we()[ox]; xx++) sum += x[row + xx];
                        }
                        y[o] = sum / div;
                    }
                }
            }
        });
    }

    /** The adjoint of {@link #avgPool}: gx is overwritten. */
    public static void avgPoolBackward(PoolWindows wd, int planes, float[] gy, int gyOff, float[] gx) {
        int hw = wd.h() * wd.w(), oh = wd.oh(), ow = wd.ow(), ohw = oh * ow, w = wd.w();
        Parallel.forRange(planes, grain(hw), (s, e) -> {
            Arrays.fill(gx, s * hw, e * hw, 0f);
            for (int p = s; p < e; p++) {
                int base = p * hw, o = gyOff + p * ohw;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int div = wd.divisor(oy, ox);
                        if (div == 0) continue;
                        float v = gy[o] / div;
                        for (int yy = wd.hs()[oy]; yy < wd.he()[oy]; yy++) {
                            int row = base + yy * w;
                            for (int xx = wd.ws()[ox]; xx < wd.we()[ox]; xx++) gx[row + xx] += v;
                        }
                    }
                }
            }
        });
    }

    public static void avgPoolBackward(PoolWindows wd, int planes, double[] gy, int gyOff, double[] gx) {
        int hw = wd.h() * wd.w(), oh = wd.oh(), ow = wd.ow(), ohw = oh * ow, w = wd.w();
        Parallel.forRange(planes, grain(hw), (s, e) -> {
            Arrays.fill(gx, s * hw, e * hw, 0.0);
            for (int p = s; p < e; p++) {
                int base = p * hw, o = gyOff + p * ohw;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int div = wd.divisor(oy, ox);
                        if (div == 0) continue;
                        double v = gy[o] / div;
                        for (int yy = wd.hs()[oy]; yy < wd.he()[oy]; yy++) {
                            int row = base + yy * w;
                            for (int xx = wd.ws()[ox]; xx < wd.we()[ox]; xx++) gx[row + xx] += v;
                        }
                    }
                }
            }
        });
    }
}
