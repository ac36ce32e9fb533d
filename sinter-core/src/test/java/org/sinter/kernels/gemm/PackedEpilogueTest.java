package org.sinter.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.sinter.kernels.Parallel;

/** Pre-packed B and epilogues: the same bits as the plain product, every block of C seen exactly once. */
class PackedEpilogueTest {
    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @ParameterizedTest
    @CsvSource({"1,7,5,false,false", "3,5,7,true,true", "128,512,784,false,true", "200,70,600,true,false",
            "1000,16,27,false,false", "16,12544,147,false,false", "512,49,4608,false,false", "64,1000,512,false,true", "300,300,1100,false,false", "9,40,513,true,true"})
    void packedAndEpilogueGiveThePlainProductsBits(int m, int n, int k, boolean transA, boolean transB) {
        for (int threads : new int[] {1, 2}) {
            Parallel.setNumThreads(threads);
            try {
                float[] a = random(m * k, 1), b = random(k * n, 2);
                int lda = transA ? m : k, ldb = transB ? k : n;
                float[] plain = new float[m * n], packed = new float[m * n], withEpi = new float[m * n];
                Sgemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, plain, 0, n);
                AtomicIntegerArray seen = new AtomicIntegerArray(m * n);
                GemmEpilogue count = (r0, rows, c0, cols) -> {
                    for (int i = r0; i < r0 + rows; i++) for (int j = c0; j < c0 + cols; j++) seen.incrementAndGet(i * n + j);
                };
                Sgemm.sgemm(transA, m, a, 0, lda, PackedB.pack(transB, k, n, b, 0, ldb), packed, 0, n, count);
                assertArrayEquals(plain, packed, "packed " + m + "x" + n + "x" + k + " threads " + threads);
                for (int i = 0; i < m * n; i++) assertEquals(1, seen.get(i), "element " + i + " of C seen once by the packed epilogue");
                float[] packedA = new float[m * n];
                AtomicIntegerArray seenA = new AtomicIntegerArray(m * n);
                Sgemm.sgemm(PackedA.pack(transA, m, k, a, 0, lda), transB, n, b, 0, ldb, packedA, 0, n, (r0, rows, c0, cols) -> {
                    for (int i = r0; i < r0 + rows; i++) for (int j = c0; j < c0 + cols; j++) seenA.incrementAndGet(i * n + j);
                });
                assertArrayEquals(plain, packedA, "packed A " + m + "x" + n + "x" + k + " threads " + threads);
                for (int i = 0; i < m * n; i++) assertEquals(1, seenA.get(i), "element " + i + " of C seen once by the packed-A epilogue");
                AtomicIntegerArray seen2 = new AtomicIntegerArray(m * n);
                // An epilogue that relus its block: the result is relu of the plain product, so it ran after the last slice.
                Sgemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, withEpi, 0, n, (r0, rows, c0, cols) -> {
                    for (int i = r0; i < r0 + rows; i++)
                        for (int j = c0; j < c0 + cols; j++) {
                            seen2.incrementAndGet(i * n + j);
                            withEpi[i * n + j] = Math.max(0f, withEpi[i * n + j]);
                        }
                });
                for (int i = 0; i < m * n; i++) {
                    assertEquals(1, seen2.get(i), "element " + i + " seen once");
                    assertEquals(Math.max(0f, plain[i]), withEpi[i], "element " + i);
                }
            } finally {
                Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    /**
     * A row-major A is read in place against a pre-packed B: a sub-matrix (offset, row stride wider
     * than k), row counts that leave a partial tile (packed on the side), columns that leave a
     * partial panel, depths of one and two slices, and deep products whose halves of the depth are summed apart
     * (an even and an odd number of slices, a partial last one); the plain product's bits on one and two threads.
     */
    @ParameterizedTest
    @CsvSource({"21,70,600", "37,33,100", "129,512,784", "17,18,1100", "200,40,1030", "64,120,400", "64,128,9216", "33,70,4200"})
    void aReadInPlaceGivesThePlainProductsBits(int m, int n, int k) {
        for (int threads : new int[] {1, 2}) {
            Parallel.setNumThreads(threads);
            try {
                int lda = k + 5, aOff = 3;
                float[] a = random(aOff + m * lda, 5), b = random(n * k, 6);
                float[] plain = new float[m * n + 2], packed = new float[m * n + 2];
                packed[m * n + 1] = plain[m * n + 1] = 9f;
                Sgemm.sgemm(false, true, m, n, k, 1f, a, aOff, lda, b, 0, k, 0f, plain, 1, n);
                Sgemm.sgemm(false, m, a, aOff, lda, PackedB.pack(true, k, n, b, 0, k), packed, 1, n, null);
                assertArrayEquals(plain, packed, m + "x" + n + "x" + k + " threads " + threads);
            } finally {
                Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    @Test
    void packingChecksItsArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> PackedB.pack(false, 10, 10, new float[50], 0, 10));
        assertEquals(true, e.getMessage().contains("B (10x10"), e.getMessage());
    }

    @Test
    void aPackedMatrixIsASnapshotOfItsSource() {
        // Small products read the kept source, large ones the panels: both must keep the values packed.
        for (int m : new int[] {2, 200}) {
            int n = 40, k = 30;
            float[] a = random(m * k, 3), b = random(k * n, 4), expected = new float[m * n], got = new float[m * n], gotA = new float[m * n];
            Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
            PackedB pb = PackedB.pack(false, k, n, b, 0, n);
            PackedA pa = PackedA.pack(false, m, k, a, 0, k);
            java.util.Arrays.fill(b, 7f);
            java.util.Arrays.fill(a, -3f);
            Sgemm.sgemm(false, m, random(m * k, 3), 0, k, pb, got, 0, n, null);
            Sgemm.sgemm(pa, false, n, random(k * n, 4), 0, n, gotA, 0, n, null);
            assertArrayEquals(expected, got, "packed B, m=" + m);
            assertArrayEquals(expected, gotA, "packed A, m=" + m);
        }
    }
}
