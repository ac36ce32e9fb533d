package org.sinter.compress.quant.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sinter.compress.quant.Fixtures;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/** The int8 kernels: exact integers against a scalar reference, and PyTorch 1.13's quantized linear / conv2d. */
class Int8KernelTest {
    static byte[] randomBytes(SplittableRandom r, int n, int lo, int hi) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(lo, hi + 1);
        return b;
    }

    /** Scalar reference: sum_k (x - zx)(w - zw) in plain int arithmetic. */
    static long refDot(byte[] x, int xo, int zx, byte[] w, int wo, int zw, int k) {
        long s = 0;
        for (int i = 0; i < k; i++) s += (long) ((x[xo + i] & 0xFF) - zx) * (w[wo + i] - zw);
        return s;
    }

    @Test
    void linearIntegerResultsMatchTheScalarReferenceExactly() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{1, 9, 5}, {3, 50, 33}, {7, 300, 70}, {32, 1000, 129}, {5, 3, 1}};
        for (int[] sh : shapes) {
            for (int xmax : new int[] {127, 255}) { // pair path and single-product path
                int m = sh[0], k = sh[1], n = sh[2];
                byte[] x = randomBytes(r, m * k, 0, xmax), w = randomBytes(r, n * k, -128, 127);
                int zx = r.nextInt(0, xmax + 1);
                float[] ws = new float[n];
                int[] wz = new int[n];
                for (int j = 0; j < n; j++) {
                    ws[j] = 0.001f + r.nextFloat() * 0.01f;
                    wz[j] = r.nextInt(-5, 6); // affine weights exercise the row-sum correction
                }
                QTensor xq = new QTensor(x, new int[] {m, k}, QParams.perTensor(0.02f, zx, QDType.QUINT8));
                QTensor wq = new QTensor(w, new int[] {n, k}, new QParams(ws, wz, 0, QDType.QINT8, -128, 127));
                Int8Linear lin = new Int8Linear(wq, null);
                float[] got = lin.forwardFloat(xq, false);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        long acc = refDot(x, i * k, zx, w, j * k, wz[j], k);
                        // With no bias the float output is acc * (sx * sw): the integer is recovered exactly.
                        float want = acc * (0.02f * ws[j]);
                        assertEquals(want, got[i * n + j], 0f, "shape " + java.util.Arrays.toString(sh) + " xmax " + xmax + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void convIntegerResultsMatchTheScalarReferenceExactly() {
        SplittableRandom r = new SplittableRandom(11);
        int[][] cases = {{2, 3, 9, 8, 5, 3, 3, 1, 1, 1, 1}, {1, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2}, {1, 4, 7, 7, 3, 2, 3, 2, 1, 0, 1}};
        for (int[] c : cases) {
            int nb = c[0], cin = c[1], h = c[2], wd = c[3], cout = c[4], kh = c[5], kw = c[6], sh = c[7], sw = c[8], ph = c[9], pw = c[10];
            byte[] x = randomBytes(r, nb * cin * h * wd, 0, 127), w = randomBytes(r, cout * cin * kh * kw, -128, 127);
            int zx = 40;
            float[] ws = new float[cout];
            int[] wz = new int[cout];
            for (int j = 0; j < cout; j++) ws[j] = 0.002f * (j + 1);
            QTensor xq = new QTensor(x, new int[] {nb, cin, h, wd}, QParams.perTensor(0.5f, zx, QDType.QUINT8));
            QTensor wq = new QTensor(w, new int[] {cout, cin, kh, kw}, new QParams(ws, wz, 0, QDType.QINT8, -128, 127));
            Int8Conv2d conv = new Int8Conv2d(wq, null, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {1, 1});
            int[] o = conv.outputSize(h, wd);
            float[] got = conv.forwardFloat(xq, false);
            for (int b = 0; b < nb; b++) for (int co = 0; co < cout; co++) for (int y = 0; y < o[0]; y++) for (int xo = 0; xo < o[1]; xo++) {
                long acc = 0;
                for (int ci = 0; ci < cin; ci++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
                    int iy = y * sh - ph + i, ix = xo * sw - pw + j;
                    int xv = iy >= 0 && iy < h && ix >= 0 && ix < wd ? x[((b * cin + ci) * h + iy) * wd + ix] & 0xFF : zx;
                    acc += (long) (xv - zx) * w[((co * cin + ci) * kh + i) * kw + j];
                }
                assertEquals(acc * (0.5f * ws[co]), got[((b * cout + co) * o[0] + y) * o[1] + xo], 0f);
            }
        }
    }

    static QParams weightParams(String prefix, int n) {
        float[] s = Fixtures.floats(prefix + ".w_scale");
        return s.length == 1 ? QParams.perTensor(s[0], 0, QDType.QINT8) : new QParams(s, new int[n], 0, QDType.QINT8, -128, 127);
    }

    static byte[] bytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    /** Largest |difference| and the count of differing elements. */
    static int[] diff(int[] want, int[] got) {
        int max = 0, count = 0;
        for (int i = 0; i < want.length; i++) {
            int d = Math.abs(want[i] - got[i]);
            max = Math.max(max, d);
            if (d != 0) count++;
        }
        return new int[] {max, count};
    }

    @Test
    void convScratchReusedAcrossShapesLeavesNoStaleValues() {
        // The patch matrix and int32 products are per-thread scratch: a large batch, then a small one
        // (whose padding and spare lanes must not read the large batch's leftovers), then the large again.
        SplittableRandom r = new SplittableRandom(12);
        byte[] w = randomBytes(r, 5 * 3 * 3 * 3, -128, 127);
        QTensor wq = new QTensor(w, new int[] {5, 3, 3, 3}, new QParams(new float[] {0.01f, 0.02f, 0.03f, 0.04f, 0.05f}, new int[5], 0, QDType.QINT8, -128, 127));
        Int8Conv2d conv = new Int8Conv2d(wq, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1});
        QTensor big = new QTensor(randomBytes(r, 6 * 3 * 11 * 11, 0, 127), new int[] {6, 3, 11, 11}, QParams.perTensor(0.5f, 40, QDType.QUINT8));
        QTensor small = new QTensor(randomBytes(r, 3 * 5 * 5, 0, 127), new int[] {1, 3, 5, 5}, QParams.perTensor(0.25f, 7, QDType.QUINT8));
        float[] bigFirst = conv.forwardFloat(big, false);
        float[] smallAfterBig = conv.forwardFloat(small, false);
        float[] bigAgain = conv.forwardFloat(big, false);
        float[] smallFresh = new Int8Conv2d(wq, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}).forwardFloat(small, false);
        assertArrayEquals(bigFirst, bigAgain);
        assertArrayEquals(smallFresh, smallAfterBig);
        // And the small result is right, not merely repeatable: one output checked against the sum.
        long acc = 0;
        for (int ci = 0; ci < 3; ci++) for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            int iy = 2 - 1 + i, ix = 2 - 1 + j;
            acc += (long) ((small.data()[(ci * 5 + iy) * 5 + ix] & 0xFF) - 7) * w[(ci * 3 + i) * 3 + j];
        }
        assertEquals(0.25f * 0.01f * acc, smallAfterBig[2 * 5 + 2], 1e-4f * (1 + Math.abs(0.25f * 0.01f * acc)));
    }

    @Test
    void quantizedLinearMatchesPyTorch() {
        for (String tag : new String[] {"per_tensor", "per_channel"}) {
            String p = "qlinear." + tag;
            int[] sh = Fixtures.ints(p + ".shape");
            int m = sh[0], k = sh[1], n = sh[2];
            QTensor x = new QTensor(bytes(Fixtures.ints(p + ".x_q")), new int[] {m, k},
                    QParams.perTensor(Fixtures.scalar(p + ".x_scale"), Fixtures.ints(p + ".x_zero_point")[0], QDType.QUINT8));
            QTensor w = new QTensor(bytes(Fixtures.ints(p + ".w_q")), new int[] {n, k}, weightParams(p, n));
            Int8Linear lin = new Int8Linear(w, Fixtures.floats(p + ".bias"));
            float so = Fixtures.scalar(p + ".out_scale");
            int zo = Fixtures.ints(p + ".out_zero_point")[0];
            int[] d = diff(Fixtures.ints(p + ".y_q"), lin.forwardQuantized(x, Requantize.toUint8(so, zo, false)).intRepr());
            int[] dr = diff(Fixtures.ints(p + ".y_relu_q"), lin.forwardQuantized(x, Requantize.toUint8(so, zo, true)).intRepr());
            assertTrue(d[0] <= 1 && dr[0] <= 1, tag + ": off by " + d[0] + " / " + dr[0]);
            assertEquals(0, d[1], tag + ": elements off by one");
            assertEquals(0, dr[1], tag + " relu: elements off by one");
        }
    }

    @Test
    void quantizedConvMatchesPyTorch() {
        for (String tag : new String[] {"per_tensor", "per_channel"}) {
            String p = "qconv." + tag;
            int[] sh = Fixtures.ints(p + ".shape");
            QTensor x = new QTensor(bytes(Fixtures.ints(p + ".x_q")), new int[] {sh[0], sh[1], sh[2], sh[3]},
                    QParams.perTensor(Fixtures.scalar(p + ".x_scale"), Fixtures.ints(p + ".x_zero_point")[0], QDType.QUINT8));
            QTensor w = new QTensor(bytes(Fixtures.ints(p + ".w_q")), new int[] {sh[4], sh[1], sh[5], sh[6]}, weightParams(p, sh[4]));
            Int8Conv2d conv = new Int8Conv2d(w, Fixtures.floats(p + ".bias"), new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 1});
            float so = Fixtures.scalar(p + ".out_scale");
            int zo = Fixtures.ints(p + ".out_zero_point")[0];
            int[] d = diff(Fixtures.ints(p + ".y_q"), conv.forwardQuantized(x, Requantize.toUint8(so, zo, false)).intRepr());
            int[] dr = diff(Fixtures.ints(p + ".y_relu_q"), conv.forwardQuantized(x, Requantize.toUint8(so, zo, true)).intRepr());
            assertTrue(d[0] <= 1 && dr[0] <= 1, tag + ": off by " + d[0] + " / " + dr[0]);
            assertEquals(0, d[1], tag + ": elements off by one");
            assertEquals(0, dr[1], tag + " relu: elements off by one");
        }
    }

    @Test
    void badShapesGetClearErrors() {
        QTensor w = new QTensor(new byte[6], new int[] {2, 3}, QParams.perTensor(0.1f, 0, QDType.QINT8));
        Int8Linear lin = new Int8Linear(w, null);
        QTensor x = new QTensor(new byte[8], new int[] {2, 4}, QParams.perTensor(0.1f, 0, QDType.QUINT8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.forwardFloat(x, false));
        assertTrue(e.getMessage().contains("[M, 3]") && e.getMessage().contains("[2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Int8Linear(w, new float[5]));
        assertArrayEquals(new int[] {2, 3}, w.shape());
    }
}
