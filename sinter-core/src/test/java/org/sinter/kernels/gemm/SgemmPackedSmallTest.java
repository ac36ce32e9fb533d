package org.sinter.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sinter.kernels.Parallel;

/**
 * Small products against a pre-packed untransposed B (a frozen program's folded linear weight):
 * the unpacked call's bits for every row count that leaves a partial row tile, column counts that
 * leave a partial panel, depths of one and several packed slices, a sub-matrix A; and close to a
 * float64 reference.
 */
class SgemmPackedSmallTest {
    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @ParameterizedTest
    @CsvSource({"1,10,784", "1,512,784", "1,33,5", "1,1000,512", "2,512,784", "3,70,100", "5,31,513", "7,64,1",
            "8,512,784", "9,100,300", "12,97,1100", "15,512,512", "16,10,512", "17,40,200", "24,10,512", "32,10,512", "13,1,50"})
    void packedSmallProductsGiveThePlainProductsBits(int m, int n, int k) {
        for (int threads : new int[] {1, 2}) {
            Parallel.setNumThreads(threads);
            try {
                int lda = k + 3, aOff = 2;
                float[] a = random(aOff + m * lda, m * 31L + k), b = random(k * n, n * 7L + k);
                float[] plain = new float[m * n + 2], packed = new float[m * n + 2];
                plain[0] = packed[0] = 5f;
                plain[m * n + 1] = packed[m * n + 1] = 9f;
                Sgemm.sgemm(false, false, m, n, k, 1f, a, aOff, lda, b, 0, n, 0f, plain, 1, n);
                Sgemm.sgemm(false, m, a, aOff, lda, PackedB.pack(false, k, n, b, 0, n), packed, 1, n, null);
                assertArrayEquals(plain, packed, m + "x" + n + "x" + k + " threads " + threads);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double ref = 0;
                        for (int p = 0; p < k; p++) ref += (double) a[aOff + i * lda + p] * b[p * n + j];
                        assertEquals(ref, packed[1 + i * n + j], 1e-4 * Math.sqrt(k) + 1e-6, "C[" + i + "][" + j + "] of " + m + "x" + n + "x" + k);
                    }
                }
            } finally {
                Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    /** The packed kernels run where the small kernels would, and only on untransposed operands. */
    @Test
    void takesOnlyUntransposedProductsOfSeveralColumns() {
        float[] w = random(40 * 30, 1);
        assertEquals(MicroKernel.PNR_F32 == 32, SgemmPackedSmall.handles(false, PackedB.pack(false, 40, 30, w, 0, 30)));
        assertTrue(!SgemmPackedSmall.handles(true, PackedB.pack(false, 40, 30, w, 0, 30)));
        assertTrue(!SgemmPackedSmall.handles(false, PackedB.pack(true, 40, 30, w, 0, 40)));
        assertTrue(!SgemmPackedSmall.handles(false, PackedB.pack(false, 1200, 1, w, 0, 1)));
    }

    /** A transposed A or B against a packed B keeps the plain product's bits too (the source path). */
    @ParameterizedTest
    @CsvSource({"1,512,784,false,true", "8,512,784,false,true", "6,40,100,true,false", "1,40,100,true,false", "5,33,70,true,true"})
    void transposedOperandsKeepThePlainBits(int m, int n, int k, boolean transA, boolean transB) {
        float[] a = random(m * k, 11), b = random(k * n, 12);
        int lda = transA ? m : k, ldb = transB ? k : n;
        float[] plain = new float[m * n], packed = new float[m * n];
        Sgemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, plain, 0, n);
        Sgemm.sgemm(transA, m, a, 0, lda, PackedB.pack(transB, k, n, b, 0, ldb), packed, 0, n, null);
        assertArrayEquals(plain, packed, m + "x" + n + "x" + k + " transA " + transA + " transB " + transB);
    }
}
