package org.sinter.privacy.gradsample;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm1d;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Bilinear;
import org.sinter.nn.Conv1d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.ConvTranspose2d;
import org.sinter.nn.Embedding;
import org.sinter.nn.Flatten;
import org.sinter.nn.GroupNorm;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.Tanh;
import org.sinter.nn.functional.F;
import org.sinter.privacy.TorchFixtures;

/**
 * Per-sample gradients of the feed-forward layers against PyTorch's, computed there by one
 * backward pass per sample ({@code tools/fixtures/gen_privacy.py}); the same models, weights and
 * inputs, float64. The models are shared with {@link FiniteDifferenceGradSampleTest}.
 */
class TorchGradSampleTest {
    static Module conv1dNet() {
        return new Sequential(
                new Conv1d(3, 4, 3, 2, 1, 1, 1, true, "zeros"), new Tanh(),
                new Conv1d(4, 4, 3, 1, "same", 1, 2, true, "reflect"), new Tanh(),
                new Conv1d(4, 2, 2, 1, 0, 2, 1, false, "zeros"), new Flatten(), new Linear(8, 3));
    }

    static Module convTranspose2dNet() {
        return new Sequential(
                new ConvTranspose2d(2, 4, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 1, true, new int[] {1}), new Tanh(),
                new ConvTranspose2d(4, 2, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0}, 2, false, new int[] {2}),
                new Flatten(), new Linear(128, 3));
    }

    /** Stride, padding and dilation differing per axis, GroupNorm, then grouped reflect "same" padding without bias; input [N, 2, 7, 5]. */
    static Module conv2dGroupNormNet() {
        return new Sequential(
                new Conv2d(2, 4, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 1, true, "zeros"),
                new GroupNorm(2, 4), new Tanh(),
                new Conv2d(4, 4, new int[] {3}, new int[] {1}, "same", new int[] {1}, 2, false, "reflect"),
                new Flatten(), new Linear(4 * 4 * 3, 3));
    }

    /** Bilinear over a sequence dimension, then without one and without bias; input [N, T, 4]. */
    static final class BilinearNet extends Module {
        final Linear proj = registerModule("proj", new Linear(4, 3));
        final Bilinear pair = registerModule("pair", new Bilinear(4, 3, 5));
        final Bilinear mix = registerModule("mix", new Bilinear(5, 5, 3, false));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = pair.forward(x, proj.forward(x).tanh()).tanh().mean(1, false);
            return mix.forward(h, h);
        }
    }

    /** BatchNorm2d and BatchNorm1d, to be used in eval mode; input [N, 2, 4, 4]. */
    static final class BatchNormNet extends Module {
        final Conv2d conv = registerModule("conv", new Conv2d(2, 4, 3, 1, 1));
        final BatchNorm2d bn2d = registerModule("bn2d", new BatchNorm2d(4));
        final Linear fc = registerModule("fc", new Linear(4 * 4 * 4, 5));
        final BatchNorm1d bn1d = registerModule("bn1d", new BatchNorm1d(5));
        final Linear head = registerModule("head", new Linear(5, 3));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = bn2d.forward(conv.forward(x)).relu().flatten(1, -1);
            return head.forward(bn1d.forward(fc.forward(h)).tanh());
        }
    }

    /** Embedding with padding index 0, LayerNorm, head on the mean over time; input [N, T] indices below 9. */
    static final class EmbeddingNet extends Module {
        final Embedding emb = registerModule("emb", new Embedding(9, 6, 0));
        final LayerNorm norm = registerModule("norm", new LayerNorm(6));
        final Linear head = registerModule("head", new Linear(6, 3));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(norm.forward(emb.forward(x)).mean(1, false));
        }
    }

    @Test
    void conv1dNetworkMatchesPyTorchsLoopOverSamples() throws IOException {
        check("conv1d", conv1dNet(), 7, false);
    }

    @Test
    void convTranspose2dNetworkMatchesPyTorchsLoopOverSamples() throws IOException {
        check("conv_transpose2d", convTranspose2dNet(), 5, false);
    }

    @Test
    void conv2dWithGroupNormMatchesPyTorchsLoopOverSamples() throws IOException {
        check("conv2d_groupnorm", conv2dGroupNormNet(), 7, false);
    }

    @Test
    void bilinearWithAndWithoutBiasMatchesPyTorchsLoopOverSamples() throws IOException {
        check("bilinear", new BilinearNet(), 5, false);
    }

    @Test
    void batchNormInEvalModeMatchesPyTorchsLoopOverSamples() throws IOException {
        Module model = new BatchNormNet();
        model.eval();
        check("batchnorm_eval", model, 10, false);
    }

    @Test
    void embeddingWithPaddingIndexAndLayerNormMatchesPyTorchsLoopOverSamples() throws IOException {
        check("embedding_layernorm", new EmbeddingNet(), 5, true);
    }

    /**
     * Loads the case's state (parameters and buffers) into {@code model} in float64, runs the
     * fixture's batch through a {@link GradSampleModule}, and checks every parameter's per-sample
     * gradients against PyTorch's (and that their mean is the batch gradient).
     */
    static void check(String name, Module model, int parameters, boolean indexInput) throws IOException {
        TorchFixtures.Case c = TorchFixtures.load(TorchGradSampleTest.class, "torch_grad_samples.txt").get(name);
        model.to(DType.FLOAT64);
        Map<String, Tensor> state = new LinkedHashMap<>();
        model.stateDict().forEach((k, mine) -> state.put(k, c.tensor("param." + k).reshape(mine.shape()).to(mine.dtype())));
        model.loadStateDict(state, true);
        var gsm = new GradSampleModule(model, GradSampleModule.LossReduction.MEAN);
        Tensor x = c.tensor("x");
        F.crossEntropy(gsm.forward(indexInput ? x.to(DType.INT64) : x), c.tensor("y").to(DType.INT64)).backward();
        Map<Tensor, Tensor> samples = gsm.gradSamples();
        assertEquals(parameters, model.parameters().size(), "parameters of " + name);
        assertEquals(parameters, samples.size(), "per-sample gradients of " + name);
        for (var e : model.namedParameters().entrySet()) {
            Tensor expected = c.tensor("grad_sample." + e.getKey()), got = samples.get(e.getValue());
            assertNotNull(got, e.getKey());
            assertArrayEquals(expected.shape(), got.shape(), e.getKey());
            assertTrue(got.allclose(expected, 1e-9, 1e-12), name + " " + e.getKey() + ": " + got + " vs PyTorch " + expected);
            // The per-sample gradients add up to the batch gradient (mean loss: their mean).
            assertTrue(got.mean(0, false).allclose(e.getValue().grad(), 1e-9, 1e-12), name + " " + e.getKey() + " sums to the gradient");
        }
    }
}
