package org.sinter.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sinter.kernels.gemm.GemmReference.Case;

class DgemmTest {
    static final double EPS = 0x1p-53;

    static void run(Case t, long seed) {
        Random r = new Random(seed);
        double[] a = GemmReference.random(r, t.aLen()), b = GemmReference.random(r, t.bLen());
        double[] c0 = GemmReference.random(r, t.cLen()), c = c0.clone();
        Dgemm.dgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.off(), t.lda(),
                b, t.off(), t.ldb(), t.beta(), c, t.off(), t.ldc());
        GemmReference.check(t, a, b, c0, c, EPS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sinter.kernels.gemm.SgemmTest#cases")
    void matchesReference(Case t) {
        run(t, t.hashCode());
    }

    @ParameterizedTest
    @MethodSource("org.sinter.kernels.gemm.SgemmTest#nanShapes")
    void betaZeroOverwritesNaN(int m, int n, int k) {
        double[] a = new double[m * k], b = new double[k * n], c = new double[m * n];
        Arrays.fill(a, 1);
        Arrays.fill(b, 2);
        Arrays.fill(c, Double.NaN);
        Dgemm.dgemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
        for (double v : c) assertEquals(2.0 * k, v);
    }

    @org.junit.jupiter.api.Test
    void largerBlockedProduct() {
        run(new Case(false, true, 140, 1100, 300, 0.5, 1, 1, 2), 11);
        run(new Case(true, false, 9, 3, 0, 1, 2, 0, 0), 12);
    }
}
