package org.sinter.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.prune.Pruner;
import org.sinter.nn.Linear;

/**
 * The CSR Linear kernel ({@code Y = X·Wᵀ + b}, X and Y row-major) against a float64 product, over
 * batch sizes that take the gather path, every tile width (one to four vectors, partial vectors),
 * several tiles, several column panels, column and row tails, offsets, with and without bias; and
 * the register-blocked transposes it uses.
 */
class CsrLinearKernelTest {
    static final int VL = BlockTranspose.SIDE;

    static double[] reference(float[] w, int out, int in, float[] x, int xOff, int m, float[] bias) {
        double[] y = new double[m * out];
        for (int i = 0; i < m; i++) {
            for (int n = 0; n < out; n++) {
                double s = bias == null ? 0 : bias[n];
                for (int k = 0; k < in; k++) s += (double) w[n * in + k] * x[xOff + i * in + k];
                y[i * out + n] = s;
            }
        }
        return y;
    }

    static void check(int out, int in, int m, double density, boolean withBias, long seed) {
        Random rnd = new Random(seed);
        float[] w = SparseKernelsTest.sparse(rnd, out, in, density);
        float[] x = new float[m * in + 7];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] bias = null;
        if (withBias) {
            bias = new float[out];
            for (int i = 0; i < out; i++) bias[i] = (float) rnd.nextGaussian();
        }
        CsrLinearKernel k = CsrLinearKernel.fromDense(w, out, in);
        float[] y = new float[m * out + 11];
        java.util.Arrays.fill(y, Float.NaN);
        k.forward(x, 7, m, y, 3, bias);
        double[] want = reference(w, out, in, x, 7, m, bias);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], y[3 + i], 1e-4 * (1 + Math.abs(want[i])), out + "x" + in + " batch " + m + " at " + i);
        }
        for (int i = 0; i < 3; i++) assertTrue(Float.isNaN(y[i]), "wrote before the output offset");
        for (int i = 3 + m * out; i < y.length; i++) assertTrue(Float.isNaN(y[i]), "wrote past the output");
    }

    @Test
    void singleRowsOnPermuteSlicesMatchTheDenseProduct() {
        // Partial slices and blocks on both axes, a single output or input, empty and full rows.
        int[][] shapes = {{1, 1}, {17, 33}, {5, 100}, {40, 16}, {300, 9}, {128, 9216}, {VL, VL}, {VL + 1, 2 * VL - 1}};
        long seed = 1;
        for (int[] sh : shapes) for (double density : new double[] {0.02, 0.1, 0.5, 1.0}) check(sh[0], sh[1], 1, density, seed % 2 == 0, seed++);
        // PermuteSlices itself, whichever path this vector width gives a single row.
        Random rnd = new Random(3);
        int out = 37, in = 101;
        float[] w = SparseKernelsTest.sparse(rnd, out, in, 0.1), x = new float[in + 2], bias = new float[out];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < out; i++) bias[i] = i;
        float[] y = new float[out], want = new float[out];
        CsrLinearKernel.fromDense(w, out, in).forward(x, 2, 1, want, 0, bias);
        int[] rowPtr = new int[out + 1];
        int nnz = 0;
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) if (w[r * in + c] != 0f) nnz++;
            rowPtr[r + 1] = nnz;
        }
        int[] colIdx = new int[nnz];
        float[] vals = new float[nnz];
        for (int r = 0, p = 0; r < out; r++) for (int c = 0; c < in; c++) if (w[r * in + c] != 0f) { colIdx[p] = c; vals[p++] = w[r * in + c]; }
        new PermuteSlices(out, in, rowPtr, colIdx, vals).forward(x, 2, y, 0, bias);
        for (int i = 0; i < out; i++) assertEquals(want[i], y[i], 1e-4 * (1 + Math.abs(want[i])), "PermuteSlices at " + i);
    }

    @Test
    void gatherPathBatchesMatchTheDenseProduct() {
        for (int m = 1; m < CsrLinearKernel.gatherMaxRows(); m++) {
            check(37, 101, m, 0.1, true, m);
            check(5, 3, m, 0.5, false, 100 + m);
        }
    }

    @Test
    void everyTileWidthAndTailMatchesTheDenseProduct() {
        int[] batches = {CsrLinearKernel.gatherMaxRows(), VL - 1, VL, VL + 1, 2 * VL + 3, 3 * VL, 4 * VL - 1, 4 * VL, 4 * VL + 1, 9 * VL + 5};
        for (int m : batches) {
            check(45, 83, m, 0.1, true, m);
            check(2 * VL + 3, 3 * VL + 1, m, 0.3, false, 1000 + m);
        }
    }

    @Test
    void severalColumnPanelsAccumulateAcrossPanels() {
        // Wider than any panel (a panel holds at most 256 KiB of transposed input: 1024 columns at 16 lanes, 2048 at 8).
        check(19, 4500, 4 * VL + 2, 0.1, true, 7);
        check(19, 4500, 3, 0.1, true, 8);
        check(VL + 1, 2100, 2 * VL, 0.05, false, 9);
    }

    @Test
    void emptyRowsAndAllZeroWeightsGiveTheBias() {
        float[] w = new float[6 * 40];
        for (int c = 0; c < 40; c += 3) w[2 * 40 + c] = 1f; // only row 2 has nonzeros
        CsrLinearKernel k = CsrLinearKernel.fromDense(w, 6, 40);
        assertEquals(14, k.nonzeros());
        float[] bias = {1, 2, 3, 4, 5, 6};
        for (int m : new int[] {1, 2 * VL}) {
            float[] x = new float[m * 40];
            java.util.Arrays.fill(x, 0.5f);
            float[] y = new float[m * 6];
            k.forward(x, 0, m, y, 0, bias);
            for (int i = 0; i < m; i++) assertArrayEquals(new float[] {1, 2, 3 + 7f, 4, 5, 6}, java.util.Arrays.copyOfRange(y, i * 6, i * 6 + 6));
        }
        assertArrayEquals(w, k.toDense());
    }

    @Test
    void parallelRunsMatchTheSingleThreadedOne() {
        int threads = Sinter.getNumThreads();
        try {
            Sinter.setNumThreads(3);
            check(300, 700, 1, 0.1, true, 21);
            check(300, 700, 70, 0.1, true, 22);
            check(64, 3000, 64, 0.1, true, 23);
        } finally {
            Sinter.setNumThreads(threads);
        }
    }

    @Test
    void sparseLinearOnCsrEqualsTheDenseLayer() {
        Sinter.manualSeed(3);
        Linear dense = new Linear(130, 70);
        dense.eval();
        new Pruner().l1Unstructured(dense, "weight", 0.9);
        SparseLinear sparse = new SparseLinear(dense, KernelChooser.fixed(SparseFormat.CSR));
        try (var _ = Sinter.noGrad()) {
            for (int batch : new int[] {1, 3, 64, 100}) {
                Tensor x = Tensor.randn(batch, 130);
                float[] want = dense.forward(x).toFloatArray(), got = sparse.forward(x).toFloatArray();
                for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), "batch " + batch + " at " + i);
                assertEquals(SparseFormat.CSR, sparse.formatFor(batch));
            }
        }
    }

    @Test
    void blockTransposeHandlesEdges() {
        Random rnd = new Random(5);
        for (int[] rc : new int[][] {{1, 1}, {VL, VL}, {VL + 3, 2 * VL + 1}, {3 * VL, VL - 1}, {5, 40}}) {
            int rows = rc[0], cols = rc[1], ss = cols + 2, ds = rows + 3;
            float[] src = new float[1 + rows * ss];
            for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextGaussian();
            float[] dst = new float[2 + cols * ds];
            BlockTranspose.transpose(src, 1, ss, rows, cols, dst, 2, ds);
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) assertEquals(src[1 + r * ss + c], dst[2 + c * ds + r], rows + "x" + cols);
        }
    }

    @Test
    void badOperandsAreNamed() {
        CsrLinearKernel k = CsrLinearKernel.fromDense(new float[12], 3, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> k.forward(new float[7], 0, 2, new float[6], 0, null));
        assertTrue(e.getMessage().contains("input (2x4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> k.forward(new float[8], 0, 2, new float[5], 0, null));
        assertTrue(e.getMessage().contains("output (2x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> k.forward(new float[8], 0, 2, new float[6], 0, new float[2]));
        assertTrue(e.getMessage().contains("bias has 2 values for 3 outputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CsrLinearKernel.fromDense(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("CsrLinearKernel"), e.getMessage());
    }
}
