package org.sinter.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sinter.kernels.gemm.GemmReference.Case;

class OpenBlasTest {
    @AfterEach
    void restoreProvider() {
        Gemm.setProvider(Gemm.Provider.JAVA);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sinter.kernels.gemm.SgemmTest#cases")
    void sgemmAndDgemmMatchReference(Case t) {
        assumeTrue(OpenBlas.isAvailable(), "OpenBLAS not installed");
        Random r = new Random(t.hashCode());
        float[] af = GemmReference.toFloat(GemmReference.random(r, t.aLen()));
        float[] bf = GemmReference.toFloat(GemmReference.random(r, t.bLen()));
        float[] cf = GemmReference.toFloat(GemmReference.random(r, t.cLen()));
        double[] a = GemmReference.toDouble(af), b = GemmReference.toDouble(bf), c0 = GemmReference.toDouble(cf);
        Gemm.setProvider(Gemm.Provider.OPENBLAS);
        Gemm.sgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), (float) t.alpha(), af, t.off(), t.lda(),
                bf, t.off(), t.ldb(), (float) t.beta(), cf, t.off(), t.ldc());
        GemmReference.check(t, a, b, c0, GemmReference.toDouble(cf), SgemmTest.EPS);
        double[] c = c0.clone();
        Gemm.dgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.off(), t.lda(),
                b, t.off(), t.ldb(), t.beta(), c, t.off(), t.ldc());
        GemmReference.check(t, a, b, c0, c, DgemmTest.EPS);
    }

    @Test
    void betaZeroOverwritesNaN() {
        assumeTrue(OpenBlas.isAvailable(), "OpenBLAS not installed");
        float[] a = new float[5 * 7], b = new float[7 * 9], c = new float[5 * 9];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 2f);
        Arrays.fill(c, Float.NaN);
        OpenBlas.sgemm(false, false, 5, 9, 7, 1f, a, 0, 7, b, 0, 9, 0f, c, 0, 9);
        for (float v : c) assertEquals(14f, v);
    }

    @Test
    void argumentsAreCheckedBeforeTheNativeCall() {
        assumeTrue(OpenBlas.isAvailable(), "OpenBLAS not installed");
        assertThrows(IllegalArgumentException.class,
                () -> OpenBlas.sgemm(false, false, 4, 4, 4, 1f, new float[15], 0, 4, new float[16], 0, 4, 0f, new float[16], 0, 4));
    }

    @Test
    void selectingMissingLibraryThrowsClearly() {
        assumeTrue(!OpenBlas.isAvailable(), "OpenBLAS is installed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Gemm.setProvider(Gemm.Provider.OPENBLAS));
        assertTrue(e.getMessage().contains("libopenblas.so.0"), e.getMessage());
        assertEquals(Gemm.Provider.JAVA, Gemm.provider());
    }

    @Test
    void javaIsTheDefaultProvider() {
        assertEquals(Gemm.Provider.JAVA, Gemm.provider());
        float[] c = new float[1];
        Gemm.sgemm(false, false, 1, 1, 1, 1f, new float[] {3f}, 0, 1, new float[] {4f}, 0, 1, 0f, c, 0, 1);
        assertEquals(12f, c[0]);
    }
}
