package org.sinter.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** CSR and block-sparse products against a float64 dense product of the same matrices. */
class SparseKernelsTest {
    static float[] sparse(Random rnd, int rows, int cols, double density) {
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) if (rnd.nextDouble() < density) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    static float[] blockSparse(Random rnd, int rows, int cols, double density) {
        float[] a = new float[rows * cols];
        for (int br = 0; br < rows; br += 4) {
            for (int bc = 0; bc < cols; bc += 4) {
                if (rnd.nextDouble() >= density) continue;
                for (int r = br; r < Math.min(rows, br + 4); r++) for (int c = bc; c < bc + 4; c++) a[r * cols + c] = (float) rnd.nextGaussian();
            }
        }
        return a;
    }

    static double[] reference(float[] a, int rows, int cols, float[] b, int n, float[] bias) {
        double[] y = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias[r];
                for (int k = 0; k < cols; k++) s += (double) a[r * cols + k] * b[k * n + j];
                y[r * n + j] = s;
            }
        }
        return y;
    }

    static void check(SparseMatrix m, float[] a, int rows, int cols, int n, Random rnd, boolean withBias) {
        float[] b = new float[cols * n + 3];
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        float[] shifted = java.util.Arrays.copyOfRange(b, 3, b.length);
        float[] bias = null;
        if (withBias) {
            bias = new float[rows];
            for (int i = 0; i < rows; i++) bias[i] = (float) rnd.nextGaussian();
        }
        float[] y = new float[rows * n + 5];
        m.multiply(b, 3, n, y, 5, bias);
        double[] want = reference(a, rows, cols, shifted, n, bias);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], y[5 + i], 1e-4 * (1 + Math.abs(want[i])), m.getClass().getSimpleName() + " " + rows + "x" + cols + " n=" + n + " at " + i);
        }
        for (int i = 0; i < 5; i++) assertEquals(0f, y[i], "wrote before yOff");
    }

    @Test
    void csrMatchesDenseForManyShapes() {
        Random rnd = new Random(1);
        for (int[] s : new int[][] {{10, 128, 32}, {64, 288, 576}, {7, 13, 1}, {33, 40, 37}, {128, 9216, 1}, {5, 9, 17}, {3, 4, 2}}) {
            for (double density : new double[] {0.1, 0.5, 0.0, 1.0}) {
                float[] a = sparse(rnd, s[0], s[1], density);
                CsrMatrix m = CsrMatrix.fromDense(a, 0, s[0], s[1]);
                assertArrayEquals(a, m.toDense());
                check(m, a, s[0], s[1], s[2], rnd, density != 0.5);
            }
        }
    }

    @Test
    void blockSparseMatchesDenseIncludingRowPaddingAndTails() {
        Random rnd = new Random(2);
        for (int[] s : new int[][] {{10, 128, 32}, {64, 288, 576}, {7, 12, 1}, {33, 40, 37}, {6, 8, 50}, {128, 512, 64}}) {
            for (double density : new double[] {0.1, 0.5, 1.0}) {
                float[] a = blockSparse(rnd, s[0], s[1], density);
                BlockSparseMatrix m = BlockSparseMatrix.fromDense(a, 0, s[0], s[1], 4);
                assertArrayEquals(a, m.toDense());
                check(m, a, s[0], s[1], s[2], rnd, true);
                // Unstructured weights work too: blocks with any nonzero are kept, with their zeros.
                float[] u = sparse(rnd, s[0], s[1], density / 4);
                check(BlockSparseMatrix.fromDense(u, 0, s[0], s[1], 4), u, s[0], s[1], s[2], rnd, false);
            }
        }
    }

    @Test
    void sparsityAndStorageAreCounted() {
        float[] a = {0, 1, 0, 0, 0, 0, 2, 0};
        CsrMatrix m = CsrMatrix.fromDense(a, 0, 2, 4);
        assertEquals(2, m.storedValues());
        assertEquals(0.75, m.sparsity(), 1e-12);
        BlockSparseMatrix b = BlockSparseMatrix.fromDense(a, 0, 2, 4, 4);
        assertEquals(1, b.blocks());
        assertEquals(16, b.storedValues());
    }

    @Test
    void badShapesAreClearErrors() {
        CsrMatrix m = CsrMatrix.fromDense(new float[6], 0, 2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> m.multiply(new float[5], 0, 2, new float[4], 0, null));
        assertTrue(e.getMessage().contains("B (3x2 at offset 0) does not fit in 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.multiply(new float[6], 0, 2, new float[4], 0, new float[3]));
        assertTrue(e.getMessage().contains("bias has 3 values for 2 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BlockSparseMatrix.fromDense(new float[18], 0, 2, 9, 4));
        assertTrue(e.getMessage().contains("9 columns are not a multiple of the block width 4"), e.getMessage());
    }
}
