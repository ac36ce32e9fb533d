package org.sinter.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sinter.kernels.gemm.GemmReference.Case;

class SgemmTest {
    static final double EPS = 0x1p-24;

    /** The three ways into Sgemm: the public dispatcher, and each internal path forced. */
    enum Path { DISPATCH, BLOCKED, SMALL }

    interface Sgemm16 {
        void call(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                  float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);
    }

    static Sgemm16 impl(Path p) {
        return switch (p) {
            case DISPATCH -> Sgemm::sgemm;
            case BLOCKED -> Sgemm::blocked;
            case SMALL -> SgemmSmall::sgemm;
        };
    }

    /** Shapes: degenerate, primes, every block edge (MR=4, NR=16, KC=512, MC=128, 64^3 small-path limit), skinny. */
    static Stream<Case> cases() {
        List<Case> cs = new ArrayList<>();
        int[][] shapes = {
                {1, 1, 1}, {1, 7, 5}, {7, 1, 5}, {2, 3, 1}, {3, 5, 7}, {4, 16, 8}, {5, 17, 9}, {13, 31, 37},
                {8, 8, 8}, {16, 16, 16}, {4, 15, 3}, {3, 33, 2}, {17, 47, 23}, {31, 64, 29},
                {129, 33, 257}, {127, 19, 255}, {37, 129, 300}, {260, 20, 11}, {6, 40, 513},
                {1, 100, 70}, {70, 1, 100}, {1, 33, 1}, {33, 1, 1},
                // Thin operands (a linear layer with few outputs): dot-product and unpacked paths.
                {130, 10, 67}, {10, 130, 67}, {9, 70, 40}, {21, 5, 100}, {66, 45, 17}, {128, 10, 512}, {10, 512, 128},
        };
        boolean[] tf = {false, true};
        double[][] ab = {{1, 0}, {0.5, 1}, {-2, 0.25}};
        int idx = 0;
        for (int[] s : shapes) {
            for (boolean ta : tf) for (boolean tb : tf) {
                double[] albe = ab[idx % ab.length];
                int pad = idx % 3 == 0 ? 0 : 3, off = idx % 2 == 0 ? 0 : 5;
                cs.add(new Case(ta, tb, s[0], s[1], s[2], albe[0], albe[1], pad, off));
                idx++;
            }
        }
        return cs.stream();
    }

    static Stream<Object[]> pathCases() {
        return cases().flatMap(c -> Stream.of(Path.values()).map(p -> new Object[] {p, c}));
    }

