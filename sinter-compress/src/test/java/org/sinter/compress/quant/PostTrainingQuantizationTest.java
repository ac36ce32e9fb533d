package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.LogSoftmax;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** Static PTQ end to end: the int8 model tracks the float one it was converted from. */
class PostTrainingQuantizationTest {
    static Sequential lenetLike() {
        return new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(400, 120), new ReLU(), new Dropout(0.5), new Linear(120, 10), new LogSoftmax(1));
    }

    static void randomizeBatchNorm(BatchNorm2d bn) {
        try (var _ = Sinter.noGrad()) {
            bn.runningMean.copy_(Tensor.randn(16).mul(0.1));
            bn.runningVar.copy_(Tensor.rand(16).add(0.5));
            bn.weight.copy_(Tensor.rand(16).add(0.5));
            bn.bias.copy_(Tensor.randn(16).mul(0.1));
        }
    }

    @Test
    void batchNormFoldsIntoTheConvolution() {
        Sinter.manualSeed(1);
        Conv2d conv = new Conv2d(3, 16, 3, 1, 1);
        BatchNorm2d bn = new BatchNorm2d(16);
        randomizeBatchNorm(bn);
        bn.eval();
        Tensor x = Tensor.randn(2, 3, 8, 8);
        Tensor want = bn.forward(conv.forward(x));
        Tensor got = BatchNormFolding.fold(conv, bn).forward(x);
        assertTrue(got.allclose(want, 1e-4, 1e-5), "folded conv differs from conv + bn");
    }

    @Test
    void int8ModelTracksTheFloatModel() {
        Sinter.manualSeed(2);
        Sequential model = lenetLike();
        randomizeBatchNorm((BatchNorm2d) model.get(4));
        model.eval();
        List<Tensor> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Tensor.rand(16, 1, 28, 28));
        for (QConfig.Calibration c : QConfig.Calibration.values()) {
            QuantizedSequential q = Quantize.quantizeStatic(model, QConfig.of(c), calib);
            Tensor x = Tensor.rand(32, 1, 28, 28);
            Tensor want, got = q.forward(x);
            try (var _ = Sinter.noGrad()) {
                want = model.forward(x);
            }
            assertEquals(List.of(32, 10), List.of(got.size(0), got.size(1)));
            float[] w = want.toFloatArray(), g = got.toFloatArray();
            double err = 0, norm = 0;
            int agree = 0;
            for (int i = 0; i < 32; i++) {
                int aw = 0, ag = 0;
                for (int j = 0; j < 10; j++) {
                    double we = Math.exp(w[i * 10 + j]), ge = Math.exp(g[i * 10 + j]);
                    err += (we - ge) * (we - ge);
                    norm += we * we;
                    if (w[i * 10 + j] > w[i * 10 + aw]) aw = j;
                    if (g[i * 10 + j] > g[i * 10 + ag]) ag = j;
                }
                if (aw == ag) agree++;
            }
            // Probabilities within a few percent (relative L2) and the same top-1 on nearly all inputs.
            assertTrue(Math.sqrt(err / norm) < 0.05, c + ": relative error " + Math.sqrt(err / norm));
            assertTrue(agree >= 28, c + ": top-1 agreement " + agree + "/32");
            assertTrue(q.toString().contains("QuantizedConvReLU2d"), q.toString());
        }
    }

    @Test
    void theConvertedModelIsAboutAQuarterOfTheFloatOne() {
        Sequential model = lenetLike();
        QuantizedSequential q = Quantize.quantizeStatic(model, QConfig.defaultQConfig(), List.of(Tensor.rand(4, 1, 28, 28)));
        long floatBytes = 0;
        for (Tensor p : model.parameters()) floatBytes += 4 * p.numel();
        assertTrue(q.sizeBytes() < 0.3 * floatBytes, q.sizeBytes() + " vs " + floatBytes);
    }

    @Test
    void unsupportedLayersGetClearErrors() {
        Sequential noCompute = new Sequential(new ReLU());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantize.prepare(noCompute, QConfig.defaultQConfig()));
        assertTrue(e.getMessage().contains("no Conv2d or Linear"), e.getMessage());
        Sequential grouped = new Sequential(new Conv2d(4, 4, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 2, true, "zeros"), new Flatten(), new Linear(4, 2));
        e = assertThrows(IllegalArgumentException.class, () -> Quantize.prepare(grouped, QConfig.defaultQConfig()));
        assertTrue(e.getMessage().contains("groups"), e.getMessage());
    }
}
