package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.models.ResNet18;
import org.sinter.optim.Adam;

/** QAT of a (narrow) ResNet-18: float when fake quantization is off, trainable through the STE, and what the int8 model computes when on. */
class ResNetQuantizationAwareTrainingTest {
    private static ResNet18 copyOf(ResNet18 m) {
        ResNet18 c = new ResNet18(m.inChannels(), m.classes(), m.widths());
        c.loadStateDict(m.stateDict(), true);
        return c;
    }

    @Test
    void withFakeQuantizationDisabledItIsTheFloatModel() {
        ResNet18 reference = ResNetQuantizationTest.narrowResNet(21);
        ResNet18 trained = copyOf(reference);
        PreparedResNet qat = Quantize.prepareQat(trained, QConfig.defaultQatQConfig()).fakeQuant(false);
        Tensor x = Tensor.rand(8, 1, 28, 28);
        try (var _ = Sinter.noGrad()) {
            // Training mode: batch statistics, and the running ones updated alike.
            reference.train();
            Tensor want = reference.forward(x);
            assertTrue(qat.forward(x).allclose(want, 1e-3, 1e-4), "training-mode forward differs from the float ResNet's");
            assertTrue(trained.stemBn().runningMean.allclose(reference.stemBn().runningMean, 1e-5, 1e-6), "running mean not updated as the float model's");
            // Eval mode: running statistics (what convert folds).
            reference.eval();
            qat.eval();
            assertTrue(qat.forward(x).allclose(reference.forward(x), 1e-3, 1e-4), "eval-mode forward differs from the float ResNet's");
        }
    }

    @Test
    void gradientsReachEveryParameterThroughTheFakeQuantizers() {
        ResNet18 model = ResNetQuantizationTest.narrowResNet(22);
        PreparedResNet qat = Quantize.prepareQat(model, QConfig.defaultQatQConfig());
        assertEquals(model.parameters().size(), qat.parameters().size(), "QAT trains the model's own parameters");
        Tensor x = Tensor.rand(8, 1, 28, 28);
        Tensor labels = Tensor.randint(0, 10, 8);
        F.crossEntropy(qat.forward(x), labels).backward();
        for (Tensor p : qat.parameters()) {
            assertTrue(p.grad() != null, "a parameter of shape " + java.util.Arrays.toString(p.shape()) + " got no gradient");
            assertTrue(p.grad().abs().sum().item() > 0, "a parameter of shape " + java.util.Arrays.toString(p.shape()) + " got a zero gradient");
        }
    }

    @Test
    void trainedQatModelConvertsToTheInt8ModelItSimulated() {
        ResNet18 model = ResNetQuantizationTest.narrowResNet(23);
        PreparedResNet qat = Quantize.prepareQat(model, QConfig.defaultQatQConfig());
        Sinter.manualSeed(24);
        Tensor x = Tensor.rand(32, 1, 28, 28);
        Tensor labels = Tensor.randint(0, 10, 32);
        Adam opt = new Adam(qat.parameters(), 1e-3);
        float[] before = model.stemConv().weight.toFloatArray();
        for (int step = 0; step < 4; step++) {
            opt.zeroGrad();
            F.crossEntropy(qat.forward(x.narrow(0, 8 * step, 8)), labels.narrow(0, 8 * step, 8)).backward();
            opt.step();
        }
        assertFalse(java.util.Arrays.equals(before, model.stemConv().weight.toFloatArray()), "training moved the model's weights");
        assertEquals(4L, (long) model.stemBn().numBatchesTracked.item(), "the batch norms train with their convolutions");

        qat.eval();
        Tensor simulated;
        try (var _ = Sinter.noGrad()) {
            simulated = qat.forward(x);
            qat.fakeQuant(false);
            assertNotEquals(0.0, qat.forward(x).sub(simulated).abs().max().item(), "fake quantization changes the output");
            qat.fakeQuant(true);
        }
        QuantizedSequential q = Quantize.convert(qat);
        Tensor real = q.forward(x);
        assertEquals(List.of(32, 10), List.of(real.size(0), real.size(1)));
        // Same grids, same rounding (the pooled mean included): the int8 model computes what was simulated, up to float summation order.
        double err = ResNetQuantizationTest.relativeError(simulated, real);
        assertTrue(err < 1e-3, "int8 vs fake-quantized relative error " + err);
        int agree = 0;
        long[] as = simulated.argmax(1, false).toLongArray(), ar = real.argmax(1, false).toLongArray();
        for (int i = 0; i < 32; i++) if (as[i] == ar[i]) agree++;
        assertTrue(agree >= 31, "top-1 agreement " + agree + "/32");
    }
}