    static void run(Path path, Case t, long seed) {
        Random r = new Random(seed);
        double[] a = GemmReference.random(r, t.aLen()), b = GemmReference.random(r, t.bLen());
        double[] c0 = GemmReference.random(r, t.cLen());
        float[] af = GemmReference.toFloat(a), bf = GemmReference.toFloat(b), cf = GemmReference.toFloat(c0);
        // Compare against the float inputs, exactly as the kernel sees them.
        a = GemmReference.toDouble(af);
        b = GemmReference.toDouble(bf);
        c0 = GemmReference.toDouble(cf);
        impl(path).call(t.transA(), t.transB(), t.m(), t.n(), t.k(), (float) t.alpha(), af, t.off(), t.lda(),
                bf, t.off(), t.ldb(), (float) t.beta(), cf, t.off(), t.ldc());
        GemmReference.check(t, a, b, c0, GemmReference.toDouble(cf), EPS);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathCases")
    void matchesReference(Path path, Case t) {
        // The small path takes products with m or n of 1, untransposed B, or transposed B alone.
        if (path == Path.SMALL && !(t.m() == 1 || t.n() == 1 || !t.transB() || !t.transA())) return;
        run(path, t, t.hashCode());
    }

    @Test
    void crossesEveryBlockBoundary() {
        // k > KC and m > MC: several pc and ic blocks, edges everywhere.
        run(Path.BLOCKED, new Case(false, false, 133, 300, SgemmBlocked.KC + 5, 1, 0.5, 1, 3), 1);
        run(Path.BLOCKED, new Case(true, true, SgemmBlocked.MC * 2 + 3, 21, 2 * SgemmBlocked.KC + 1, -1, 0, 0, 0), 2);
    }

    @Test
    void sharedOperandInSeveralRounds() {
        int before = SgemmBlocked.sharedMax;
        try {
            SgemmBlocked.sharedMax = 1000;
            // A shared (m <= n), rounds of MC rows; then B shared (m > n), rounds of NCHUNK columns.
            run(Path.BLOCKED, new Case(false, true, 300, 310, 20, 1, 0.5, 1, 2), 10);
            run(Path.BLOCKED, new Case(true, false, 700, 600, 20, 1, 0, 0, 0), 11);
        } finally {
            SgemmBlocked.sharedMax = before;
        }
    }

    @Test
    void skinnyShapes() {
        for (Path p : Path.values()) {
            run(p, new Case(false, false, 1, 512, 784, 1, 0, 0, 0), 3);
            run(p, new Case(false, false, 512, 1, 784, 1, 0, 0, 0), 4);
        }
        run(Path.DISPATCH, new Case(false, false, 128, 512, 784, 1, 0, 0, 0), 5);
        run(Path.DISPATCH, new Case(false, true, 128, 512, 784, 1, 1, 0, 0), 6);
        run(Path.DISPATCH, new Case(true, false, 64, 512, 512, 2, 0, 0, 0), 7);
    }

    @Test
    void multithreadedMatchesSingleThreaded() {
        int before = org.sinter.kernels.Parallel.numThreads();
        try {
            org.sinter.kernels.Parallel.setNumThreads(3);
            // Above the parallel threshold: A shared (m <= n), then B shared (m > n, n thin).
            run(Path.DISPATCH, new Case(false, false, 200, 230, 100, 1, 0, 0, 0), 8);
            run(Path.DISPATCH, new Case(true, false, 600, 40, 200, 1, 0.5, 2, 1), 9);
            // A few-output head over many rows (transposed B): dot products, rows split between threads.
            run(Path.DISPATCH, new Case(false, true, 130, 10, 600, 1, 0.5, 3, 5), 12);
        } finally {
            org.sinter.kernels.Parallel.setNumThreads(before);
        }
    }

    /** A vector times an untransposed matrix, streamed in column blocks by several threads: the column-by-column loop's bits (slice by slice). */
    @ParameterizedTest
    @CsvSource({"1000, 512, 1", "1000, 512, 3", "1013, 300, 2", "16, 20000, 2", "300, 17, 1"})
    void streamingVectorTimesMatrixKeepsTheBits(int n, int k, int threads) {
        int before = org.sinter.kernels.Parallel.numThreads();
        Random r = new Random(n + k);
        float[] a = new float[k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        float[] columns = new float[n], streamed = new float[n + 3];
        // The column loop slice by slice, as the product sums an untransposed B (see SgemmSmall.direct).
        int kc0 = SgemmBlocked.depthSlice(k);
        for (int pc = 0; pc < k; pc += kc0) SgemmSmall.axpyRows(n, Math.min(kc0, k - pc), b, pc * n, n, a, pc, 1, 1f, pc == 0 ? 0f : 1f, columns, 0, 1);
        try {
            org.sinter.kernels.Parallel.setNumThreads(threads);
            Sgemm.sgemm(false, false, 1, n, k, 1f, a, 0, k, b, 0, n, 0f, streamed, 3, n);
        } finally {
            org.sinter.kernels.Parallel.setNumThreads(before);
        }
        assertArrayEquals(columns, Arrays.copyOfRange(streamed, 3, n + 3));
    }

    @ParameterizedTest
    @CsvSource({"130, 10, 600", "1, 1001, 515", "1, 1000, 512"})
    void splittingTheDotProductRowsKeepsTheBits(int m, int n, int k) {
        int before = org.sinter.kernels.Parallel.numThreads();
        Random r = new Random(13);
        float[] a = new float[m * k], b = new float[n * k];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        float[] one = new float[m * n], three = new float[m * n];
        try {
            org.sinter.kernels.Parallel.setNumThreads(1);
            Sgemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, one, 0, n);
            org.sinter.kernels.Parallel.setNumThreads(3);
            Sgemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, three, 0, n);
        } finally {
            org.sinter.kernels.Parallel.setNumThreads(before);
        }
        assertArrayEquals(one, three);
    }

    @ParameterizedTest
    @MethodSource("nanShapes")
    void betaZeroOverwritesNaN(int m, int n, int k) {
        for (Path p : Path.values()) {
            if (p == Path.SMALL && !SgemmSmall.handles(false, false, m, n, k)) continue;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            Arrays.fill(a, 1f);
            Arrays.fill(b, 2f);
            Arrays.fill(c, Float.NaN);
            impl(p).call(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            for (float v : c) assertEquals(2f * k, v, p + " " + m + "x" + n + "x" + k);
        }
    }

    static Stream<Object[]> nanShapes() {
        return Stream.of(new Object[] {1, 9, 3}, new Object[] {9, 1, 3}, new Object[] {5, 19, 7},
                new Object[] {70, 90, 300}, new Object[] {4, 16, 1});
    }

    @Test
    void zeroSizes() {
        float[] c = {1, 2, 3, 4, 5, 6};
        Sgemm.sgemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 2f, c, 0, 3);
        assertEquals(List.of(2f, 4f, 6f, 8f, 10f, 12f), box(c));
        Sgemm.sgemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 0f, c, 0, 3);
        assertEquals(List.of(0f, 0f, 0f, 0f, 0f, 0f), box(c));
        float[] nan = {Float.NaN};
        Sgemm.sgemm(false, false, 1, 1, 0, 1f, new float[0], 0, 1, new float[0], 0, 1, 0f, nan, 0, 1);
        assertEquals(0f, nan[0]);
        Sgemm.sgemm(false, false, 0, 3, 4, 1f, new float[0], 0, 4, new float[12], 0, 3, 0f, new float[0], 0, 3);
        Sgemm.sgemm(false, false, 3, 0, 4, 1f, new float[12], 0, 4, new float[0], 0, 1, 0f, new float[0], 0, 1);
    }

    @Test
    void badArgumentsFailClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, 2, 2, 1f, new float[3], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("A (2x2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 1, new float[4], 0, 2, 0f, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("lda=1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, -1, 2, 2, 1f, new float[4], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2));
    }

    private static List<Float> box(float[] x) {
        List<Float> l = new ArrayList<>();
        for (float v : x) l.add(v);
        return l;
    }
}
