package org.sinter.privacy.gradsample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Bilinear;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Embedding;
import org.sinter.nn.Flatten;
import org.sinter.nn.GroupNorm;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;

/** Per-sample gradients against the definition: one backward pass per sample, in float64. */
class GradSampleModuleTest {

    /** Compares the vectorised per-sample gradients with a loop of single-sample backward passes of {@code loss}. */
    static void checkAgainstLoop(Module model, Tensor x, Tensor y, boolean crossEntropy) {
        var gsm = new GradSampleModule(model, GradSampleModule.LossReduction.MEAN);
        model.zeroGrad();
        Tensor out = gsm.forward(x);
        loss(out, y, crossEntropy).backward();
        Map<Tensor, Tensor> samples = gsm.gradSamples();
        int n = x.size(0);
        assertEquals(model.parameters().size(), samples.size(), "every parameter has per-sample gradients");
        for (int i = 0; i < n; i++) {
            model.zeroGrad();
            // The mean over one sample is that sample's loss: what the rescaled per-sample gradient equals.
            loss(model.forward(x.narrow(0, i, 1)), y.narrow(0, i, 1), crossEntropy).backward();
            for (var e : model.namedParameters().entrySet()) {
                Tensor expected = e.getValue().grad();
                Tensor got = samples.get(e.getValue()).select(0, i);
                assertArrayEquals(expected.shape(), got.shape(), e.getKey());
                assertTrue(got.allclose(expected, 1e-10, 1e-12), e.getKey() + " sample " + i + ": " + got + " vs " + expected);
            }
        }
        // The per-sample gradients average to the batch gradient.
        model.zeroGrad();
        loss(model.forward(x), y, crossEntropy).backward();
        for (var e : model.namedParameters().entrySet()) {
            assertTrue(samples.get(e.getValue()).mean(0, false).allclose(e.getValue().grad(), 1e-10, 1e-12), e.getKey());
        }
    }

    static Tensor loss(Tensor out, Tensor y, boolean crossEntropy) {
        return crossEntropy ? F.crossEntropy(out, y) : F.mseLoss(out, y);
    }

    @Test
    void linearLayers() {
        Sinter.manualSeed(1);
        Module model = new Sequential(new Linear(5, 7), new ReLU(), new Linear(7, 3)).to(DType.FLOAT64);
        Tensor x = Tensor.randn(DType.FLOAT64, 6, 5);
        Tensor y = Tensor.randint(0, 3, 6);
        checkAgainstLoop(model, x, y, true);
    }

