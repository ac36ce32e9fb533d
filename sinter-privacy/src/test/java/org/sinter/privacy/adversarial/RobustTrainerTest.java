package org.sinter.privacy.adversarial;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.optim.Adam;

/**
 * {@link RobustTrainer} on {@link AdversarialTrainingTest}'s data moved into the pixel box [0, 1]
 * (x → 0.5 + x/3: the robust feature's margin becomes ≥ 0.25, the non-robust ones' shift ±0.083), so
 * an attack of ε = 0.15 flips the non-robust features but not the robust one.
 */
class RobustTrainerTest {
    static final double EPS = 0.15;

    static Tensor[] data(long seed) {
        Tensor[] d = AdversarialTrainingTest.data(seed);
        return new Tensor[] {d[0].div(3).add(0.5), d[1]};
    }

    static List<Batch> batches(Tensor[] d, int size) {
        List<Batch> out = new ArrayList<>();
        for (int s = 0; s < d[0].size(0); s += size) out.add(Batch.of(d[0].narrow(0, s, size), d[1].narrow(0, s, size)));
        return out;
    }

    @Test
    void theTriangularScheduleRisesToItsPeakAtHalfTimeAndEndsAtZero() {
        assertEquals(0, RobustTrainer.cyclicLr(0.1, 0, 100), 0);
        assertEquals(0.05, RobustTrainer.cyclicLr(0.1, 25, 100), 1e-12);
        assertEquals(0.1, RobustTrainer.cyclicLr(0.1, 50, 100), 1e-12);
        assertEquals(0.02, RobustTrainer.cyclicLr(0.1, 90, 100), 1e-12);
    }

    @Test
    void fgsmFromARandomStartLearnsTheRobustFeatureAndTheModelKeepsTheBestEpoch() {
        Sinter.manualSeed(3);
        Module model = new Linear(AdversarialTrainingTest.D, 2);
        model.to(DType.FLOAT64);
        Tensor[] train = data(1), val = data(50), test = data(99);
        var options = new RobustTrainer.Options(EPS, 1, 0.05, 12, 0, 0);
        var trainer = new RobustTrainer(model, new Adam(model.parameters(), 0.05), options, new Generator(4));
        Pgd validation = new Pgd(Pgd.Norm.LINF, EPS, EPS / 8, 20, 1, 0, 1);
        RobustTrainer.Result r = trainer.fit(batches(train, 40), 10, val[0], val[1], validation, e -> {});
        assertEquals(12, r.epochs().size());
        RobustTrainer.Epoch best = r.best();
        for (RobustTrainer.Epoch e : r.epochs()) assertTrue(e.validationRobust() <= best.validationRobust());
        // The model holds the kept epoch's parameters: the same attack with the same seed gives its figure again.
        assertEquals(best.validationRobust(), validation.robustAccuracy(model, val[0], val[1], new Generator(best.epoch())), 0);
        double robust = new Pgd(Pgd.Norm.LINF, EPS, 0.01, 40, 3, 0, 1).robustAccuracy(model, test[0], test[1], new Generator(7));
        assertTrue(robust > 0.95, "FGSM-RS training should hold at ε = 0.15: " + robust);
        assertFalse(model.isTraining());
    }

    @Test
    void badOptionsAreRefusedNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RobustTrainer.Options(0.3, 0, 1e-3, 1, 0, 0));
        assertTrue(e.getMessage().contains("attack steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RobustTrainer.Options(-1, 1, 1e-3, 1, 0, 0));
        assertTrue(e.getMessage().contains("ε"), e.getMessage());
    }
}
