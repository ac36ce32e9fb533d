package org.sinter.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;

/**
 * Initializations checked statistically (the random streams differ from PyTorch's, the
 * distributions must not): bounds, means and variances of large samples.
 */
class InitTest {
    @BeforeEach
    void seed() {
        Sinter.manualSeed(11);
    }

    /** Values lie in [-bound, bound], fill it (max close to the bound) and have U(±bound)'s mean and variance. */
    private static void assertUniform(Tensor t, double bound) {
        double[] v = t.toDoubleArray();
        double max = 0, sum = 0, sq = 0;
        for (double x : v) {
            assertTrue(Math.abs(x) <= bound * (1 + 1e-6), "value " + x + " outside ±" + bound);
            max = Math.max(max, Math.abs(x));
            sum += x;
            sq += x * x;
        }
        int n = v.length;
        assertTrue(max > 0.95 * bound, "max |value| " + max + " far below the bound " + bound);
        double mean = sum / n, var = sq / n - mean * mean, expectedVar = bound * bound / 3;
        assertEquals(0, mean, 5 * Math.sqrt(expectedVar / n), "mean");
        assertEquals(expectedVar, var, 0.05 * expectedVar, "variance");
    }

    private static void assertNormal(Tensor t, double std) {
        double[] v = t.toDoubleArray();
        double sum = 0, sq = 0;
        for (double x : v) {
            sum += x;
            sq += x * x;
        }
        int n = v.length;
        double mean = sum / n;
        assertEquals(0, mean, 5 * std / Math.sqrt(n), "mean");
        assertEquals(std, Math.sqrt(sq / n - mean * mean), 0.05 * std, "std");
    }

    @Test
    void linearDefaultIsUniformOverRootFanIn() {
        Linear l = new Linear(400, 300);
        assertUniform(l.weight, 1 / Math.sqrt(400));
        Linear wide = new Linear(50, 4000);
        assertUniform(wide.bias, 1 / Math.sqrt(50));
    }

    @Test
    void recurrentLayersAreUniformOverRootHidden() {
        LSTM lstm = new LSTM(30, 64, RNNBase.options().numLayers(2).bidirectional(true));
        for (Tensor p : lstm.parameters()) {
            double[] v = p.toDoubleArray();
            for (double x : v) assertTrue(Math.abs(x) <= 1 / Math.sqrt(64) + 1e-7);
        }
        assertUniform(lstm.layerWeights(1, true)[0], 1 / Math.sqrt(64));
        assertUniform(new GRUCell(40, 100).weightHh, 0.1);
    }

    @Test
    void multiheadAttentionIsXavierWithZeroBiases() {
        MultiheadAttention m = new MultiheadAttention(64, 4);
        assertUniform(m.inProjWeight, Math.sqrt(6.0 / (64 + 3 * 64)));
        assertEquals(0, m.inProjBias.abs().sum().item());
        assertEquals(0, m.outProj.bias.abs().sum().item());
        assertUniform(m.outProj.weight, 1 / Math.sqrt(64));
        assertEquals(java.util.List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                java.util.List.copyOf(m.namedParameters().keySet()));
    }

    @Test
    void kaimingAndXavier() {
        Tensor w = Tensor.empty(200, 50, 3, 3);
        assertArrayEquals(new int[] {450, 1800}, Init.fans(w));
        assertUniform(Init.kaimingUniform_(w, 0, Init.FanMode.FAN_IN, "relu"), Math.sqrt(2.0) * Math.sqrt(3.0 / 450));
        assertNormal(Init.kaimingNormal_(w, 0, Init.FanMode.FAN_OUT, "relu"), Math.sqrt(2.0 / 1800));
        assertUniform(Init.xavierUniform_(w, 2), 2 * Math.sqrt(6.0 / (450 + 1800)));
        assertNormal(Init.xavierNormal_(w), Math.sqrt(2.0 / (450 + 1800)));
        assertNormal(Init.normal_(Tensor.empty(DType.FLOAT64, 100000), 0, 0.02), 0.02);
    }

    @Test
    void gainsMatchPyTorch() {
        assertEquals(1, Init.calculateGain("linear"));
        assertEquals(1, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / 1.0001), Init.calculateGain("leaky_relu"), 1e-15);
        assertEquals(Math.sqrt(2 / 6.0), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"));
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("softmax"));
    }

    @Test
    void fansNeedTwoDimensions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform_(Tensor.empty(5)));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions"), e.getMessage());
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        for (int[] shape : new int[][] {{6, 4}, {3, 8}, {4, 2, 3}}) {
            Tensor w = Init.orthogonal_(Tensor.empty(shape), 1.5);
            Tensor m = w.reshape(shape[0], -1);
            Tensor gram = shape[0] <= m.size(1) ? m.matmul(m.t()) : m.t().matmul(m);
            int n = gram.size(0);
            assertTrue(gram.allclose(Tensor.eye(n).mul(2.25), 1e-5, 1e-5), "Gram matrix of " + java.util.Arrays.toString(shape) + ": " + gram);
        }
    }

    @Test
    void constantsAndParametersStayLeaves() {
        Linear l = new Linear(3, 2);
        Init.constant_(l.weight, 0.5);
        Init.ones_(l.bias);
        assertTrue(l.weight.isLeaf() && l.weight.requiresGrad());
        assertEquals(3.0, l.weight.sum().item(), 1e-6);
        assertEquals(2.0, l.bias.sum().item(), 1e-6);
        Init.zeros_(l.bias);
        assertEquals(0.0, l.bias.sum().item());
    }
}
