package org.sinter.privacy.gradsample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.Embedding;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/**
 * Per-sample gradients of every layer type with a rule, against central finite differences in
 * float64: for each parameter a random direction v, and for each sample i the derivative of its own
 * loss along v, {@code (L_i(θ + hv) − L_i(θ − hv)) / 2h}, must equal {@code ⟨gradSample[i], v⟩}.
 * The derivative comes from plain forward passes only, so it checks the rules independently of
 * autograd (which the loop-over-samples tests share with them). The models are the PyTorch
 * fixture tests' ones, with fresh random weights.
 */
class FiniteDifferenceGradSampleTest {
    private static final double H = 1e-5;

    @Test
    void linearAndConv1d() {
        Sinter.manualSeed(21);
        check(TorchGradSampleTest.conv1dNet(), Tensor.randn(DType.FLOAT64, 5, 3, 11));
    }

    @Test
    void conv2dAndGroupNorm() {
        Sinter.manualSeed(22);
        check(TorchGradSampleTest.conv2dGroupNormNet(), Tensor.randn(DType.FLOAT64, 4, 2, 7, 5));
    }

    @Test
    void convTranspose2d() {
        Sinter.manualSeed(23);
        check(TorchGradSampleTest.convTranspose2dNet(), Tensor.randn(DType.FLOAT64, 4, 2, 3, 3));
    }

    @Test
    void bilinearOverASequenceAndWithoutBias() {
        Sinter.manualSeed(24);
        check(new TorchGradSampleTest.BilinearNet(), Tensor.randn(DType.FLOAT64, 4, 3, 4));
    }

    @Test
    void batchNormInEvalMode() {
        Sinter.manualSeed(25);
        Module model = new TorchGradSampleTest.BatchNormNet().to(DType.FLOAT64);
        try (var _ = Sinter.noGrad()) {
            for (Module m : model.modules()) {
                if (m instanceof BatchNorm bn) {
                    bn.runningMean.copy_(Tensor.randn(DType.FLOAT64, bn.numFeatures).mul(0.5));
                    bn.runningVar.copy_(Tensor.rand(DType.FLOAT64, bn.numFeatures).add(0.5));
                    bn.weight.copy_(Tensor.rand(DType.FLOAT64, bn.numFeatures).add(0.5));
                }
            }
        }
        model.eval();
        check(model, Tensor.randn(DType.FLOAT64, 4, 2, 4, 4));
    }

    @Test
    void embeddingAndLayerNorm() {
        Sinter.manualSeed(26);
        Tensor idx = Tensor.randint(0, 9, 5, 4);
        idx.narrow(1, 0, 1).fill_(0); // the padding row is looked up
        check(new TorchGradSampleTest.EmbeddingNet(), idx);
    }

    @Test
    void lstm() {
        Sinter.manualSeed(27);
        check(new TorchRecurrentGradSampleTest.LstmNet(), Tensor.randn(DType.FLOAT64, 4, 5, 3));
    }

    @Test
    void gruAndRnn() {
        Sinter.manualSeed(28);
        check(new TorchRecurrentGradSampleTest.GruNet(), Tensor.randn(DType.FLOAT64, 3, 6, 3));
        check(new TorchRecurrentGradSampleTest.RnnNet(), Tensor.randn(DType.FLOAT64, 5, 4, 3));
    }

    @Test
    void cells() {
        Sinter.manualSeed(29);
        check(new TorchRecurrentGradSampleTest.CellNet(), Tensor.randn(DType.FLOAT64, 4, 3, 3));
    }

    @Test
    void multiheadAttention() {
        Sinter.manualSeed(30);
        check(new TorchRecurrentGradSampleTest.AttnNet(), Tensor.randn(DType.FLOAT64, 4, 5, 6));
        check(new TorchRecurrentGradSampleTest.CrossAttnNet(), Tensor.randn(DType.FLOAT64, 3, 4, 6));
    }

    @Test
    void transformerEncoderAndDecoderLayers() {
        Sinter.manualSeed(31);
        check(new TorchRecurrentGradSampleTest.TransformerNet(), Tensor.randn(DType.FLOAT64, 3, 4, 6));
    }

    private static void check(Module model, Tensor x) {
        model.to(DType.FLOAT64);
        int n = x.size(0);
        Tensor y = Tensor.randint(0, 3, n);
        var gsm = new GradSampleModule(model, GradSampleModule.LossReduction.MEAN);
        F.crossEntropy(gsm.forward(x), y).backward();
        Map<Tensor, Tensor> samples = gsm.gradSamples();
        assertEquals(model.parameters().size(), samples.size(), "every parameter has per-sample gradients");
        try (var _ = Sinter.noGrad()) {
            for (var e : model.namedParameters().entrySet()) {
                Tensor p = e.getValue(), v = direction(model, p);
                Tensor saved = p.clone();
                p.add_(v.mul(H));
                Tensor plus = perSampleLoss(model, x, y);
                p.copy_(saved).sub_(v.mul(H));
                Tensor minus = perSampleLoss(model, x, y);
                p.copy_(saved);
                Tensor numeric = plus.sub(minus).div(2 * H);
                Tensor analytic = samples.get(p).mul(v.unsqueeze(0)).reshape(n, -1).sum(1, false);
                assertTrue(analytic.allclose(numeric, 1e-6, 1e-8),
                        model.getClass().getSimpleName() + " " + e.getKey() + ": " + analytic + " vs finite differences " + numeric);
            }
        }
    }

    /**
     * A random direction; zero on an embedding's padding row, whose gradient is zero by definition
     * (PyTorch's convention, which the rule follows) although the forward does read the row.
     */
    private static Tensor direction(Module model, Tensor p) {
        Tensor v = Tensor.randn(DType.FLOAT64, p.shape());
        for (Module m : model.modules()) {
            if (m instanceof Embedding emb && emb.weight == p && emb.paddingIdx != null) {
                v.narrow(0, emb.paddingIdx < 0 ? emb.paddingIdx + emb.numEmbeddings : emb.paddingIdx, 1).zero_();
            }
        }
        return v;
    }

    /** Each sample's loss, from one batched forward: the models treat samples independently. */
    private static Tensor perSampleLoss(Module model, Tensor x, Tensor y) {
        return F.crossEntropy(model.forward(x), y, null, -100, Reduction.NONE, 0.0);
    }
}
