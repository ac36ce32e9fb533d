package org.sinter.compress.quant.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/**
 * The int8 Linear's exact float GEMM (batches of {@link Int8Linear#FLOAT_MIN_ROWS} rows and more)
 * gives the exact int32 sums, also when the depth must be cut into chunks to stay below 2^24, and
 * so the same bytes as the {@link U8Gemm} path that few rows take (which {@link Int8KernelTest}
 * holds to PyTorch's).
 */
class ExactFloatGemmTest {
    static QTensor weight(SplittableRandom r, int n, int k, boolean affine) {
        byte[] w = Int8KernelTest.randomBytes(r, n * k, -127, 127);
        float[] ws = new float[n];
        int[] wz = new int[n];
        for (int j = 0; j < n; j++) {
            ws[j] = 0.0005f + r.nextFloat() * 0.002f;
            wz[j] = affine ? r.nextInt(-6, 7) : 0;
        }
        return new QTensor(w, new int[] {n, k}, new QParams(ws, wz, 0, QDType.QINT8, -128, 127));
    }

    @Test
    void chunksStayBelowTheFloatBound() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 20, k = 9216;
        QTensor w = weight(r, n, k, true);
        int[] zw = new int[n];
        for (int j = 0; j < n; j++) zw[j] = w.qparams().zeroPoint(j);
        ExactFloatGemm g = new ExactFloatGemm(w.data(), zw, n, k);
        for (int maxAbsX : new int[] {127, 255}) {
            int[] starts = g.chunkStarts(maxAbsX);
            assertTrue(starts.length > 1, "9216 random weights times " + maxAbsX + " pass 2^24: must be cut");
            for (int c = 0; c < starts.length; c++) {
                int end = c + 1 < starts.length ? starts[c + 1] : k;
                for (int j = 0; j < n; j++) {
                    long sum = 0;
                    for (int i = starts[c]; i < end; i++) sum += Math.abs(w.data()[j * k + i] - zw[j]);
                    assertTrue(sum * maxAbsX < Int8DirectConv.FLOAT_EXACT, "chunk " + c + " channel " + j);
                }
            }
        }
        assertEquals(1, new ExactFloatGemm(w.data(), zw, n, 300).chunkStarts(127).length);
    }

    @Test
    void batchesOnTheFloatPathEqualRowsOnU8GemmByteForByte() {
        SplittableRandom r = new SplittableRandom(11);
        int rows = Math.max(Int8Linear.FLOAT_MIN_ROWS, 9);
        for (int[] sh : new int[][] {{9216, 37}, {400, 120}, {33, 5}}) {
            for (int qmax : new int[] {127, 255}) {
                int k = sh[0], n = sh[1];
                QTensor w = weight(r, n, k, qmax == 255);
                float[] bias = new float[n];
                for (int j = 0; j < n; j++) bias[j] = (float) r.nextGaussian() * 0.2f;
                Int8Linear lin = new Int8Linear(w, bias);
                int zx = r.nextInt(0, 20);
                byte[] x = Int8KernelTest.randomBytes(r, rows * k, 0, qmax);
                QParams xq = QParams.perTensor(0.03f, zx, QDType.QUINT8, 0, qmax);
                Requantize e = Requantize.toUint8(0.2f, 7, 0, 127, true);
                byte[] batch = lin.forwardQuantized(new QTensor(x, new int[] {rows, k}, xq), e).data();
                float[] batchF = lin.forwardFloat(new QTensor(x, new int[] {rows, k}, xq), false);
                for (int i = 0; i < rows; i++) {
                    QTensor row = new QTensor(Arrays.copyOfRange(x, i * k, (i + 1) * k), new int[] {1, k}, xq);
                    String at = Arrays.toString(sh) + " qmax " + qmax + " row " + i;
                    assertArrayEquals(lin.forwardQuantized(row, e).data(), Arrays.copyOfRange(batch, i * n, (i + 1) * n), at);
                    assertArrayEquals(lin.forwardFloat(row, false), Arrays.copyOfRange(batchF, i * n, (i + 1) * n), 0f, at);
                }
            }
        }
    }

    @Test
    void strayInputBytesFallBackToU8Gemm() {
        SplittableRandom r = new SplittableRandom(5);
        int k = 500, n = 16, rows = Math.max(Int8Linear.FLOAT_MIN_ROWS, 9);
        Int8Linear lin = new Int8Linear(weight(r, n, k, false), null);
        // qparams claim [0, 127] but the bytes reach 255: the float path refuses, U8Gemm answers exactly.
        byte[] x = Int8KernelTest.randomBytes(r, rows * k, 0, 255);
        QTensor lying = new QTensor(x, new int[] {rows, k}, QParams.perTensor(0.02f, 0, QDType.QUINT8, 0, 127));
        float[] got = lin.forwardFloat(lying, false);
        for (int i = 0; i < rows; i++) {
            QTensor row = new QTensor(Arrays.copyOfRange(x, i * k, (i + 1) * k), new int[] {1, k}, lying.qparams());
            assertArrayEquals(lin.forwardFloat(row, false), Arrays.copyOfRange(got, i * n, (i + 1) * n), 0f, "row " + i);
        }
    }
}
