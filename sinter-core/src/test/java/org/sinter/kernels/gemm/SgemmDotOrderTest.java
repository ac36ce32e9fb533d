package org.sinter.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sinter.kernels.Lanes;

/**
 * The dot-product kernels (a transposed B: a linear layer's forward at small batches, and one row)
 * reduce their lane accumulators by a butterfly over several vectors; each entry must keep the bits
 * of the plain order it replaced: per-lane FMA chains, {@link Lanes#sum}, then the scalar tail.
 * Values spread over many magnitudes, so any other summation order shows in the bits.
 */
class SgemmDotOrderTest {
    private static float[] spread(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        return x;
    }

    /** A[i]·B[j] in the reference order. */
    private static float reference(float[] a, int ai, float[] b, int bj, int k) {
        var s = MicroKernel.SPECIES_F32;
        int l = s.length(), kv = k - k % l;
        FloatVector acc = FloatVector.zero(s);
        for (int p = 0; p < kv; p += l) acc = FloatVector.fromArray(s, a, ai + p).fma(FloatVector.fromArray(s, b, bj + p), acc);
        float t = Lanes.sum(acc);
        for (int p = kv; p < k; p++) t += a[ai + p] * b[bj + p];
        return t;
    }

    @ParameterizedTest
    @CsvSource({"1,512,784", "1,37,13", "1,9,8", "2,7,100", "3,64,33", "4,10,512", "8,512,784", "13,5,71", "16,10,512", "16,33,200"})
    void dotKernelsKeepTheLaneSumOrder(int m, int n, int k) {
        float[] a = spread(m * k, 1 + m), b = spread(n * k, 2 + n), c = new float[m * n];
        Sgemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                assertEquals(reference(a, i * k, b, j * k, k), c[i * n + j], 0f, "C[" + i + "][" + j + "] of " + m + "x" + n + "x" + k);
    }
}
