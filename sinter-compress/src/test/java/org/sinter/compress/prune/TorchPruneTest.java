package org.sinter.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;

/** The pruner's masks against torch.nn.utils.prune's on the same weights (tools/fixtures/gen_prune.py). */
class TorchPruneTest {
    static Map<String, Map<String, Tensor>> cases;

    @BeforeAll
    static void load() throws IOException {
        cases = TorchPruneFixtures.load();
    }

    static <M extends Module> M withWeight(M m, Tensor w) {
        try (var _ = Sinter.noGrad()) {
            m.namedParameters().get("weight").copy_(w);
        }
        return m;
    }

    static void assertMask(Tensor want, Tensor got, Tensor weight, Tensor original, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + " shape");
        assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 0f, what + " mask");
        // The weight the forward sees is original * mask, as PyTorch's weight_orig * weight_mask.
        assertArrayEquals(original.mul(want).toFloatArray(), weight.toFloatArray(), 0f, what + " masked weight");
    }

    @Test
    void l1UnstructuredTwiceKeepsPyTorchsContainerRule() {
        var c = cases.get("l1_unstructured_twice");
        Tensor w0 = c.get("input.weight");
        Linear lin = withWeight(new Linear(5, 6), w0);
        Pruner p = new Pruner();
        p.l1Unstructured(lin, "weight", 0.3);
        assertMask(c.get("mask.first"), p.mask(lin, "weight"), lin.weight, w0, "first");
        p.l1Unstructured(lin, "weight", 0.5);
        assertMask(c.get("mask.second"), p.mask(lin, "weight"), lin.weight, w0, "second");
    }

    @Test
    void l1UnstructuredWithACount() {
        var c = cases.get("l1_unstructured_count");
        Linear lin = withWeight(new Linear(5, 6), c.get("input.weight"));
        Pruner p = new Pruner();
        p.l1Unstructured(lin, "weight", 7);
        assertMask(c.get("mask.first"), p.mask(lin, "weight"), lin.weight, c.get("input.weight"), "count");
    }

    @Test
    void fractionalAmountsRoundHalfToEven() {
        var c = cases.get("l1_unstructured_round_half_even");
        Tensor w0 = c.get("input.weight");
        Linear a = withWeight(new Linear(5, 2), w0), b = withWeight(new Linear(5, 2), w0);
        Pruner p = new Pruner();
        p.l1Unstructured(a, "weight", 0.25);
        p.l1Unstructured(b, "weight", 0.35);
        assertMask(c.get("mask.first"), p.mask(a, "weight"), a.weight, w0, "0.25 of 10");
        assertMask(c.get("mask.second"), p.mask(b, "weight"), b.weight, w0, "0.35 of 10");
    }

    @Test
    void globalUnstructuredMatchesAcrossLayers() {
        var c = cases.get("global_unstructured");
        Linear a = withWeight(new Linear(5, 6), c.get("input.a"));
        Linear b = withWeight(new Linear(6, 4), c.get("input.b"));
        Conv2d conv = withWeight(new Conv2d(2, 3, 3), c.get("input.c"));
        Pruner p = new Pruner();
        List<PruneTarget> targets = List.of(new PruneTarget(a, "weight"), new PruneTarget(b, "weight"), new PruneTarget(conv, "weight"));
        p.globalUnstructured(targets, 0.6);
        assertMask(c.get("mask.a"), p.mask(a, "weight"), a.weight, c.get("input.a"), "a");
        assertMask(c.get("mask.b"), p.mask(b, "weight"), b.weight, c.get("input.b"), "b");
        assertMask(c.get("mask.c"), p.mask(conv, "weight"), conv.weight, c.get("input.c"), "conv");
        p.globalUnstructured(targets, 0.5);
        assertMask(c.get("mask2.a"), p.mask(a, "weight"), a.weight, c.get("input.a"), "a again");
        assertMask(c.get("mask2.b"), p.mask(b, "weight"), b.weight, c.get("input.b"), "b again");
        assertMask(c.get("mask2.c"), p.mask(conv, "weight"), conv.weight, c.get("input.c"), "conv again");
    }

    @Test
    void lnStructuredConvFiltersTwice() {
        var c = cases.get("ln_structured_conv_dim0");
        Tensor w0 = c.get("input.weight");
        Conv2d conv = withWeight(new Conv2d(3, 8, 3), w0);
        Pruner p = new Pruner();
        p.lnStructured(conv, "weight", 0.5, 2, 0);
        assertMask(c.get("mask.first"), p.mask(conv, "weight"), conv.weight, w0, "first");
        p.lnStructured(conv, "weight", 0.5, 2, 0);
        assertMask(c.get("mask.second"), p.mask(conv, "weight"), conv.weight, w0, "second");
    }

    @Test
    void lnStructuredLinearInputsL1() {
        var c = cases.get("ln_structured_linear_dim1");
        Linear lin = withWeight(new Linear(7, 4), c.get("input.weight"));
        Pruner p = new Pruner();
        p.lnStructured(lin, "weight", 3, 1, 1);
        assertMask(c.get("mask.first"), p.mask(lin, "weight"), lin.weight, c.get("input.weight"), "dim 1");
    }

    @Test
    void lnStructuredInfinityNorm() {
        var c = cases.get("ln_structured_conv_dim1_inf");
        Conv2d conv = withWeight(new Conv2d(6, 2, 2), c.get("input.weight"));
        Pruner p = new Pruner();
        p.lnStructured(conv, "weight", 0.34, Double.POSITIVE_INFINITY, 1);
        assertMask(c.get("mask.first"), p.mask(conv, "weight"), conv.weight, c.get("input.weight"), "inf norm");
    }

    @Test
    void unstructuredAfterStructuredChoosesAmongSurvivors() {
        var c = cases.get("structured_then_unstructured");
        Tensor w0 = c.get("input.weight");
        Linear lin = withWeight(new Linear(6, 5), w0);
        Pruner p = new Pruner();
        p.lnStructured(lin, "weight", 0.4, 2, 0);
        assertMask(c.get("mask.first"), p.mask(lin, "weight"), lin.weight, w0, "structured");
        p.l1Unstructured(lin, "weight", 0.5);
        assertMask(c.get("mask.second"), p.mask(lin, "weight"), lin.weight, w0, "then unstructured");
    }

    @Test
    void gradientsOfPrunedWeightsAreZeroAndRemoveKeepsTheZeros() {
        Linear lin = new Linear(8, 4);
        Pruner p = new Pruner();
        p.l1Unstructured(lin, "weight", 0.5);
        Tensor mask = p.mask(lin, "weight");
        lin.forward(Tensor.randn(3, 8)).sum().backward();
        float[] g = lin.weight.grad().toFloatArray(), m = mask.toFloatArray();
        int zeroGrads = 0;
        for (int i = 0; i < g.length; i++) {
            if (m[i] == 0) assertTrue(g[i] == 0f, "gradient of pruned weight " + i + " is " + g[i]);
            else if (g[i] == 0) zeroGrads++;
        }
        assertTrue(zeroGrads < g.length / 2, "unpruned weights get gradients");
        assertTrue(p.isPruned(lin));
        p.remove(lin, "weight");
        assertTrue(!p.isPruned(lin));
        assertEquals(16, SparsityReport.of(lin).zeros());
        lin.zeroGrad();
        lin.forward(Tensor.randn(3, 8)).sum().backward();
        int nonzero = 0;
        for (float v : lin.weight.grad().toFloatArray()) if (v != 0) nonzero++;
        assertTrue(nonzero > 16, "after remove, pruned weights get gradients again (" + nonzero + ")");
    }

    @Test
    void badArgumentsAreClearErrors() {
        Linear lin = new Linear(3, 2);
        Pruner p = new Pruner();
        var e = assertThrows(IllegalArgumentException.class, () -> p.l1Unstructured(lin, "weight", 1.5));
        assertTrue(e.getMessage().contains("amount=1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.l1Unstructured(lin, "weight", 7));
        assertTrue(e.getMessage().contains("number of parameters to prune=6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.l1Unstructured(lin, "wieght", 0.5));
        assertTrue(e.getMessage().contains("no parameter named 'wieght'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.remove(lin, "weight"));
        assertTrue(e.getMessage().contains("has to be pruned"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.lnStructured(lin, "weight", 0.5, 2, 2));
        assertTrue(e.getMessage().contains("dim 2 out of range"), e.getMessage());
    }
}
