package org.sinter.privacy.adversarial;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;

/**
 * A task that invites memorisation: 20-dimensional Gaussian inputs, 4 classes whose labels depend on
 * the input only weakly (a 30%-noisy linear rule), 100 training examples per model. An MLP trained
 * long fits its members' (often random) labels, so its confidence in the given label separates
 * members from fresh draws; the attack, trained only on shadow models, must find that.
 */
class ShadowModelAttackTest {
    static final int D = 20, K = 4, PER = 100;

    static Tensor[] data(int n, long seed) {
        Generator g = new Generator(seed);
        Tensor x = g.randn(DType.FLOAT64, n, D);
        double[] xv = x.toDoubleArray(), u = g.rand(DType.FLOAT64, n).toDoubleArray(), r = g.rand(DType.FLOAT64, n).toDoubleArray();
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int rule = (xv[i * D] > 0 ? 1 : 0) + (xv[i * D + 1] > 0 ? 2 : 0);
            y[i] = u[i] < 0.3 ? (long) (r[i] * K) : rule;
        }
        return new Tensor[] {x, Tensor.of(y, n)};
    }

    /** The target's (and so the shadows') recipe: full-batch Adam on an MLP, 300 steps, no regularisation. */
    static Module overfit(Tensor x, Tensor y, long seed) {
        Sinter.manualSeed(seed);
        Module m = new Sequential(new Linear(D, 64), new ReLU(), new Linear(64, K));
        m.to(DType.FLOAT64);
        var adam = new Adam(m.parameters(), 0.01);
        for (int i = 0; i < 300; i++) {
            adam.zeroGrad();
            F.crossEntropy(m.forward(x), y).backward();
            adam.step();
        }
        return m;
    }

    @Test
    void shadowModelsTeachAnAttackThatBeatsChanceOnAnOverfittedTarget() {
        Tensor[] target = data(2 * PER, 1), shadow = data(2 * 4 * PER, 2);
        Tensor memberX = target[0].narrow(0, 0, PER), memberY = target[1].narrow(0, 0, PER);
        Tensor otherX = target[0].narrow(0, PER, PER), otherY = target[1].narrow(0, PER, PER);
        Module model = overfit(memberX, memberY, 11);
        var attack = ShadowModelAttack.train(ShadowModelAttackTest::overfit, shadow[0], shadow[1], 4, PER, 5);
        ShadowModelAttack.Result r = attack.evaluate(model, memberX, memberY, otherX, otherY);
        // Chance is advantage 0; with 100 + 100 samples its standard deviation is about 0.07.
        assertTrue(r.advantage() > 0.3, "shadow attack should tell members from non-members: " + r);
    }

    @Test
    void whenNeitherGroupWasTrainedOnItStaysNearChance() {
        // The target is trained on data of its own; the "members" handed to the attack are as fresh as the others.
        Tensor[] own = data(PER, 3), probe = data(2 * 500, 4), shadow = data(2 * 4 * PER, 2);
        Module model = overfit(own[0], own[1], 12);
        var attack = ShadowModelAttack.train(ShadowModelAttackTest::overfit, shadow[0], shadow[1], 4, PER, 6);
        ShadowModelAttack.Result r = attack.evaluate(model, probe[0].narrow(0, 0, 500), probe[1].narrow(0, 0, 500),
                probe[0].narrow(0, 500, 500), probe[1].narrow(0, 500, 500));
        // 500 + 500 samples: chance's standard deviation is about 0.03.
        assertTrue(Math.abs(r.advantage()) < 0.1, "no member among them, yet the attack claims " + r);
    }

    @Test
    void tooLittleShadowDataIsRefusedWithTheCounts() {
        Tensor[] shadow = data(300, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ShadowModelAttack.train(ShadowModelAttackTest::overfit, shadow[0], shadow[1], 4, PER, 5));
        assertTrue(e.getMessage().contains("need 800 rows") && e.getMessage().contains("got 300"), e.getMessage());
    }
}
