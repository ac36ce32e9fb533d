package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.nn.QuantStage;
import org.sinter.compress.quant.nn.QuantizedBasicBlock;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Module;
import org.sinter.nn.models.ResNet18;

/** Static PTQ of a (narrow) ResNet-18: residual blocks on int8 with their own add scales, tracking the float model. */
class ResNetQuantizationTest {
    /** A ResNet-18 with torchvision's structure and narrow widths (a quick test), batch norms given non-trivial statistics. */
    static ResNet18 narrowResNet(long seed) {
        Sinter.manualSeed(seed);
        ResNet18 m = new ResNet18(1, 10, new ResNet18.Widths(new int[] {8, 12, 16, 20}, new int[] {6, 8, 10, 12, 14, 16, 18, 20}));
        for (Module x : m.modules()) {
            if (x instanceof BatchNorm2d bn) {
                int c = bn.numFeatures;
                try (var _ = Sinter.noGrad()) {
                    bn.runningMean.copy_(Tensor.randn(c).mul(0.1));
                    bn.runningVar.copy_(Tensor.rand(c).add(0.5));
                    bn.weight.copy_(Tensor.rand(c).add(0.5));
                    bn.bias.copy_(Tensor.randn(c).mul(0.1));
                }
            }
        }
        m.eval();
        return m;
    }

    @Test
    void int8ResNetTracksTheFloatModel() {
        ResNet18 model = narrowResNet(5);
        List<Tensor> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Tensor.rand(16, 1, 28, 28));
        PreparedResNet prepared = Quantize.prepare(model, QConfig.of(QConfig.Calibration.MINMAX)).calibrate(calib);
        Tensor x = Tensor.rand(32, 1, 28, 28);
        Tensor want;
        try (var _ = Sinter.noGrad()) {
            want = model.forward(x);
            assertTrue(prepared.forward(x).allclose(want, 1e-3, 1e-4), "BN-folded prepared model differs from the float ResNet");
        }
        QuantizedSequential q = Quantize.convert(prepared);
        int blocks = 0;
        for (QuantStage s : q.stages()) if (s instanceof QuantizedBasicBlock b) {
            blocks++;
            assertTrue(b.addOut().quantMax() == 127, "residual sums use the calibrated 7-bit range");
        }
        assertEquals(8, blocks);
        Tensor got = q.forward(x);
        assertEquals(List.of(32, 10), List.of(got.size(0), got.size(1)));
        // Eleven requantized layers and eight adds, each within half a step: a few percent of the signal.
        double err = relativeError(want, got);
        assertTrue(err < 0.1, "int8 ResNet relative error " + err);
        assertTrue(Quantize.sizeBytes(q) < Quantize.sizeBytes(model) / 3, "int8 weights are a quarter of float32's");
    }

    /** ||got - want|| / ||want|| over all elements. */
    static double relativeError(Tensor want, Tensor got) {
        float[] w = want.toFloatArray(), g = got.toFloatArray();
        double err = 0, norm = 0;
        for (int i = 0; i < w.length; i++) {
            err += (w[i] - g[i]) * (w[i] - g[i]);
            norm += w[i] * w[i];
        }
        return Math.sqrt(err / norm);
    }
}
