package org.sinter.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.TensorDataset;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;
import org.sinter.privacy.accountant.RdpAccountant;
import org.sinter.privacy.accountant.RdpConversion;

class PrivacyEngineTest {

    /** Two Gaussian blobs in 10-D, labels by blob. */
    static TensorDataset blobs(int n, Generator g) {
        Tensor y = g.randint(0, 2, n);
        Tensor centers = y.to(DType.FLOAT32).mul(2.0).sub(Tensor.ones(DType.FLOAT32, n)).reshape(n, 1).mul(Tensor.ones(DType.FLOAT32, 1, 10));
        Tensor x = g.randn(DType.FLOAT32, n, 10).add(centers.mul(0.8));
        return new TensorDataset(x, y);
    }

    @Test
    void trainsToAnEpsilonTargetAndReportsTheEpsilonSpent() {
        Sinter.manualSeed(21);
        var g = new Generator(21);
        TensorDataset train = blobs(2000, g);
        Module model = new Sequential(new Linear(10, 16), new ReLU(), new Linear(16, 2));
        DataLoader<Batch> loader = DataLoader.builder(train).batchSize(100).build();
        var engine = new PrivacyEngine(new Generator(7));
        int epochs = 5;
        PrivateTraining dp = engine.makePrivateWithEpsilon(model, new SGD(model.parameters(), 0.5), loader, 2.0, 1e-5, epochs, 1.0);
        assertEquals(0.05, dp.loader().sampleRate(), 1e-15);
        assertTrue(dp.optimizer().noiseMultiplier() > 0.5, "σ = " + dp.optimizer().noiseMultiplier());
        for (int e = 0; e < epochs; e++) {
            for (Batch b : dp.loader()) {
                dp.optimizer().zeroGrad();
                F.crossEntropy(dp.module().forward(b.input()), b.target()).backward();
                dp.optimizer().step();
            }
        }
        assertEquals(epochs * 20L, engine.accountant().steps());
        double eps = engine.getEpsilon(1e-5);
        assertTrue(eps <= 2.0 && eps > 1.98, "ε spent " + eps);
        assertEquals(RdpAccountant.epsilon(dp.optimizer().noiseMultiplier(), 0.05, 100, 1e-5, RdpConversion.IMPROVED).epsilon(), eps, 1e-12);
        TensorDataset test = blobs(1000, g);
        try (var _ = Sinter.noGrad()) {
            Tensor all = model.forward(xs(test)).argmax(1, false);
            double acc = all.eq(ys(test)).to(DType.FLOAT64).mean().item();
            assertTrue(acc > 0.9, "test accuracy " + acc);
        }
    }

    private static Tensor xs(TensorDataset ds) {
        return ds.tensors()[0];
    }

    private static Tensor ys(TensorDataset ds) {
        return ds.tensors()[1];
    }
}
