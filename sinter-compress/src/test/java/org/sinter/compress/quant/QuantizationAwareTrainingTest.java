package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
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
