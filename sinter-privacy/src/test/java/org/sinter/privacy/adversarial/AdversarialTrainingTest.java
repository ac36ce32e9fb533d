package org.sinter.privacy.adversarial;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/**
 * Adversarial training on centred data with one robust feature (x0, 0.75 to 1.25 from the class
 * boundary 0) and 29 non-robust ones (shifted by only ±0.25 with the class, but nearly noise-free,
 * so together they predict best). Standard training leans on the non-robust features, which an L∞
 * attack of ε = 0.5 flips; Madry's training against that attack must learn to rely on x0.
 */
class AdversarialTrainingTest {
    static final int D = 30, N = 400;

    static Tensor[] data(long seed) {
        Generator g = new Generator(seed);
        double[] u = g.rand(DType.FLOAT64, N, D).toDoubleArray();
        double[] x = new double[N * D];
        long[] y = new long[N];
        for (int i = 0; i < N; i++) {
            y[i] = i % 2;
            double s = 2 * y[i] - 1;
            x[i * D] = s * (0.75 + 0.5 * u[i * D]);                                  // robust, margin ≥ 0.75
            for (int j = 1; j < D; j++) x[i * D + j] = s * 0.25 + 0.1 * (u[i * D + j] - 0.5); // non-robust
        }
        return new Tensor[] {Tensor.of(x, N, D), Tensor.of(y, N)};
    }

    static Module train(boolean adversarial) {
        Sinter.manualSeed(7);
        Linear model = new Linear(D, 2);
        model.to(DType.FLOAT64);
        Tensor[] d = data(1);
        var sgd = new SGD(model.parameters(), 1.0);
        var madry = new AdversarialTraining(model, sgd, new Pgd(Pgd.Norm.LINF, 0.5, 0.2, 5, 1, -5, 5), new Generator(2));
        for (int epoch = 0; epoch < 150; epoch++) {
            if (adversarial) {
                madry.step(d[0], d[1]);
            } else {
                sgd.zeroGrad();
                F.crossEntropy(model.forward(d[0]), d[1]).backward();
                sgd.step();
            }
        }
        return model;
    }

    @Test
    void madryTrainingBuysRobustnessThatStandardTrainingLacks() {
        Tensor[] test = data(99);
        Pgd attack = new Pgd(Pgd.Norm.LINF, 0.5, 0.05, 40, 3, -5, 5);
        Module plain = train(false), robust = train(true);
        double plainClean = Accuracy.of(plain, test[0], test[1]), robustClean = Accuracy.of(robust, test[0], test[1]);
        double plainRobust = attack.robustAccuracy(plain, test[0], test[1], new Generator(5));
        double madryRobust = attack.robustAccuracy(robust, test[0], test[1], new Generator(5));
        assertTrue(plainClean > 0.99 && robustClean > 0.99, plainClean + " / " + robustClean);
        assertTrue(plainRobust < 0.2, "standard training should be fooled at ε = 0.5: " + plainRobust);
        assertTrue(madryRobust > 0.95, "adversarial training should hold at ε = 0.5: " + madryRobust);
    }

    @Test
    void aStepReportsTheAdversarialBatchAndLeavesTheModelTraining() {
        Sinter.manualSeed(8);
        Linear model = new Linear(D, 2);
        model.to(DType.FLOAT64);
        Tensor[] d = data(3);
        var madry = new AdversarialTraining(model, new SGD(model.parameters(), 0.1), Pgd.madryMnist(1), new Generator(4));
        AdversarialTraining.Step s = madry.step(d[0], d[1]);
        assertEquals(N, s.count());
        assertTrue(s.correct() >= 0 && s.correct() <= N && Double.isFinite(s.loss()));
        assertTrue(model.isTraining());
        assertEquals(0.3, madry.attack().epsilon());
        madry.attack(new Pgd(Pgd.Norm.LINF, 0.1, 0.01, 5, 1, 0, 1));
        assertEquals(0.1, madry.attack().epsilon());
    }
}