    @Test
    void linearOverASequenceDimensionSumsOverTime() {
        Sinter.manualSeed(2);
        Module model = new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 2, false)).to(DType.FLOAT64);
        Tensor x = Tensor.randn(DType.FLOAT64, 5, 3, 4);
        Tensor y = Tensor.randn(DType.FLOAT64, 5, 3, 2);
        checkAgainstLoop(model, x, y, false);
    }

    @Test
    void convolutionsWithStridePaddingDilationAndGroups() {
        Sinter.manualSeed(3);
        Module model = new Sequential(
                new Conv2d(2, 4, 3, 1, 1),
                new ReLU(),
                new Conv2d(4, 6, new int[] {2, 3}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2, true, "zeros"),
                new ReLU(),
                new Conv2d(6, 3, new int[] {3}, new int[] {1}, "same", new int[] {1}, 1, false, "zeros"),
                new MaxPool2d(2),
                new Flatten(),
                new Linear(3 * 2 * 2, 4)).to(DType.FLOAT64);
        Tensor x = Tensor.randn(DType.FLOAT64, 4, 2, 7, 9);
        Tensor y = Tensor.randint(0, 4, 4);
        checkAgainstLoop(model, x, y, true);
    }

    @Test
    void convolutionWithReflectPadding() {
        Sinter.manualSeed(4);
        Module model = new Sequential(new Conv2d(1, 2, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 1, true, "reflect"),
                new Flatten(), new Linear(2 * 3 * 3, 2)).to(DType.FLOAT64);
        Tensor x = Tensor.randn(DType.FLOAT64, 3, 1, 6, 6);
        checkAgainstLoop(model, x, Tensor.randint(0, 2, 3), true);
    }

    @Test
    void aLayerRunTwiceSumsItsContributions() {
        Sinter.manualSeed(5);
        final class Twice extends Module {
            final Linear fc = registerModule("fc", new Linear(3, 3));

            @Override
            public Tensor forward(Tensor x) {
                return fc.forward(fc.forward(x).tanh());
            }
        }
        Module model = new Twice().to(DType.FLOAT64);
        checkAgainstLoop(model, Tensor.randn(DType.FLOAT64, 4, 3), Tensor.randn(DType.FLOAT64, 4, 3), false);
    }

    @Test
    void embeddingWithPaddingIndexAndLayerNormOverASequence() {
        Sinter.manualSeed(7);
        Module model = new Sequential(new Embedding(11, 6, 2), new LayerNorm(6), new Linear(6, 3)).to(DType.FLOAT64);
        Tensor idx = Tensor.randint(0, 11, 5, 4);
        idx.narrow(1, 0, 1).fill_(2); // the padding row appears, and gets no gradient
        checkAgainstLoop(model, idx, Tensor.randn(DType.FLOAT64, 5, 4, 3), false);
    }

    @Test
    void groupNormInAConvolutionalNet() {
        Sinter.manualSeed(8);
        Module model = new Sequential(new Conv2d(2, 4, 3, 1, 1), new GroupNorm(2, 4), new ReLU(), new Flatten(),
                new Linear(4 * 5 * 5, 3)).to(DType.FLOAT64);
        Tensor x = Tensor.randn(DType.FLOAT64, 4, 2, 5, 5);
        checkAgainstLoop(model, x, Tensor.randint(0, 3, 4), true);
    }

    @Test
    void sumReductionIsNotRescaled() {
        Sinter.manualSeed(6);
        Linear fc = new Linear(3, 2);
        fc.to(DType.FLOAT64);
        var gsm = new GradSampleModule(fc, GradSampleModule.LossReduction.SUM);
        Tensor x = Tensor.randn(DType.FLOAT64, 4, 3);
        gsm.forward(x).sum().backward();
        // d(Σ y)/dW for one sample is 1·xᵢ in every row.
        Tensor gw = gsm.gradSamples().get(fc.weight);
        assertArrayEquals(new int[] {4, 2, 3}, gw.shape());
        assertTrue(gw.select(0, 2).select(0, 1).allclose(x.select(0, 2), 0, 1e-15));
        assertTrue(gsm.gradSamples().get(fc.bias).allclose(Tensor.ones(DType.FLOAT64, 4, 2), 0, 0));
    }

    @Test
    void unsupportedLayersAreRefusedByName() {
        final class Scaled extends Module {
            final Tensor gain = registerParameter("gain", Tensor.ones(2));

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(gain);
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new GradSampleModule(new Sequential(new Linear(3, 2), new Scaled())));
        assertTrue(e.getMessage().contains("layer '1' (Scaled)") && e.getMessage().contains("[gain]"), e.getMessage());
    }

    @Test
    void batchNormUsingBatchStatisticsIsRefusedAtForwardEvenFrozen() {
        Module model = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new Flatten(), new Linear(2, 2));
        var gsm = new GradSampleModule(model);
        Tensor x = Tensor.randn(3, 1, 3, 3);
        var e = assertThrows(IllegalStateException.class, () -> gsm.forward(x));
        assertTrue(e.getMessage().contains("'1' (BatchNorm2d)") && e.getMessage().contains("mixes the samples"), e.getMessage());
        for (Tensor p : model.namedChildren().get("1").parameters()) p.requiresGrad(false);
        var frozen = new GradSampleModule(model);
        assertThrows(IllegalStateException.class, () -> frozen.forward(x), "frozen, it still normalises by the batch");
        model.eval(); // running statistics: a per-channel affine map, per sample
        frozen.forward(x).sum().backward();
        assertEquals(4, frozen.gradSamples().size());
        var untracked = new GradSampleModule(new Sequential(new BatchNorm2d(1, 1e-5, 0.1, true, false), new Flatten()));
        untracked.eval();
        assertThrows(IllegalStateException.class, () -> untracked.forward(x), "no running statistics: batch statistics even in eval");
    }

    @Test
    void bilinearWeightUsedOutsideItsForwardIsRefused() {
        final class Functional extends Module {
            final Bilinear b = registerModule("b", new Bilinear(3, 4, 2));

            @Override
            public Tensor forward(Tensor x) {
                return F.bilinear(x.narrow(1, 0, 3), x.narrow(1, 3, 4), b.weight, b.bias);
            }
        }
        var gsm = new GradSampleModule(new Functional());
        var e = assertThrows(IllegalStateException.class, () -> gsm.forward(Tensor.randn(2, 7)));
        assertTrue(e.getMessage().contains("layer 'b' (Bilinear)"), e.getMessage());
    }

    @Test
    void frozenLayersAreAllowedAndSkipped() {
        Module model = new Sequential(new Embedding(10, 3), new Linear(3, 2));
        for (Tensor p : model.namedChildren().get("0").parameters()) p.requiresGrad(false);
        var gsm = new GradSampleModule(model);
        Tensor out = gsm.forward(Tensor.randint(0, 10, 4));
        out.sum().backward();
        assertEquals(2, gsm.gradSamples().size());
    }

    @Test
    void weightTyingIsRefused() {
        final class Tied extends Module {
            final Linear fc = registerModule("fc", new Linear(3, 3));

            @Override
            public Tensor forward(Tensor x) {
                return fc.forward(x).add(fc.weight.sum());
            }
        }
        var gsm = new GradSampleModule(new Tied());
        var e = assertThrows(IllegalStateException.class, () -> gsm.forward(Tensor.randn(2, 3)));
        assertTrue(e.getMessage().contains("layer 'fc' (Linear)") && e.getMessage().contains("'sum'"), e.getMessage());
    }

    @Test
    void gradSampleIsFloat32ForFloat32Models() {
        var g = new Generator(7);
        Linear fc = new Linear(4, 2);
        var gsm = new GradSampleModule(fc);
        gsm.forward(g.randn(DType.FLOAT32, 3, 4)).sum().backward();
        assertEquals(DType.FLOAT32, gsm.gradSamples().get(fc.weight).dtype());
    }
}
