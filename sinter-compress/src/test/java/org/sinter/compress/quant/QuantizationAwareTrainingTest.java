package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.qat.ConvBn2d;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;

/** QAT: the fake-quantized model trains through the STE, and the int8 model it converts to computes what it simulated. */
class QuantizationAwareTrainingTest {
    private static Tensor fixture(String name, int... shape) {
        return Tensor.of(Fixtures.floats("convbn." + name), shape);
    }

    @Test
    void convBnTrainsLikePyTorchsQatConvBn2d() {
        // One training step of PyTorch's nn.intrinsic.qat.ConvBn2d: the folded weight's grid, batch statistics, running ones updated.
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1);
        BatchNorm2d bn = new BatchNorm2d(4);
        try (var _ = Sinter.noGrad()) {
            conv.weight.copy_(fixture("conv.weight", 4, 3, 3, 3));
            conv.bias.copy_(fixture("conv.bias", 4));
            bn.weight.copy_(fixture("bn.weight", 4));
            bn.bias.copy_(fixture("bn.bias", 4));
            bn.runningMean.copy_(fixture("bn.running_mean", 4));
            bn.runningVar.copy_(fixture("bn.running_var", 4));
        }
        ConvBn2d unit = new ConvBn2d(conv, bn);
        unit.train();
        Tensor x = fixture("x", 2, 3, 5, 5).requiresGrad(true);
        Tensor y = unit.forward(x);
        y.backward(fixture("grad_out", 2, 4, 5, 5));
        assertArrayEquals(Fixtures.floats("convbn.y"), y.toFloatArray(), 1e-5f, "forward");
        assertArrayEquals(Fixtures.floats("convbn.x.grad"), x.grad().toFloatArray(), 1e-4f, "input gradient");
        assertArrayEquals(Fixtures.floats("convbn.conv.weight.grad"), conv.weight.grad().toFloatArray(), 1e-4f, "weight gradient (STE)");
        assertArrayEquals(Fixtures.floats("convbn.conv.bias.grad"), conv.bias.grad().toFloatArray(), 1e-4f, "conv bias gradient");
        assertArrayEquals(Fixtures.floats("convbn.bn.weight.grad"), bn.weight.grad().toFloatArray(), 1e-4f, "gamma gradient");
        assertArrayEquals(Fixtures.floats("convbn.bn.bias.grad"), bn.bias.grad().toFloatArray(), 1e-4f, "beta gradient");
        assertArrayEquals(Fixtures.floats("convbn.bn.running_mean.after"), bn.runningMean.toFloatArray(), 1e-6f, "running mean");
        assertArrayEquals(Fixtures.floats("convbn.bn.running_var.after"), bn.runningVar.toFloatArray(), 1e-5f, "running var");
        // Frozen, the statistics stay put even in training mode.
        unit.freezeBnStats();
        float[] mean = bn.runningMean.toFloatArray();
        unit.forward(x);
        assertArrayEquals(mean, bn.runningMean.toFloatArray(), 0f);
    }

    @Test
    void qatTrainsAndConvertsToTheModelItSimulated() {
        Sinter.manualSeed(9);
        Sequential teacher = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new Flatten(), new Linear(144, 3));
        Tensor x = Tensor.rand(96, 1, 8, 8);
        Tensor labels;
        try (var _ = Sinter.noGrad()) {
            labels = teacher.forward(x).argmax(1, false);
        }
        Sequential student = new Sequential(new Conv2d(1, 8, 3), new BatchNorm2d(8), new ReLU(), new Flatten(), new Linear(288, 3));
        PreparedModel qat = Quantize.prepareQat(student, QConfig.defaultQatQConfig());
        Adam opt = new Adam(qat.parameters(), 1e-2);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(qat.forward(x), labels);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.6 * first, "QAT loss " + first + " -> " + last);
        BatchNorm2d bn = (BatchNorm2d) student.get(1);
        assertTrue(bn.numBatchesTracked.item() == 60, "the batch norm trained with its convolution: " + bn.numBatchesTracked.item() + " batches tracked");
        qat.freezeBnStats();
        for (Tensor p : qat.parameters()) assertTrue(p.grad() != null, "every parameter gets a gradient through the fake quantizers");

        qat.eval();
        Tensor simulated;
        try (var _ = Sinter.noGrad()) {
            simulated = qat.forward(x);
        }
        QuantizedSequential q = Quantize.convert(qat);
        Tensor real = q.forward(x);
        float[] s = simulated.toFloatArray(), r = real.toFloatArray();
        double err = 0, norm = 0;
        int agree = 0;
        for (int i = 0; i < 96; i++) {
            int as = 0, ar = 0;
            for (int j = 0; j < 3; j++) {
                err += (s[i * 3 + j] - r[i * 3 + j]) * (s[i * 3 + j] - r[i * 3 + j]);
                norm += s[i * 3 + j] * s[i * 3 + j];
                if (s[i * 3 + j] > s[i * 3 + as]) as = j;
                if (r[i * 3 + j] > r[i * 3 + ar]) ar = j;
            }
            if (as == ar) agree++;
        }
        // Same grid, same rounding: what remains is float vs int32 accumulation order and the final requantization.
        assertTrue(Math.sqrt(err / norm) < 0.02, "int8 vs fake-quantized relative error " + Math.sqrt(err / norm));
        assertTrue(agree >= 94, "top-1 agreement " + agree + "/96");
    }
}
