package org.sinter.compress.quant.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/**
 * The direct int8 convolution (exact float lanes, {@link Int8DirectConv}) gives byte for byte the
 * im2col + {@link U8Gemm} path's output (which {@link Int8KernelTest} holds to PyTorch's), and
 * layers past its exactness bound, or inputs straying past their range, stay on im2col.
 */
class Int8DirectConvTest {
    /**
     * {batch, cin, h, w, cout, kh, kw, stride, pad, dilation}: the Lab 1 CNN's and LeNet's convs,
     * ResNet-like 3x3s and 1x1 shortcut, odd sizes; fewer than a vector of output channels (LeNet's
     * first, a strided one) take sinter-core's other float kernels instead of the packed one.
     */
    static final int[][] CASES = {
        {2, 1, 28, 28, 32, 3, 3, 1, 0, 1}, {3, 32, 26, 26, 64, 3, 3, 1, 0, 1}, {2, 6, 14, 14, 16, 5, 5, 1, 0, 1},
        {2, 16, 9, 11, 40, 3, 3, 2, 1, 1}, {1, 8, 13, 10, 17, 3, 3, 1, 2, 2}, {2, 3, 15, 15, 64, 7, 7, 2, 3, 1},
        {3, 1, 28, 28, 6, 5, 5, 1, 2, 1}, {2, 3, 11, 12, 5, 3, 3, 2, 1, 1}, {2, 16, 7, 7, 32, 1, 1, 2, 0, 1}};

    static QTensor input(SplittableRandom r, int[] c, int zx, int qmax) {
        byte[] x = Int8KernelTest.randomBytes(r, c[0] * c[1] * c[2] * c[3], 0, qmax);
        return new QTensor(x, new int[] {c[0], c[1], c[2], c[3]}, QParams.perTensor(0.03f, zx, QDType.QUINT8, 0, qmax));
    }

    static Int8Conv2d conv(SplittableRandom r, int[] c, boolean affine) {
        int cout = c[4];
        byte[] w = Int8KernelTest.randomBytes(r, cout * c[1] * c[5] * c[6], -128, 127);
        float[] ws = new float[cout], bias = new float[cout];
        int[] wz = new int[cout];
        for (int j = 0; j < cout; j++) {
            ws[j] = 0.001f + r.nextFloat() * 0.004f;
            wz[j] = affine ? r.nextInt(-6, 7) : 0;
            bias[j] = (float) r.nextGaussian() * 0.3f;
        }
        QTensor wq = new QTensor(w, new int[] {cout, c[1], c[5], c[6]}, new QParams(ws, wz, 0, QDType.QINT8, -128, 127));
        return new Int8Conv2d(wq, bias, new int[] {c[7], c[7]}, new int[] {c[8], c[8]}, new int[] {c[9], c[9]});
    }

    @Test
    void directPathEqualsTheIm2colPathByteForByte() {
        SplittableRandom r = new SplittableRandom(5);
        int directCases = 0;
        for (int[] c : CASES) {
            for (boolean affine : new boolean[] {false, true}) {
                for (int qmax : new int[] {127, 255}) {
                    Int8Conv2d conv = conv(r, c, affine);
                    QTensor x = input(r, c, r.nextInt(0, 30), qmax);
                    int[] o = conv.outputSize(c[2], c[3]);
                    if (conv.direct(x.qparams(), c[2], c[3])) directCases++;
                    for (boolean relu : new boolean[] {false, true}) {
                        Requantize e = Requantize.toUint8(0.05f, 9, 0, 255, relu);
                        byte[] want = new byte[c[0] * c[4] * o[0] * o[1]];
                        conv.runIm2col(x, o, e, null, want);
                        assertArrayEquals(want, conv.forwardQuantized(x, e).data(), java.util.Arrays.toString(c) + " affine " + affine + " qmax " + qmax + " relu " + relu);
                        float[] wantF = new float[want.length];
                        conv.runIm2col(x, o, Requantize.toFloat(relu), wantF, null);
                        assertArrayEquals(wantF, conv.forwardFloat(x, relu), 0f, java.util.Arrays.toString(c) + " float");
                    }
                }
            }
        }
        assertTrue(directCases >= 30, "the direct path ran in only " + directCases + " cases");
    }

    @Test
    void layersPastTheFloatBoundAndStrayInputsStayOnIm2col() {
        SplittableRandom r = new SplittableRandom(9);
        // 512 x 3 x 3 taps of |w| ~ 64 on 8-bit inputs: sum |w| * 255 is far past 2^24.
        int[] big = {1, 512, 4, 4, 32, 3, 3, 1, 1, 1};
        Int8Conv2d conv = conv(r, big, false);
        assertFalse(conv.direct(input(r, big, 0, 255).qparams(), 4, 4));
        // An input whose qparams claim [0, 127] but whose bytes reach 255: the direct run refuses, im2col answers.
        int[] c = CASES[1];
        Int8Conv2d small = conv(r, c, false);
        QTensor x = input(r, c, 3, 255);
        QTensor lying = new QTensor(x.data(), x.shape(), QParams.perTensor(0.03f, 3, QDType.QUINT8, 0, 127));
        assertTrue(small.direct(lying.qparams(), c[2], c[3]));
        int[] o = small.outputSize(c[2], c[3]);
        Requantize e = Requantize.toUint8(0.05f, 9, false);
        byte[] want = new byte[c[0] * c[4] * o[0] * o[1]];
        small.runIm2col(lying, o, e, null, want);
        assertArrayEquals(want, small.forwardQuantized(lying, e).data());
    }
}
