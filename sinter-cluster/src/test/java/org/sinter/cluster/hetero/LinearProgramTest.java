package org.sinter.cluster.hetero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProgramTest {
    @Test
    void solvesTheTextbookExample() {
        // max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18: optimum x = 2, y = 6, value 36 (Hillier & Lieberman's Wyndor Glass)
        LinearProgram.Solution s = new LinearProgram(new double[][] {{1, 0}, {0, 2}, {3, 2}}, new double[] {4, 12, 18}, new double[] {3, 5}).maximize();
        assertEquals(36, s.objective(), 1e-9);
        assertEquals(2, s.x()[0], 1e-9);
        assertEquals(6, s.x()[1], 1e-9);
        // shadow prices: 0 for x <= 4 (slack), 3/2 for the second, 1 for the third
        assertEquals(0, s.dual()[0], 1e-9);
        assertEquals(1.5, s.dual()[1], 1e-9);
        assertEquals(1, s.dual()[2], 1e-9);
    }

    @Test
    void randomProgramsCarryAnOptimalityCertificate() {
        // strong duality checks the answer without another solver: a primal-feasible x and a dual-feasible y
        // (y >= 0, yA >= c) with equal objectives are both optimal
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + random.nextInt(12), vars = 1 + random.nextInt(12);
            double[][] a = new double[rows][vars];
            double[] b = new double[rows];
            double[] c = new double[vars];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < vars; j++) a[i][j] = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 4 - 0.5;
                b[i] = random.nextInt(5) == 0 ? 0 : random.nextDouble() * 10; // zeros make degenerate vertices
            }
            for (int j = 0; j < vars; j++) {
                c[j] = random.nextDouble() * 3 - 1;
                a[random.nextInt(rows)][j] = 1 + random.nextDouble(); // every variable bounded by some row
            }
            for (int j = 0; j < vars; j++) {
                boolean bounded = false;
                for (int i = 0; i < rows; i++) {
                    boolean allNonNegative = true;
                    for (int k = 0; k < vars; k++) allNonNegative &= a[i][k] >= 0;
                    bounded |= allNonNegative && a[i][j] > 0;
                }
                if (!bounded) { a[0][j] = 1; for (int k = 0; k < vars; k++) a[0][k] = Math.max(a[0][k], 0); }
            }
            LinearProgram.Solution s = new LinearProgram(a, b, c).maximize();
            double primal = 0, dual = 0;
            for (int j = 0; j < vars; j++) {
                assertTrue(s.x()[j] >= -1e-9, "x >= 0");
                primal += c[j] * s.x()[j];
            }
            for (int i = 0; i < rows; i++) {
                double lhs = 0;
                for (int j = 0; j < vars; j++) lhs += a[i][j] * s.x()[j];
                assertTrue(lhs <= b[i] + 1e-7, "trial " + trial + " row " + i + ": " + lhs + " > " + b[i]);
                assertTrue(s.dual()[i] >= -1e-9, "y >= 0");
                dual += b[i] * s.dual()[i];
            }
            for (int j = 0; j < vars; j++) {
                double ya = 0;
                for (int i = 0; i < rows; i++) ya += s.dual()[i] * a[i][j];
                assertTrue(ya >= c[j] - 1e-7, "trial " + trial + ": dual infeasible at column " + j);
            }
            assertEquals(primal, dual, 1e-6 * Math.max(1, Math.abs(primal)), "trial " + trial);
            assertEquals(primal, s.objective(), 1e-6 * Math.max(1, Math.abs(primal)));
        }
    }

    @Test
    void rejectsBadShapesAndUnboundedPrograms() {
        assertThrows(IllegalArgumentException.class, () -> new LinearProgram(new double[][] {{1}}, new double[] {-1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new LinearProgram(new double[][] {{1, 2}}, new double[] {1}, new double[] {1}));
        assertThrows(IllegalStateException.class, () -> new LinearProgram(new double[][] {{1, -1}}, new double[] {1}, new double[] {0, 1}).maximize());
    }
}
