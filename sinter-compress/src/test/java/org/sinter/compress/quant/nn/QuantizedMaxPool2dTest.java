package org.sinter.compress.quant.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/** Max pooling on quantized bytes equals a scalar reference (windows inside the plane only), on the tiling fast path and off it. */
class QuantizedMaxPool2dTest {
    /** {kernel, stride, padding, dilation, h, w}: 2x2/2 and 3x3/3 tile (with leftover rows), the others do not. */
    static final int[][] CASES = {{2, 2, 0, 1, 24, 24}, {2, 2, 0, 1, 7, 9}, {3, 3, 0, 1, 10, 11}, {3, 2, 1, 1, 14, 14}, {2, 1, 0, 1, 5, 6}, {2, 2, 0, 2, 9, 9}};

    @Test
    void equalsTheScalarReference() {
        SplittableRandom r = new SplittableRandom(2);
        for (int[] c : CASES) {
            for (QDType dt : new QDType[] {QDType.QUINT8, QDType.QINT8}) {
                int n = 3, ch = 5, k = c[0], s = c[1], p = c[2], d = c[3], h = c[4], w = c[5];
                byte[] x = new byte[n * ch * h * w];
                for (int i = 0; i < x.length; i++) x[i] = (byte) r.nextInt(256);
                QTensor in = new QTensor(x, new int[] {n, ch, h, w}, QParams.perTensor(0.1f, dt == QDType.QUINT8 ? 3 : 0, dt, dt.min(), dt.max()));
                QTensor out = new QuantizedMaxPool2d(new int[] {k}, new int[] {s}, new int[] {p}, new int[] {d}, false).forward(in);
                int oh = (h + 2 * p - d * (k - 1) - 1) / s + 1, ow = (w + 2 * p - d * (k - 1) - 1) / s + 1;
                byte[] want = new byte[n * ch * oh * ow];
                for (int pl = 0; pl < n * ch; pl++)
                    for (int y = 0; y < oh; y++)
                        for (int xo = 0; xo < ow; xo++) {
                            int best = Integer.MIN_VALUE;
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++) {
                                    int iy = y * s - p + i * d, ix = xo * s - p + j * d;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    byte b = x[pl * h * w + iy * w + ix];
                                    best = Math.max(best, dt == QDType.QUINT8 ? b & 0xFF : b);
                                }
                            want[pl * oh * ow + y * ow + xo] = (byte) best;
                        }
                assertArrayEquals(want, out.data(), java.util.Arrays.toString(c) + " " + dt);
            }
        }
    }
}
